import CZlib

/// One zlib (RFC 1950) stream per block, with the canonical parameters on write and strict
/// checks on read: the stream must end (`Z_STREAM_END`), consume all its input and fill the
/// output exactly. Never a preset dictionary.
enum ZlibBlock {
    /// Compresses `input` with the canonical v1 parameters (see `NNMConstants`).
    static func deflate(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, NNMConstants.zlibLevel, Z_DEFLATED, NNMConstants.zlibWindowBits,
                                       NNMConstants.zlibMemLevel, NNMConstants.zlibStrategy,
                                       CZLIB_VERSION_STRING, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw NNMFormatError.library(name: "zlib", detail: "deflateInit2 returned \(initStatus)")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let status: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return CZlib.deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else {
            throw NNMFormatError.library(name: "zlib", detail: "deflate returned \(status)")
        }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// Inflates one block into `output`, which must be filled exactly.
    /// - Returns: nil on success, otherwise the reason the block is corrupt.
    static func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> String? {
        // Refuse a preset dictionary before zlib asks for one (FDICT is bit 5 of the FLG byte).
        if input.count >= 2, input[1] & 0x20 != 0 { return "zlib stream requests a preset dictionary" }
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, NNMConstants.zlibWindowBits, CZLIB_VERSION_STRING,
                                       Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { return "inflateInit2 returned \(initStatus)" }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let status = CZlib.inflate(&stream, Z_FINISH)
        switch status {
        case Z_STREAM_END:
            if stream.avail_in != 0 { return "\(stream.avail_in) bytes after the end of the zlib stream" }
            if stream.avail_out != 0 { return "zlib stream ends \(stream.avail_out) bytes short of the raw length" }
            return nil
        case Z_BUF_ERROR, Z_OK:
            if stream.avail_out == 0 { return "zlib stream inflates beyond the raw length" }
            return "zlib stream is truncated"
        case Z_NEED_DICT:
            return "zlib stream requests a preset dictionary"
        case Z_DATA_ERROR:
            let message = stream.msg.map { String(cString: $0) } ?? "invalid deflate data"
            return "zlib data error: \(message)"
        default:
            return "inflate returned \(status)"
        }
    }
}
