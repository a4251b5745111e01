/// A tensor's raw little-endian bytes, encoded block by block (in parallel when it has several
/// blocks; the result does not depend on the number of threads).
struct EncodedTensor {
    var codec: BlobCodec
    var filter: BlobFilter
    var rawCRC: UInt32
    var rawLength: Int
    var blocks: [[UInt8]]
}

enum TensorEncoding {
    /// Runs `body` over the float values as raw little-endian bytes.
    static func withRawBytes<R>(_ values: [Float], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        #if _endian(little)
        return try values.withUnsafeBytes(body)
        #else
        let swapped = values.map { $0.bitPattern.littleEndian }
        return try swapped.withUnsafeBytes(body)
        #endif
    }

    static func encode(_ values: [Float], options: WriteOptions) throws -> EncodedTensor {
        try withRawBytes(values) { raw in
            let crc = CRC32.update(0, raw)
            let blockCount = Int(Blocks.count(raw: UInt64(raw.count)))
            if options.codec == .none {
                return EncodedTensor(codec: .none, filter: .none, rawCRC: crc, rawLength: raw.count,
                                     blocks: rawBlocks(raw, blockCount))
            }
            let filter: BlobFilter = options.shuffle ? .shuffle4 : .none
            let compressed: [[UInt8]] = try parallelMap(blockCount) { b in
                let start = b * NNMConstants.blockRawLength
                let block = UnsafeRawBufferPointer(rebasing: raw[start..<(start + Blocks.rawLength(block: b, raw: raw.count))])
                if filter == .shuffle4 {
                    var shuffled = [UInt8](repeating: 0, count: block.count)
                    shuffled.withUnsafeMutableBytes { Shuffle4.shuffle(block, into: $0) }
                    return try shuffled.withUnsafeBytes { try ZlibBlock.deflate($0) }
                }
                return try ZlibBlock.deflate(block)
            }
            let stored = compressed.reduce(0) { $0 + $1.count }
            if stored >= raw.count {
                return EncodedTensor(codec: .none, filter: .none, rawCRC: crc, rawLength: raw.count,
                                     blocks: rawBlocks(raw, blockCount))
            }
            return EncodedTensor(codec: .zlib, filter: filter, rawCRC: crc, rawLength: raw.count, blocks: compressed)
        }
    }

    private static func rawBlocks(_ raw: UnsafeRawBufferPointer, _ count: Int) -> [[UInt8]] {
        (0..<count).map { b in
            let start = b * NNMConstants.blockRawLength
            return Array(raw[start..<(start + Blocks.rawLength(block: b, raw: raw.count))])
        }
    }
}
