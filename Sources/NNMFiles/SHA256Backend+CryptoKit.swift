#if canImport(CryptoKit)
import CryptoKit

/// SHA-256 through CryptoKit: the backend on Apple platforms, which ship it (macOS 10.15,
/// iOS 13 and later) and do not ship OpenSSL. Not compiled on Linux; `.ci/check-platforms`
/// type-checks this file against CryptoKit's documented interface (`.ci/stubs/CryptoKit`).
final class SHA256Backend {
    private var hasher: CryptoKit.SHA256? = CryptoKit.SHA256()

    init() throws {}

    /// False once the backend was finished.
    func update(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard hasher != nil else { return false }
        hasher?.update(bufferPointer: raw)
        return true
    }

    /// The digest; call once.
    func finish() throws -> [UInt8] {
        guard let hasher else { throw FileError.digestFailed(detail: "SHA-256 finished twice") }
        self.hasher = nil
        return Array(hasher.finalize())
    }
}
#endif
