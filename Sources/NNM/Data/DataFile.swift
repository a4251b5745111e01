import CLibCrypto
import Foundation
import NNMFormat

/// Reading data files with a size cap, and the fingerprint (name, size, SHA-256) a recipe keeps
/// so that regenerating from a `.nnm` file notices when the data file is not the same one.
enum DataFile {
    /// Largest data file NNM reads (1 GiB): the loaders hold the bytes and the float32 values.
    static let maximumBytes = 1 << 30

    /// The whole file, after checking its size against `limit` before reading.
    static func read(_ path: String, limit: Int = maximumBytes) throws -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: resolved)
        } catch {
            throw DataError.unreadableFile(path: path, reason: "no such file, or no permission")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw DataError.unreadableFile(
                path: path, reason: type == .typeDirectory ? "it is a directory" : "it is not a regular file")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > limit {
            throw DataError.fileTooLarge(path: path, bytes: size, limit: limit)
        }
        guard let handle = FileHandle(forReadingAtPath: resolved) else {
            throw DataError.unreadableFile(path: path, reason: "cannot open it")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte past the limit tells a file that grew since the size check.
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw DataError.unreadableFile(path: path, reason: "\(error)")
        }
        guard data.count <= limit else {
            throw DataError.fileTooLarge(path: path, bytes: data.count, limit: limit)
        }
        return [UInt8](data)
    }

    /// Lower-case hex SHA-256 of `bytes` (OpenSSL's EVP digest).
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest only fails on allocation failure inside OpenSSL; an empty digest then
        // simply never matches a recorded one.
        guard ok == 1, length == 32 else { return "" }
        return hex(digest)
    }

    /// Lower-case hex SHA-256 of a whole file, read 1 MiB at a time (never held whole).
    static func sha256Hex(of file: ReadOnlyFile) throws -> String {
        guard let context = EVP_MD_CTX_new() else { return "" }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { return "" }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        var ok = true
        while offset < file.length {
            let count = min(chunk.count, file.length - offset)
            try chunk.withUnsafeMutableBytes { buffer in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), at: offset)
                ok = ok && EVP_DigestUpdate(context, buffer.baseAddress, count) == 1
            }
            offset += count
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        ok = ok && EVP_DigestFinal_ex(context, &digest, &length) == 1
        guard ok, length == 32 else { return "" }
        return hex(digest)
    }

    private static func hex(_ digest: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(2 * digest.count)
        for byte in digest {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The file at `path` with its name, size and SHA-256 recorded. The file is hashed as it is
    /// read, never held whole. A file that will be loaded whole passes its loader's `limit`, so an
    /// oversized one is refused before it is hashed.
    static func fingerprint(path: String, limit: Int? = nil) throws -> RecordedFile {
        let file = try ReadOnlyFile(path: path)
        if let limit, file.length > limit {
            throw DataError.fileTooLarge(path: path, bytes: file.length, limit: limit)
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return RecordedFile(path: path, name: name, byteCount: file.length, sha256: try sha256Hex(of: file))
    }

    /// The recorded file's bytes, checked against the recorded size and SHA-256 (those it has).
    static func readVerified(_ recorded: RecordedFile) throws -> [UInt8] {
        let bytes = try read(recorded.path)
        try check(recorded, path: recorded.path, byteCount: bytes.count) { sha256Hex(bytes) }
        return bytes
    }

    /// Checks an open file against the recorded size and SHA-256 (those it has), hashing it as
    /// it is read: what a streaming reader does before use.
    static func verify(_ file: ReadOnlyFile, against recorded: RecordedFile) throws {
        try check(recorded, path: file.path, byteCount: file.length) { try sha256Hex(of: file) }
    }

    /// Throws ``DataError/fileChanged(path:detail:)`` when the size or the digest (computed only
    /// when one was recorded) differs from the recorded one.
    private static func check(_ recorded: RecordedFile, path: String, byteCount: Int,
                              digest: () throws -> String) throws {
        if let expected = recorded.byteCount, expected != byteCount {
            throw DataError.fileChanged(path: path, detail: "recorded \(expected) bytes, found \(byteCount)")
        }
        if let expected = recorded.sha256 {
            let found = try digest()
            if expected.lowercased() != found {
                throw DataError.fileChanged(path: path, detail: "recorded SHA-256 \(expected), found \(found)")
            }
        }
    }
}
