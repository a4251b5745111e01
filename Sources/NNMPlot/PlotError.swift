/// What can go wrong while making or saving a picture.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    /// A canvas of this size was asked for; sizes must be 1...16384 and at most 64 M pixels.
    case invalidCanvasSize(width: Int, height: Int)
    /// libpng refused to encode the image; its own message is kept.
    case pngEncodeFailed(message: String)
    /// libpng could not read a file (tests and tools read PNGs back).
    case pngDecodeFailed(path: String, message: String)
    /// Writing or renaming the output file failed.
    case fileWriteFailed(path: String, reason: String)
    /// Data handed to a chart is unusable (empty matrix, mismatched lengths, ...).
    case invalidData(String)

    public var description: String {
        switch self {
        case let .invalidCanvasSize(w, h):
            return "invalid picture size \(w)×\(h): each side must be 1...16384 pixels and the area at most 64 megapixels"
        case let .pngEncodeFailed(message):
            return "PNG encoding failed: \(message)"
        case let .pngDecodeFailed(path, message):
            return "cannot read PNG '\(path)': \(message)"
        case let .fileWriteFailed(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .invalidData(what):
            return "cannot draw: \(what)"
        }
    }
}
