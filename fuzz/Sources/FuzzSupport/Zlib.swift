import CFuzzZlib

/// Block codecs as the format defines them (§7), written independently of NNMFormat so that
/// the mutator can re-encode tensors and repair CRCs and the digest on its own.
enum BlockCodec {
    static let blockSize = 1 << 20

    /// Inflates one zlib stream that must give exactly `rawLength` bytes; nil if it does not.
    static func inflate(_ stored: ArraySlice<UInt8>, rawLength: Int) -> [UInt8]? {
        guard rawLength <= 1 << 22 else { return nil }
        var output = [UInt8](repeating: 0, count: rawLength + 1)
        var outputLength = uLongf(output.count)
        let input = Array(stored)
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                uncompress(destination.baseAddress, &outputLength, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(outputLength) == rawLength else { return nil }
        return Array(output.prefix(rawLength))
    }

    /// One zlib stream at level 1 (the mutator does not need the canonical Z_RLE strategy).
    static func deflate(_ raw: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var outputLength = uLongf(output.count)
        let status = raw.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                compress2(destination.baseAddress, &outputLength, source.baseAddress, uLong(source.count), 1)
            }
        }
        return status == Z_OK ? Array(output.prefix(Int(outputLength))) : []
    }

    /// shuffle4: all first bytes of the floats, then all second bytes, … (§7).
    static func shuffle(_ block: [UInt8]) -> [UInt8] {
        let n = block.count / 4
        guard n * 4 == block.count else { return block }
        var out = block
        for e in 0..<n { for k in 0..<4 { out[k * n + e] = block[4 * e + k] } }
        return out
    }

    static func unshuffle(_ block: [UInt8]) -> [UInt8] {
        let n = block.count / 4
        guard n * 4 == block.count else { return block }
        var out = block
        for e in 0..<n { for k in 0..<4 { out[4 * e + k] = block[k * n + e] } }
        return out
    }
}
