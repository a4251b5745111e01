/// A tensor's bytes as stored in a file: where they are, how they are encoded, and the CRC-32
/// of the raw bytes. Nothing is read or decompressed until `decode()` is called.
public struct EncodedBlob: Sendable {
    let source: BlobSource
    public let tensorName: String
    public let codec: BlobCodec
    public let filter: BlobFilter
    /// Absolute file offset of the first stored byte.
    public let fileOffset: UInt64
    /// Stored length of each block (raw blocks are `NNMConstants.blockRawLength` bytes, the last shorter).
    public let blockStoredLengths: [UInt32]
    public let storedLength: UInt64
    public let rawLength: UInt64
    public let rawCRC32: UInt32

    /// Reads, inflates (blocks in parallel), unshuffles and checks the CRC-32 of the tensor.
    public func decode() throws -> [Float] {
        let rawCount = Int(rawLength)
        var values = [Float](repeating: 0, count: rawCount / 4)
        try source.withBytes(at: fileOffset, count: Int(storedLength), context: "tensor '\(tensorName)' data") { stored in
            try values.withUnsafeMutableBytes { out in
                var starts: [Int] = []
                var s = 0
                for length in blockStoredLengths { starts.append(s); s += Int(length) }
                let failures: [String?] = try parallelMap(blockStoredLengths.count) { b in
                    let input = UnsafeRawBufferPointer(rebasing: stored[starts[b]..<(starts[b] + Int(blockStoredLengths[b]))])
                    let rawStart = b * NNMConstants.blockRawLength
                    let target = UnsafeMutableRawBufferPointer(
                        rebasing: out[rawStart..<(rawStart + Blocks.rawLength(block: b, raw: rawCount))])
                    return decodeBlock(input, into: target)
                }
                for (b, failure) in failures.enumerated() {
                    if let failure { throw NNMFormatError.blobCorrupt(tensor: tensorName, block: b, reason: failure) }
                }
            }
        }
        let crc = values.withUnsafeBytes { CRC32.update(0, $0) }
        guard crc == rawCRC32 else {
            throw NNMFormatError.tensorChecksumMismatch(tensor: tensorName, stored: rawCRC32, computed: crc)
        }
        #if _endian(big)
        values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        return values
    }

    private func decodeBlock(_ input: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) -> String? {
        switch (codec, filter) {
        case (.none, _):
            guard input.count == target.count else { return "stored length differs from raw length" }
            target.copyMemory(from: input)
            return nil
        case (.zlib, .none):
            return ZlibBlock.inflate(input, into: target)
        case (.zlib, .shuffle4):
            var scratch = [UInt8](repeating: 0, count: target.count)
            return scratch.withUnsafeMutableBytes { tmp in
                if let failure = ZlibBlock.inflate(input, into: tmp) { return failure }
                Shuffle4.unshuffle(UnsafeRawBufferPointer(tmp), into: target)
                return nil
            }
        }
    }
}

extension Tensor {
    /// The tensor's values, decoding (and checking the CRC-32 of) stored bytes if needed.
    public func values() throws -> [Float] {
        switch storage {
        case .decoded(let values): return values
        case .encoded(let blob): return try blob.decode()
        }
    }

    /// The same tensor with its values decoded in memory.
    public func decoded() throws -> Tensor {
        Tensor(name: name, shape: shape, values: try values())
    }
}
