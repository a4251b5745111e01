#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ModelFile {
    /// Writes the model to `path` atomically: the bytes go to a temporary file in the same
    /// directory, are flushed to disk (`fsync`), and only then renamed over `path`. A crash at
    /// any moment leaves either the old file or the complete new one, never a mix.
    ///
    /// A symbolic link at `path` is followed: its target is replaced and the link kept. Anything
    /// that is not a regular file (device, FIFO, socket, directory) is never replaced: the write
    /// throws ``NNMFormatError/notARegularFile(path:kind:)`` and touches nothing.
    public func write(to path: String, options: WriteOptions = .canonical) throws {
        try FileIO.writeAtomically(try encoded(options: options), to: path)
    }
}

/// Thin, checked wrappers over POSIX file calls.
enum FileIO {
    static func writeAtomically(_ bytes: [UInt8], to requested: String) throws {
        // rename() replaces a symlink itself and would replace a device node with a regular
        // file: resolve the link first, and refuse what is not a regular file.
        let path = try replaceableTarget(of: requested)
        let directory = directoryOf(path)
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        // A unique name per call (process id + random suffix), created exclusively: two writers
        // never share a temporary file, and an existing file is never followed or truncated.
        let temporary = directory + "/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NNMFormatError.io(path: temporary, operation: "create", errno: errno) }
        var closed = false
        defer { if !closed { close(fd) } }
        do {
            try bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = write(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw NNMFormatError.io(path: temporary, operation: "write", errno: errno)
                    }
                    done += n
                }
            }
            guard fsync(fd) == 0 else { throw NNMFormatError.io(path: temporary, operation: "fsync", errno: errno) }
            closed = true
            guard close(fd) == 0 else { throw NNMFormatError.io(path: temporary, operation: "close", errno: errno) }
            guard rename(temporary, path) == 0 else { throw NNMFormatError.io(path: path, operation: "rename onto", errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        // Persist the rename itself; failure here cannot lose data, so it is not an error.
        let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    /// Most symbolic links followed for one path (Linux's own limit is 40).
    static let maximumLinkHops = 40

    /// The path a write to `path` must replace: `path` itself, or the final target of the
    /// symbolic link(s) at `path` (even a dangling one: the write creates the target).
    /// Throws when that target exists and is not a regular file.
    static func replaceableTarget(of path: String) throws -> String {
        var current = path
        for _ in 0...maximumLinkHops {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                if errno == ENOENT { return current }  // a new file
                throw NNMFormatError.io(path: current, operation: "stat", errno: errno)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return current
            case S_IFLNK: current = try linkTarget(of: current)
            case S_IFDIR: throw NNMFormatError.notARegularFile(path: path, kind: "a directory")
            case S_IFCHR: throw NNMFormatError.notARegularFile(path: path, kind: "a character device")
            case S_IFBLK: throw NNMFormatError.notARegularFile(path: path, kind: "a block device")
            case S_IFIFO: throw NNMFormatError.notARegularFile(path: path, kind: "a FIFO (named pipe)")
            case S_IFSOCK: throw NNMFormatError.notARegularFile(path: path, kind: "a socket")
            default: throw NNMFormatError.notARegularFile(path: path, kind: "a special file")
            }
        }
        throw NNMFormatError.io(path: path, operation: "resolve the symbolic links of", errno: ELOOP)
    }

    /// The target of the link at `link`, made relative to the link's directory when relative.
    private static func linkTarget(of link: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else { throw NNMFormatError.io(path: link, operation: "read the symbolic link", errno: errno) }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        return directoryOf(link) + "/" + target
    }

    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// Reads the whole file (used by tests and tools that want all bytes).
    static func readAll(_ path: String) throws -> [UInt8] {
        let file = try OpenFile(path: path)
        return try file.read(at: 0, count: Int(file.length))
    }
}

/// An open file for positional reads (`pread`), closed when the value is released.
final class OpenFile {
    let path: String
    let fd: Int32
    let length: UInt64

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // never block on a FIFO
        guard fd >= 0 else { throw NNMFormatError.io(path: path, operation: "open", errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            close(fd)
            throw NNMFormatError.io(path: path, operation: "stat", errno: e)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            // A directory is the usual mistake (a path missing its file name): say so plainly.
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw NNMFormatError.io(path: path, operation: "read", errno: EISDIR)
            }
            throw NNMFormatError.io(path: path, operation: "read (not a regular file)", errno: EINVAL)
        }
        self.fd = fd
        self.length = UInt64(max(0, info.st_size))
    }

    deinit { close(fd) }

    /// Reads exactly `count` bytes at `offset`; a short read means the file shrank under us.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { raw in
            var done = 0
            while done < count {
                guard let base = raw.baseAddress else { return }
                let n = pread(fd, base + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw NNMFormatError.io(path: path, operation: "read", errno: errno)
                }
                if n == 0 {
                    throw NNMFormatError.truncated(context: "file (changed while reading?)", offset: Int(offset) + done,
                                                   needed: UInt64(count - done), available: 0)
                }
                done += n
            }
        }
        return out
    }
}
