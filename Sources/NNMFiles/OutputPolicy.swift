#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a tool may write its output (a `.nnm` model, a PNG picture) at a path, decided
/// before any long work, so that a run never trains or draws for minutes and then cannot
/// save, and never destroys a file the user cares about. The atomic writer replaces whatever
/// regular file is at the path; this policy decides first whether that file may go.
///
/// The rules, in the order they are checked:
/// 1. the path is not empty and does not end in `/` (it would name a directory);
/// 2. symbolic links are followed to their final target (the write replaces the target and
///    keeps the link), and that target, when it exists, is a regular file: a directory,
///    device, FIFO or socket is refused even with `force`;
/// 3. the path's directory exists, and so does the link target's;
/// 4. an existing target is not one of the run's inputs (compared by device and inode, so a
///    link or another spelling of the same file is caught); `force` does not lift this;
/// 5. an existing target is of the kind this tool writes (begins with `signature`), or is
///    empty when `replacesEmptyFiles`, or `force` is set;
/// 6. the target's directory is writable.
public struct OutputPolicy: Sendable {
    /// How files of the kind this output writes begin (the `.nnm` or PNG signature): an
    /// existing one is replaced without asking.
    public var signature: [UInt8]
    /// Whether an existing empty file is replaced without `force` (it holds nothing to lose).
    public var replacesEmptyFiles: Bool
    /// Replace an existing regular file of any other kind (`--force`).
    public var force: Bool

    public init(signature: [UInt8], replacesEmptyFiles: Bool, force: Bool) {
        self.signature = signature
        self.replacesEmptyFiles = replacesEmptyFiles
        self.force = force
    }

    /// Checks `path` against the rules above; `inputs` are the files the run reads.
    /// Throws ``OutputRefusal``.
    @discardableResult
    public func check(_ path: String, inputs: [String] = []) throws -> OutputTarget {
        guard !path.isEmpty else { throw OutputRefusal.emptyPath }
        guard !path.hasSuffix("/") else { throw OutputRefusal.namesADirectory(path: path) }
        let target: String
        do { target = try SymbolicLinks.finalTarget(of: path) } catch let error as FileError {
            throw OutputRefusal.unresolvable(path: path, error)
        }
        let kind = FileKind(ofLinkAt: target)
        guard kind == .missing || kind == .regular else {
            throw OutputRefusal.notARegularFile(path: path, target: target, kind: kind)
        }
        guard FileKind(at: Paths.directory(of: path)) == .directory else {
            throw OutputRefusal.missingDirectory(path: path, directory: Paths.directory(of: path))
        }
        let directory = Paths.directory(of: target)
        guard FileKind(at: directory) == .directory else {
            throw OutputRefusal.missingLinkTargetDirectory(path: path, target: target)
        }
        if kind == .regular {
            if let input = OutputPolicy.input(sameAs: target, among: inputs) {
                throw OutputRefusal.isAnInput(path: path, input: input)
            }
            guard force || holdsExpectedContent(target) else { throw OutputRefusal.unexpectedContent(path: path) }
            guard force || !isWriteProtected(target) else { throw OutputRefusal.writeProtected(path: path) }
        }
        guard access(directory, W_OK) == 0 else {
            throw OutputRefusal.unwritableDirectory(path: path, directory: directory)
        }
        return OutputTarget(path: path, target: target, existing: kind)
    }

    /// Whether the file at `path` has no write bit for anyone (root included: the mode bits,
    /// not `access`, which always lets root write).
    func isWriteProtected(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & 0o222 == 0
    }

    /// Whether the regular file at `path` may be replaced without `force`.
    func holdsExpectedContent(_ path: String) -> Bool {
        guard let file = try? ReadOnlyFile(path: path) else { return false }
        if file.length == 0 { return replacesEmptyFiles }
        return (try? file.starts(with: signature)) ?? false
    }

    /// The first of `inputs` that is the same file as `output` (same device and inode), or nil
    /// (also when `output` does not exist yet).
    public static func input(sameAs output: String, among inputs: [String]) -> String? {
        guard let identity = FileIdentity(path: output) else { return nil }
        return inputs.first { FileIdentity(path: $0) == identity }
    }
}

/// Where a checked output goes.
public struct OutputTarget: Sendable, Equatable {
    /// The path as asked for.
    public var path: String
    /// The final target of symbolic links at `path` (`path` itself when it is no link).
    public var target: String
    /// `.missing` (a new file) or `.regular` (a file to be replaced).
    public var existing: FileKind
}

/// Why an output path was refused (``OutputPolicy/check(_:inputs:)``). Each tool words it in
/// its own messages.
public enum OutputRefusal: Error, Equatable, Sendable {
    case emptyPath
    /// The path ends in `/`: it names a directory, not a file.
    case namesADirectory(path: String)
    /// The path, or the final target of the symbolic links there, is not a regular file.
    case notARegularFile(path: String, target: String, kind: FileKind)
    /// The links at `path` could not be followed (a loop, an unreadable link).
    case unresolvable(path: String, FileError)
    /// The directory that would hold the file does not exist.
    case missingDirectory(path: String, directory: String)
    /// `path` is a symbolic link to `target`, whose directory does not exist.
    case missingLinkTargetDirectory(path: String, target: String)
    /// The output is the same file as `input`, which the run reads.
    case isAnInput(path: String, input: String)
    /// An existing file not of the kind this tool writes: replaced only with `force`.
    case unexpectedContent(path: String)
    /// An existing file nobody may write (mode without any write bit, like `chmod a-w`): its
    /// owner asked for it to be kept, so it is replaced only with `force`, as `rm` asks first.
    case writeProtected(path: String)
    /// The directory that would hold the file is not writable.
    case unwritableDirectory(path: String, directory: String)
}

/// A file's identity: device and inode, equal for every path (link, `..`, hard link) that
/// reaches the same file.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
