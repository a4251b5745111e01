/// What can go wrong while making or saving a picture.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    /// A canvas of this size was asked for; sizes must be 1...16384 and at most 64 M pixels.
    case invalidCanvasSize(width: Int, height: Int)
    /// libpng refused to encode the image; its own message is kept.
    case pngEncodeFailed(message: String)
    /// libpng could not decode the bytes (tests and tools read PNGs back).
    case pngDecodeFailed(message: String)
    /// Data handed to a chart is unusable (empty matrix, mismatched lengths, ...).
    case invalidData(String)

    public var description: String {
        switch self {
        case let .invalidCanvasSize(w, h):
            return "invalid picture size \(w)×\(h): each side must be 1...16384 pixels and the area at most 64 megapixels"
        case let .pngEncodeFailed(message):
            return "PNG encoding failed: \(message)"
        case let .pngDecodeFailed(message):
            return "cannot decode PNG: \(message)"
        case let .invalidData(what):
            return "cannot draw: \(what)"
        }
    }
}
