import CZlib

/// CRC-32 (ISO 3309 / ITU-T V.42, the polynomial of PNG, gzip and zlib), from zlib itself.
enum CRC32 {
    static func of<C: ContiguousCollection>(_ bytes: C, continuing crc: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        bytes.withContiguousBytes { raw in update(crc, raw) } ?? 0
    }

    static func update(_ crc: UInt32, _ raw: UnsafeRawBufferPointer) -> UInt32 {
        var value = UInt(crc)
        var rest = raw
        // zlib takes a uInt length: feed at most 1 GiB per call.
        while !rest.isEmpty {
            let n = min(rest.count, 1 << 30)
            value = CZlib.crc32(value, rest.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(n))
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
        return UInt32(truncatingIfNeeded: value)
    }
}

/// Collections whose bytes are contiguous in memory (arrays and their slices).
protocol ContiguousCollection: Collection {
    func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R?
}

extension Array: ContiguousCollection where Element == UInt8 {
    func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousCollection where Element == UInt8 {
    func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try withUnsafeBytes(body)
    }
}
