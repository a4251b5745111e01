#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Cleaning up after writers that were killed. A process killed between creating its temporary
/// file and renaming it (kill -9, a power cut) leaves `.NAME.tmp-PID-RANDOM` beside the target,
/// and nothing else would ever remove it (a killed model save can leave tens of megabytes).
/// So each successful atomic write removes the abandoned temporary files of earlier writes to
/// the same name.
enum AbandonedTemporaryFiles {
    /// How long a temporary file must have been left unmodified to count as abandoned. A live
    /// writer in another PID namespace or on another machine sharing the directory (whose PID
    /// means nothing here) keeps writing, so its file's modification time stays recent.
    static let quietSeconds = 60

    /// Removes from `directory` the temporary files of writes to `targetName` whose writer
    /// process no longer exists here and which have not changed for ``quietSeconds``: regular
    /// files owned by this user only. Best effort, errors ignored: the write this follows has
    /// already succeeded, and a file left is only disk space.
    static func remove(besides targetName: String, in directory: String) {
        let prefix = "." + AtomicFile.keptName(for: targetName) + ".tmp-"
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        var abandoned: [String] = []
        while let entry = readdir(stream) {
            guard let name = Self.name(of: entry), name.hasPrefix(prefix), let pid = writerProcess(of: name.dropFirst(prefix.count)),
                  !isRunning(pid) else { continue }
            abandoned.append(name)
        }
        let now = time(nil)
        for name in abandoned {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, FileKind(mode: info.st_mode) == .regular, info.st_uid == geteuid(),
                  now - modificationSeconds(info) >= quietSeconds else { continue }
            unlink(path)
        }
    }

    /// The entry's name, read in place. `entry.pointee.d_name` would copy the whole 256-byte
    /// array, and an entry (the last in readdir's buffer above all) may be shorter than that:
    /// the copy reads past the buffer's end (AddressSanitizer: heap-buffer-overflow). The name
    /// itself ends with its NUL inside the entry.
    private static func name(of entry: UnsafeMutablePointer<dirent>) -> String? {
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return nil }
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
    }

    /// The PID in `PID-RANDOM`, or nil when the rest of the name is not of that form.
    static func writerProcess(of rest: Substring) -> pid_t? {
        let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty,
              parts[1].utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }),
              let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }

    private static func modificationSeconds(_ info: stat) -> time_t {
        #if canImport(Darwin)
        info.st_mtimespec.tv_sec
        #else
        info.st_mtim.tv_sec
        #endif
    }

    /// Whether a process with this PID exists here (`kill` with signal 0 only checks).
    private static func isRunning(_ pid: pid_t) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }
}
