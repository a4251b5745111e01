/// Recognises what a file that is not `.nnm` is instead, so the error says "a Git LFS pointer"
/// rather than "bad magic" (the most reported confusion of model formats without a signature).
enum Signature {
    /// Throws unless `prefix` (the first ≤ 32 bytes) starts with the `.nnm` signature.
    static func check(_ prefix: [UInt8], fileLength: UInt64) throws {
        let sig = NNMConstants.signature
        if prefix.isEmpty { throw NNMFormatError.notNNM(detected: "the file is empty") }
        if prefix.count < sig.count {
            if Array(sig.prefix(prefix.count)) == prefix {
                throw NNMFormatError.truncated(context: "signature", offset: 0, needed: UInt64(sig.count),
                                               available: UInt64(prefix.count))
            }
            throw NNMFormatError.notNNM(detected: describe(prefix))
        }
        if Array(prefix.prefix(sig.count)) == sig { return }
        if let damage = transferDamage(prefix) { throw NNMFormatError.transferDamaged(detail: damage) }
        throw NNMFormatError.notNNM(detected: describe(prefix))
    }

    static func transferDamage(_ p: [UInt8]) -> String? {
        let body: [UInt8] = [0x4E, 0x4E, 0x4D]
        guard p.count >= 8, Array(p[1...3]) == body else { return nil }
        if p[0] == 0x0E { return "bit 7 of the first byte was cleared" }
        guard p[0] == 0x8E else { return nil }
        if Array(p[4...6]) == [0x0A, 0x1A, 0x0A] { return "CR LF was converted to LF" }
        if Array(p[4...7]) == [0x0D, 0x0A, 0x1A, 0x0D] { return "LF was converted to CR LF" }
        if Array(p[4...7]) == [0x0D, 0x0D, 0x0A, 0x1A] { return "LF was converted to CR LF" }
        return nil
    }

    static func describe(_ p: [UInt8]) -> String {
        func starts(_ s: String) -> Bool { p.starts(with: Array(s.utf8)) }
        let lowerText = String(decoding: p.prefix(16), as: UTF8.self).lowercased()
        if starts("version https://git-lfs") { return "a Git LFS pointer (fetch the real file with `git lfs pull`)" }
        if lowerText.hasPrefix("<!doctype") || lowerText.hasPrefix("<html") { return "an HTML page (a download error page?)" }
        if p.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a zip archive (.npz, .keras, .pt?)" }
        if p.starts(with: [0x1F, 0x8B]) { return "gzip-compressed data (decompress it first)" }
        if starts("GGUF") { return "a GGUF model" }
        if p.starts(with: [0x93]) && p.dropFirst().starts(with: Array("NUMPY".utf8)) { return "a NumPy .npy array" }
        if p.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "a PNG image" }
        if p.count >= 9 && p[8] == UInt8(ascii: "{") && p[6] == 0 && p[7] == 0 { return "a safetensors file" }
        if starts("{") || starts("[") { return "JSON text" }
        let shown = p.prefix(8).map(hex2).joined(separator: " ")
        return "unknown signature \(shown)"
    }
}
