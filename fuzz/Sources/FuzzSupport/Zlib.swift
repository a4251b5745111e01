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
    static func shuffle(_ block: [UInt8]) -> [UInt8] { transpose(block, shuffling: true) }

    static func unshuffle(_ block: [UInt8]) -> [UInt8] { transpose(block, shuffling: false) }

    /// Through raw pointers: the bounds-checked, instrumented byte loop took a third of the
    /// fuzzer's time on the 1 MiB blocks of `multi-block.nnm`.
    private static func transpose(_ block: [UInt8], shuffling: Bool) -> [UInt8] {
        let n = block.count / 4
        guard n * 4 == block.count, n > 0 else { return block }
        return [UInt8](unsafeUninitializedCapacity: block.count) { out, initialized in
            block.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = out.baseAddress else { return }
                for k in 0..<4 {
                    for e in 0..<n {
                        if shuffling { target[k * n + e] = source[4 * e + k] } else { target[4 * e + k] = source[k * n + e] }
                    }
                }
            }
            initialized = block.count
        }
    }
}
