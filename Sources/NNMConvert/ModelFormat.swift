/// The file formats nnm-convert reads and writes.
public enum ModelFormat: String, Sendable, CaseIterable, Equatable {
    case nnm
    case onnx
    case safetensors

    /// The format a path's extension names (case-insensitive), or nil.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// How messages name the format.
    public var displayName: String {
        switch self {
        case .nnm: ".nnm"
        case .onnx: "ONNX"
        case .safetensors: "safetensors"
        }
    }
}
