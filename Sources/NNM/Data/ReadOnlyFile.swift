#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open, read-only regular file that many threads may read at any offset (`pread` moves no
/// shared file position). It closes when the last value holding it goes away.
///
/// Its length is taken once, at opening: a read past it, or one that the file has become too
/// short for since, is an error, never a short row.
final class ReadOnlyFile: Sendable {
    let path: String
    let length: Int
    private let descriptor: Int32

    init(path: String) throws {
        // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever, before the
        // check below could refuse it. A regular file ignores the flag; it is cleared anyway.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw DataError.unreadableFile(path: path, reason: ReadOnlyFile.reason(errno))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = ReadOnlyFile.reason(errno)
            close(descriptor)
            throw DataError.unreadableFile(path: path, reason: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
            throw DataError.unreadableFile(
                path: path, reason: isDirectory ? "it is a directory" : "it is not a regular file")
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        self.path = path
        self.length = Int(status.st_size)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Fills `buffer` with the bytes at `offset`, or throws.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        guard offset >= 0, buffer.count <= length, offset <= length - buffer.count else {
            throw DataError.unreadableFile(
                path: path, reason: "a read of \(buffer.count) bytes at byte \(offset) is past the end of the \(length)-byte file")
        }
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, base + done, buffer.count - done, off_t(offset + done))
            if count > 0 {
                done += count
            } else if count == 0 {
                throw DataError.unreadableFile(
                    path: path, reason: "it ended at byte \(offset + done), shorter than the \(length) bytes it had when opened")
            } else if errno != EINTR {
                throw DataError.unreadableFile(path: path, reason: ReadOnlyFile.reason(errno))
            }
        }
    }

    /// The first `count` bytes (fewer when the file is shorter).
    func prefix(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: min(count, length))
        try bytes.withUnsafeMutableBytes { try read(into: $0, at: 0) }
        return bytes
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "no permission"
        case EISDIR: return "it is a directory"
        default: return String(cString: strerror(code))
        }
    }
}
