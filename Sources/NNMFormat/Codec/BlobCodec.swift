/// How a tensor's raw bytes are stored: `none` (raw little-endian float32) or `zlib`.
public enum BlobCodec: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case zlib = 1
    public var description: String { self == .none ? "none" : "zlib" }
}

/// A reversible byte transform applied to each block before the codec.
public enum BlobFilter: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    /// Byte shuffle of 4-byte elements (all first bytes, then all second bytes, …).
    case shuffle4 = 1
    public var description: String { self == .none ? "none" : "shuffle4" }
}

/// Block arithmetic shared by writer and reader: a tensor of `raw` bytes is cut into blocks of
/// `NNMConstants.blockRawLength` bytes, the last one shorter.
enum Blocks {
    static func count(raw: UInt64) -> UInt64 {
        let size = UInt64(NNMConstants.blockRawLength)
        return raw / size + (raw % size == 0 ? 0 : 1)
    }

    static func rawLength(block: Int, raw: Int) -> Int {
        min(NNMConstants.blockRawLength, raw - block * NNMConstants.blockRawLength)
    }
}
