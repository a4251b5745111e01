/// Why a conversion failed: one line that says what was found, where, and what would work.
///
/// Every importer failure is one of these, so the tool prints one line and exits 1, and a
/// hostile file can never reach a crash or an allocation its size does not justify.
public enum ConvertError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's format could not be told from its extension (and no `--to`/`--from` said it).
    case unknownFormat(path: String)
    /// The file is larger than the importer accepts.
    case fileTooLarge(path: String, bytes: Int, limit: Int)
    /// The bytes are not a well-formed file of the format (`detail` says where and what).
    case malformed(format: ModelFormat, detail: String)
    /// A well-formed file that holds something NNM cannot represent (an operator, a dtype).
    case unsupported(format: ModelFormat, detail: String)
    /// The file is beyond a stated limit (nodes, tensors, header bytes).
    case limitExceeded(format: ModelFormat, detail: String)
    /// The command line asked for something that does not fit the model (`--layers`).
    case badLayers(detail: String)
    /// Reading or writing a file failed (`detail` is the system's or the codec's words).
    case io(detail: String)

    public var description: String {
        switch self {
        case .unknownFormat(let path):
            return "\(path): cannot tell the format from the extension: use .nnm, .onnx or .safetensors, or --to"
        case let .fileTooLarge(path, bytes, limit):
            return "\(path): \(bytes) bytes, more than the \(limit) bytes nnm-convert reads"
        case let .malformed(format, detail):
            return "not a valid \(format.displayName) file: \(detail)"
        case let .unsupported(format, detail):
            return "\(format.displayName): \(detail)"
        case let .limitExceeded(format, detail):
            return "\(format.displayName) beyond nnm-convert's limits: \(detail)"
        case .badLayers(let detail):
            return "--layers: \(detail)"
        case .io(let detail):
            return detail
        }
    }
}
