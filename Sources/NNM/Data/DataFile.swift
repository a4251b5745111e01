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

    /// Where the recorded file is now: its recorded path when a file of the recorded size (or of
    /// any size, when none is recorded) is there; else, when the model's file is known, the
    /// first of the recorded relative path under the model's directory and the recorded file
    /// name there (a model moved together with its data) that has the recorded size; else the
    /// recorded path when something is there, or the first of those that opens; else the
    /// recorded path, unchanged, so that the error names the path the recipe holds. A file
    /// found this way is still checked against the recorded size and SHA-256 when it is read.
    static func locate(_ recorded: RecordedFile, besideModelAt modelPath: String?) -> RecordedFile {
        guard let modelPath else { return recorded }
        // A file at the recorded path is taken when it has the recorded size; one of another
        // size (an unrelated `data.csv` in the working directory) does not hide the data
        // beside the model.
        let atRecordedPath = length(recorded.path)
        if let size = atRecordedPath, recorded.byteCount == nil || size == recorded.byteCount { return recorded }
        let directory = modelPath.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        let base = modelPath.hasPrefix("/") && directory.isEmpty ? "/" : (directory.isEmpty ? "." : directory)
        var candidates: [String] = []
        if !recorded.path.hasPrefix("/") { candidates.append(joined(base, recorded.path)) }
        if let name = recorded.name, !name.isEmpty, !name.contains("/") { candidates.append(joined(base, name)) }
        let found = candidates.compactMap { path in length(path).map { (path: path, size: $0) } }
        // The first of the recorded size; else, with nothing at the recorded path, the first
        // that opens (the size and SHA-256 check then says what is wrong with it).
        guard let chosen = found.first(where: { $0.size == recorded.byteCount })
                ?? (atRecordedPath == nil ? found.first : nil) else { return recorded }
        var moved = recorded
        moved.path = chosen.path
        return moved
    }

    private static func joined(_ directory: String, _ path: String) -> String {
        directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    /// The size of the regular file that can be opened for reading at `path`, else nil.
    private static func length(_ path: String) -> Int? {
        (try? NNMFiles.ReadOnlyFile(path: path))?.length
    }

    /// Lower-case hex SHA-256 of `bytes`, the contents of the file at `path` (named when
    /// libcrypto fails).
    static func sha256Hex(_ bytes: [UInt8], path: String) throws -> String {
        do { return Hex.string(try SHA256.digest(bytes)) } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: path)
        }
    }

    /// Lower-case hex SHA-256 of a whole file, read 1 MiB at a time (never held whole).
    static func sha256Hex(of file: ReadOnlyFile) throws -> String {
        do { return Hex.string(try SHA256.digest(of: file.file)) } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: file.path)
        }
    }

    /// The file at `path` with its name, size and SHA-256 recorded. The file is hashed as it is
    /// read, never held whole. A file that will be loaded whole passes its loader's `limit`, so an
    /// oversized one is refused before it is hashed.
    static func fingerprint(path: String, limit: Int? = nil) throws -> RecordedFile {
        var recorded = try unfingerprinted(path: path, limit: limit)
        try hash(try ReadOnlyFile(path: path), into: &recorded, .recording)
        return recorded
    }

    /// The file at `path`, opened and checked against `limit` but not yet hashed: the entry of a
    /// new recipe whose data is read right away, which records the size and SHA-256 of the bytes
    /// it reads (``FileUse/recording``) instead of hashing every file twice.
    static func unfingerprinted(path: String, limit: Int? = nil) throws -> RecordedFile {
        let file = try ReadOnlyFile(path: path)
        if let limit, file.length > limit {
            throw DataError.fileTooLarge(path: path, bytes: file.length, limit: limit)
        }
        return RecordedFile(path: path, name: path.split(separator: "/").last.map(String.init) ?? path)
    }

    /// What reading a recipe's file does with its recorded fingerprint.
    enum FileUse {
        /// Checks the bytes against the recorded size and SHA-256 (those it has): a file named
        /// by a stored recipe must be the one it was.
        case verifying
        /// Checks what is recorded, as `verifying` does, and records the size and SHA-256 that
        /// are not: a new recipe's file is hashed once, from the bytes its data comes from.
        case recording
    }

    /// The recorded file's bytes, verified (and recorded) as `use` says.
    static func read(_ recorded: inout RecordedFile, _ use: FileUse) throws -> [UInt8] {
        let bytes = try read(recorded.path)
        let path = recorded.path
        try settle(&recorded, path: path, byteCount: bytes.count, use) { try sha256Hex(bytes, path: path) }
        return bytes
    }

    /// Reads an open file whole (at most `limit` bytes, checked first) and verifies (and
    /// records) `recorded` as `use` says, from the very bytes it returns.
    static func read(_ file: ReadOnlyFile, into recorded: inout RecordedFile, _ use: FileUse,
                     limit: Int = maximumBytes) throws -> [UInt8] {
        guard file.length <= limit else { throw DataError.fileTooLarge(path: file.path, bytes: file.length, limit: limit) }
        let bytes = try file.prefix(file.length)
        let path = file.path
        try settle(&recorded, path: path, byteCount: bytes.count, use) { try sha256Hex(bytes, path: path) }
        return bytes
    }

    /// Hashes an open file as it reads it, never holding it whole, and verifies (and records)
    /// `recorded` as `use` says: a stream then reads the very file it was hashed from.
    static func hash(_ file: ReadOnlyFile, into recorded: inout RecordedFile, _ use: FileUse) throws {
        try settle(&recorded, path: file.path, byteCount: file.length, use) { try sha256Hex(of: file) }
    }

    /// Throws ``DataError/fileChanged(path:detail:)`` when an open file's size is not the
    /// recorded one (when one was recorded): the cheap part of a check, before a long read.
    static func checkSize(of file: ReadOnlyFile, against recorded: RecordedFile) throws {
        try checkSize(recorded, path: file.path, byteCount: file.length)
    }

    /// Checks the recorded size first (cheap), then hashes when a digest is recorded or wanted.
    private static func settle(_ recorded: inout RecordedFile, path: String, byteCount: Int, _ use: FileUse,
                               digest: () throws -> String) throws {
        try check(recorded, path: path, byteCount: byteCount, digest: digest)
        guard use == .recording, recorded.sha256 == nil else { return }
        recorded.byteCount = byteCount
        recorded.sha256 = try digest()
    }

    /// Throws ``DataError/fileChanged(path:detail:)`` when the size or the digest (computed only
    /// when one was recorded) differs from the recorded one.
    private static func check(_ recorded: RecordedFile, path: String, byteCount: Int,
                              digest: () throws -> String) throws {
        try checkSize(recorded, path: path, byteCount: byteCount)
        if let expected = recorded.sha256 {
            let found = try digest()
            if expected.lowercased() != found {
                throw DataError.fileChanged(path: path, detail: "recorded SHA-256 \(expected), found \(found)")
            }
        }
    }

    private static func checkSize(_ recorded: RecordedFile, path: String, byteCount: Int) throws {
        if let expected = recorded.byteCount, expected != byteCount {
            throw DataError.fileChanged(path: path, detail: "recorded \(expected) bytes, found \(byteCount)")
        }
    }
}
