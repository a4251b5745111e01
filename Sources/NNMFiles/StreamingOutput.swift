#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An output written piece by piece, for results too large to hold whole (predictions for a
/// 1 GB data file): either standard output, or a file written atomically — the pieces go to
/// a temporary file beside the target (random name, created exclusively), which is flushed
/// (`fsync`) and renamed over the target only by ``finish()``. Until then the target is
/// untouched; a writer dropped without `finish()` removes its temporary file, so a failed run
/// leaves no partial file.
///
/// Every write is checked: a full disk (`ENOSPC`) or a closed pipe (`EPIPE`) is a
/// ``FileError``, never silence. (A tool that writes to a pipe should ignore `SIGPIPE` so that
/// the error arrives instead of the signal.)
public final class StreamingOutput {
    private let descriptor: Int32
    /// The temporary file and the target it replaces; nil for standard output.
    private let files: (temporary: String, target: String, directory: String)?
    private let shownPath: String
    private var finished = false

    /// Standard output.
    public init() {
        descriptor = 1
        files = nil
        shownPath = "standard output"
    }

    /// A new temporary file that ``finish()`` renames to `path` (a symlink's final target is
    /// replaced and the link kept; the new file keeps the permission bits of the one it
    /// replaces). Anything at `path` that is not a regular file is refused.
    public init(atomicallyReplacing path: String) throws {
        let target = try SymbolicLinks.finalTarget(of: path)
        let kind = FileKind(ofLinkAt: target)
        guard kind == .missing || kind == .regular else { throw FileError.notARegularFile(path: path, kind: kind) }
        let directory = Paths.directory(of: target)
        let temporary = directory + "/" + AtomicFile.temporaryName(for: Paths.lastComponent(of: target))
        let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw FileError.system(path: temporary, operation: .create, errno: errno) }
        do {
            try AtomicFile.keepPermissions(of: target, on: opened, path: temporary)
        } catch {
            close(opened)
            unlink(temporary)
            throw error
        }
        descriptor = opened
        files = (temporary, target, directory)
        shownPath = path
    }

    deinit {
        guard let files, !finished else { return }
        close(descriptor)
        unlink(files.temporary)
    }

    /// Writes every byte (retrying short writes and EINTR).
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = systemWrite(descriptor, raw.baseAddress.map { $0 + done }, raw.count - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileError.system(path: shownPath, operation: .write, errno: errno)
                }
                done += count
            }
        }
    }

    /// For a file: flushes it, closes it and renames it over the target, then flushes the
    /// directory. For standard output: nothing more (every write was already checked).
    public func finish() throws {
        guard let files, !finished else { return }
        finished = true
        var failure: FileError?
        if fsync(descriptor) != 0 { failure = .system(path: files.temporary, operation: .fsync, errno: errno) }
        if close(descriptor) != 0, failure == nil { failure = .system(path: files.temporary, operation: .close, errno: errno) }
        if failure == nil, rename(files.temporary, files.target) != 0 {
            failure = .system(path: files.target, operation: .rename, errno: errno)
        }
        if let failure {
            unlink(files.temporary)
            throw failure
        }
        let directoryDescriptor = open(files.directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 { _ = fsync(directoryDescriptor); close(directoryDescriptor) }
        AbandonedTemporaryFiles.remove(besides: Paths.lastComponent(of: files.target), in: files.directory)
    }
}

/// `write(2)`, out of reach of the method's own name.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
