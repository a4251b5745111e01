import NNMFiles
import NNMFormat

/// Reading data files with a size cap, and the fingerprint (name, size, SHA-256) a recipe keeps
/// so that regenerating from a `.nnm` file notices when the data file is not the same one.
enum DataFile {
    /// Largest data file NNM reads (1 GiB): the loaders hold the bytes and the float32 values.
    static let maximumBytes = 1 << 30

    /// The whole file, after checking its size against `limit` before reading.
    static func read(_ path: String, limit: Int = maximumBytes) throws -> [UInt8] {
        let file: ReadOnlyFile
        do { file = ReadOnlyFile(try NNMFiles.ReadOnlyFile(path: path)) } catch FileError.system {
            throw DataError.unreadableFile(path: path, reason: "no such file, or no permission")
        } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: path)
        }
        guard file.length <= limit else { throw DataError.fileTooLarge(path: path, bytes: file.length, limit: limit) }
        return try file.prefix(file.length)
    }

    /// Lower-case hex SHA-256 of `bytes` (empty when libcrypto fails, which matches no
    /// recorded digest).
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        guard let digest = try? SHA256.digest(bytes) else { return "" }
        return Hex.string(digest)
    }

    /// Lower-case hex SHA-256 of a whole file, read 1 MiB at a time (never held whole).
    static func sha256Hex(of file: ReadOnlyFile) throws -> String {
        do { return Hex.string(try SHA256.digest(of: file.file)) } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: file.path)
        }
    }

    /// `<prefix>_path` (as given), `<prefix>_name`, `<prefix>_bytes`, `<prefix>_sha256`.
    /// The file is hashed as it is read, never held whole. A file that will be loaded whole
    /// passes its loader's `limit`, so an oversized one is refused before it is hashed.
    static func fingerprintParameters(path: String, prefix: String, limit: Int? = nil) throws -> [String: MetadataValue] {
        let file = try ReadOnlyFile(path: path)
        if let limit, file.length > limit {
            throw DataError.fileTooLarge(path: path, bytes: file.length, limit: limit)
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return [
            "\(prefix)_path": .string(path),
            "\(prefix)_name": .string(name),
            "\(prefix)_bytes": .int(Int64(file.length)),
            "\(prefix)_sha256": .string(try sha256Hex(of: file)),
        ]
    }

    /// The file at the recipe's `<prefix>_path`, checked against the recorded size and
    /// SHA-256 when the recipe has them.
    static func readVerified(_ recipe: DatasetRecipe, prefix: String) throws -> (path: String, bytes: [UInt8]) {
        let path = try recipe.string("\(prefix)_path")
        let bytes = try read(path)
        try check(recipe, prefix: prefix, path: path, byteCount: bytes.count) { sha256Hex(bytes) }
        return (path, bytes)
    }

    /// Checks an open file against the recipe's recorded `<prefix>_bytes` and `<prefix>_sha256`
    /// (when it has them), hashing it as it is read: what a streaming reader does before use.
    static func verify(_ file: ReadOnlyFile, _ recipe: DatasetRecipe, prefix: String) throws {
        try check(recipe, prefix: prefix, path: file.path, byteCount: file.length) { try sha256Hex(of: file) }
    }

    /// Throws ``DataError/fileChanged(path:detail:)`` when the size or the digest (computed only
    /// when the recipe recorded one) differs from the recipe's.
    private static func check(_ recipe: DatasetRecipe, prefix: String, path: String, byteCount: Int,
                              digest: () throws -> String) throws {
        if case .int(let expected)? = recipe.parameters["\(prefix)_bytes"], expected != Int64(byteCount) {
            throw DataError.fileChanged(path: path, detail: "recorded \(expected) bytes, found \(byteCount)")
        }
        if case .string(let expected)? = recipe.parameters["\(prefix)_sha256"] {
            let found = try digest()
            if expected.lowercased() != found {
                throw DataError.fileChanged(path: path, detail: "recorded SHA-256 \(expected), found \(found)")
            }
        }
    }
}
