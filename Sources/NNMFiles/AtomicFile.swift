#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a whole file so that a crash at any moment leaves either the old file or the
/// complete new one, never a mix: `.nnm` models and PNG pictures, written whole through the
/// same ``StreamingOutput`` that writes large results piece by piece.
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
        let output = try StreamingOutput(atomicallyReplacing: path)
        try output.write(bytes)
        try output.finish()
    }

    /// A fresh hidden name beside the target that says whose it is and what it is:
    /// `.NAME.tmp-PID-RANDOM`, with NAME cut to 64 bytes so that any target name a file
    /// system allows (up to 255 bytes) still leaves room for the rest.
    static func temporaryName(for name: String) -> String {
        ".\(keptName(for: name)).tmp-\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// The target's name as its temporary names carry it: whole Unicode scalars, at most 64 bytes.
    static func keptName(for name: String) -> String {
        var kept = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            bytes += String(scalar).utf8.count
            guard bytes <= 64 else { break }
            kept.unicodeScalars.append(scalar)
        }
        return kept
    }

    /// Gives the new file the permission bits of the file it replaces (a 0600 model stays
    /// private, a 0444 one stays read-only); a new file keeps 0644 less the umask.
    static func keepPermissions(of target: String, on descriptor: Int32, path: String) throws {
        var info = stat()
        guard stat(target, &info) == 0 else { return }
        guard fchmod(descriptor, info.st_mode & 0o777) == 0 else {
            throw FileError.system(path: path, operation: .write, errno: errno)
        }
    }
}
