import NNMFiles

/// The SHA-256 content digest (spec §11): a hash of the decoded content, so two files hold the
/// same model exactly when their digests match, whatever codec or zlib build wrote them.
struct ContentDigester {
    private let sha: SHA256

    init() throws {
        do { sha = try SHA256() } catch let error as FileError { throw NNMFormatError(reading: error) }
    }

    /// A section other than TENS, WGHT and TAIL: type, u64 payload length, payload.
    mutating func addSection(type: [UInt8], payload: ArraySlice<UInt8>) {
        var w = ByteWriter()
        w.raw(type)
        w.u64(UInt64(payload.count))
        sha.update(w.bytes)
        sha.update(payload)
    }

    /// The start of the TENS contribution: "TENS" and the tensor count.
    mutating func beginTensors(count: Int) {
        var w = ByteWriter()
        w.raw(SectionType.tensors.code)
        w.u32(UInt32(truncatingIfNeeded: count))
        sha.update(w.bytes)
    }

    /// One tensor: name, dtype, rank, dims, raw length, then its raw little-endian bytes.
    mutating func addTensor(name: String, shape: [Int], raw: UnsafeRawBufferPointer) {
        var w = ByteWriter()
        w.shortString(name)
        w.u8(WireID.dtypeFloat32)
        w.u8(UInt8(truncatingIfNeeded: shape.count))
        for d in shape { w.u32(UInt32(truncatingIfNeeded: d)) }
        w.u64(UInt64(raw.count))
        sha.update(w.bytes)
        sha.update(raw)
    }

    /// The digest; call once.
    mutating func finish() throws -> [UInt8] {
        do { return try sha.finish() } catch let error as FileError { throw NNMFormatError(reading: error) }
    }
}
