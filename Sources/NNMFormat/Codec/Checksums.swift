import CZlib
import CLibCrypto

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

/// SHA-256 from OpenSSL's libcrypto (EVP API): a well-kept, hardware-accelerated
/// implementation that costs no build time.
struct SHA256 {
    private var context: OpaquePointer?
    private var failed = false

    init() throws {
        guard let ctx = EVP_MD_CTX_new() else {
            throw NNMFormatError.library(name: "libcrypto", detail: "EVP_MD_CTX_new returned NULL")
        }
        guard EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            throw NNMFormatError.library(name: "libcrypto", detail: "EVP_DigestInit_ex(sha256) failed")
        }
        context = ctx
    }

    mutating func update(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        if EVP_DigestUpdate(context, base, raw.count) != 1 { failed = true }
    }

    mutating func update<C: ContiguousCollection>(_ bytes: C) where C.Element == UInt8 {
        _ = bytes.withContiguousBytes { update($0) }
    }

    /// Finishes the digest and frees the context; the value must not be used afterwards.
    mutating func finish() throws -> [UInt8] {
        defer { EVP_MD_CTX_free(context); context = nil }
        var out = [UInt8](repeating: 0, count: NNMConstants.digestLength)
        var length: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        guard ok == 1, !failed, length == UInt32(NNMConstants.digestLength) else {
            throw NNMFormatError.library(name: "libcrypto", detail: "SHA-256 digest failed")
        }
        return out
    }
}
