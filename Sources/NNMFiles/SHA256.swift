/// Streaming SHA-256 from the platform's own implementation: CryptoKit on Apple platforms,
/// OpenSSL's libcrypto (EVP API) elsewhere (`SHA256Backend`, one file per platform). Both are
/// well kept and hardware accelerated and cost no build time, and neither is needed on the other
/// side: the `NNM` library builds on Apple platforms without OpenSSL. Feed it bytes with `update`
/// in as many pieces as convenient, then call `finish` once. Failures are
/// ``FileError/digestFailed(detail:)``.
public final class SHA256 {
    /// Bytes in a digest.
    public static let length = 32

    private var backend: SHA256Backend?
    private var failed = false

    public init() throws {
        backend = try SHA256Backend()
    }

    /// Adds bytes to the digest. After `finish`, nothing more is added (and `finish` throws).
    public func update(_ raw: UnsafeRawBufferPointer) {
        guard raw.baseAddress != nil, raw.count > 0 else { return }
        // nil after `finish`: the bytes cannot be added, so the digest must not be trusted.
        if backend?.update(raw) != true { failed = true }
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }
    public func update(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBytes { update($0) } }

    /// The 32-byte digest of everything added. Call once.
    public func finish() throws -> [UInt8] {
        guard let backend else { throw FileError.digestFailed(detail: "SHA-256 finished twice") }
        self.backend = nil
        let digest = try backend.finish()
        guard !failed, digest.count == SHA256.length else {
            throw FileError.digestFailed(detail: "SHA-256 digest failed")
        }
        return digest
    }

    /// The digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) throws -> [UInt8] {
        let sha = try SHA256()
        sha.update(bytes)
        return try sha.finish()
    }

    /// The digest of a whole file, read `chunkSize` bytes at a time (never held whole).
    public static func digest(of file: ReadOnlyFile, chunkSize: Int = 1 << 20) throws -> [UInt8] {
        let sha = try SHA256()
        var chunk = [UInt8](repeating: 0, count: min(max(1, chunkSize), max(1, file.length)))
        var offset = 0
        while offset < file.length {
            let count = min(chunk.count, file.length - offset)
            try chunk.withUnsafeMutableBytes { buffer in
                let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                try file.read(into: piece, at: offset)
                sha.update(UnsafeRawBufferPointer(piece))
            }
            offset += count
        }
        return try sha.finish()
    }
}

/// Lower-case hexadecimal, the one way NNM writes bytes as text (digests, `\xHH` escapes).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two lower-case hex digits per byte.
    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = [UInt8]()
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
