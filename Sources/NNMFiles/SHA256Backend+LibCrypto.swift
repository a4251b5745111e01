#if canImport(CLibCrypto) && !canImport(CryptoKit)
import CLibCrypto

/// SHA-256 through OpenSSL's libcrypto EVP API: the backend on Linux and every other platform
/// without CryptoKit (`CLibCrypto` is a dependency of NNMFiles only there, Package.swift).
final class SHA256Backend {
    /// Owned by this object; `finish` or `deinit` frees it.
    private var context: OpaquePointer?

    init() throws {
        guard let context = EVP_MD_CTX_new() else { throw FileError.digestFailed(detail: "EVP_MD_CTX_new returned NULL") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw FileError.digestFailed(detail: "EVP_DigestInit_ex(sha256) failed")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// False when libcrypto refused the bytes (or the backend was finished).
    func update(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let context, let base = raw.baseAddress else { return false }
        return EVP_DigestUpdate(context, base, raw.count) == 1
    }

    /// The digest; frees the context, so call once.
    func finish() throws -> [UInt8] {
        guard let context else { throw FileError.digestFailed(detail: "SHA-256 finished twice") }
        defer { EVP_MD_CTX_free(context); self.context = nil }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        guard ok == 1, length == 32 else { throw FileError.digestFailed(detail: "SHA-256 digest failed") }
        return digest
    }
}
#endif
