#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a whole file so that a crash at any moment leaves either the old file or the
/// complete new one, never a mix; the one writer behind `.nnm` models and PNG pictures.
public enum AtomicFile {
    /// Writes `bytes` to `path`: they go to a new temporary file in the same directory (a
    /// random name, created exclusively, so two writers never share one and nothing planted
    /// there is followed), are flushed to disk (`fsync`), and only then renamed over the
    /// target; the directory is then flushed too, so the rename itself survives a crash.
    ///
    /// A symbolic link at `path` is followed: its final target is replaced and the link kept
    /// (as `cp` or an editor would do). Anything that is not a regular file (directory,
    /// device, FIFO, socket) is never replaced: the write throws
    /// ``FileError/notARegularFile(path:kind:)`` and touches nothing. On any failure the
    /// temporary file is removed. Throws ``FileError``.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        // rename() replaces a symlink itself and would replace a device node with a regular
        // file: resolve the link first, and refuse what is not a regular file.
        let target = try SymbolicLinks.finalTarget(of: path)
        let kind = FileKind(ofLinkAt: target)
        guard kind == .missing || kind == .regular else { throw FileError.notARegularFile(path: path, kind: kind) }
        let directory = Paths.directory(of: target)
        let temporary = directory + "/" + temporaryName(for: Paths.lastComponent(of: target))
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileError.system(path: temporary, operation: .create, errno: errno) }
        do {
            try keepPermissions(of: target, on: descriptor, path: temporary)
            try writeAll(bytes, to: descriptor, path: temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError.system(path: target, operation: .rename, errno: code)
        }
        // Persist the rename itself; failure here cannot lose data, so it is not an error.
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 { _ = fsync(directoryDescriptor); close(directoryDescriptor) }
    }

    /// A fresh hidden name beside the target that says whose it is and what it is:
    /// `.NAME.tmp-PID-RANDOM`, with NAME cut to 64 bytes so that any target name a file
    /// system allows (up to 255 bytes) still leaves room for the rest.
    static func temporaryName(for name: String) -> String {
        var kept = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            bytes += String(scalar).utf8.count
            guard bytes <= 64 else { break }
            kept.unicodeScalars.append(scalar)
        }
        return ".\(kept).tmp-\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// Gives the new file the permission bits of the file it replaces (a 0600 model stays
    /// private, a 0444 one stays read-only); a new file keeps 0644 less the umask.
    private static func keepPermissions(of target: String, on descriptor: Int32, path: String) throws {
        var info = stat()
        guard stat(target, &info) == 0 else { return }
        guard fchmod(descriptor, info.st_mode & 0o777) == 0 else {
            throw FileError.system(path: path, operation: .write, errno: errno)
        }
    }

    /// Writes every byte, flushes them to disk and closes `descriptor` (also on failure).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var closed = false
        defer { if !closed { close(descriptor) } }
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = systemWrite(descriptor, raw.baseAddress.map { $0 + done }, raw.count - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileError.system(path: path, operation: .write, errno: errno)
                }
                done += count
            }
        }
        guard fsync(descriptor) == 0 else { throw FileError.system(path: path, operation: .fsync, errno: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw FileError.system(path: path, operation: .close, errno: errno) }
    }
}

/// `write(2)`, out of reach of `AtomicFile.write`'s name inside the enum.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
