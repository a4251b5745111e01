/// A tensor's bytes exactly as stored in a file: not yet decompressed, not yet checked.
///
/// PLACEHOLDER written by the coordinator so other targets compile; the format work replaces
/// this file with the real codec (see spec/nnm-format.md).
public struct EncodedBlob: Sendable {
    public var bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }
}

extension Tensor {
    /// The tensor's values, decoding (and checking) stored bytes if needed.
    public func values() throws -> [Float] {
        switch storage {
        case .decoded(let values): return values
        case .encoded: throw PlaceholderError.notImplemented
        }
    }
}

enum PlaceholderError: Error { case notImplemented }
