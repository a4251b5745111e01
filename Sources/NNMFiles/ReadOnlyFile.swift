#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open, read-only regular file that many threads may read at any offset (`pread` moves no
/// shared file position). It closes when the last reference to it goes away.
///
/// Only regular files are opened: a directory, device, FIFO or socket is refused, and a FIFO
/// is refused without blocking (it is opened with `O_NONBLOCK` and checked with `fstat` before
/// any read). Its length is taken once, at opening: a read past it, or one that the file has
/// become too short for since, throws, never returns a short buffer.
///
/// Every failure is a ``FileError``.
public final class ReadOnlyFile: Sendable {
    public let path: String
    /// The length in bytes when the file was opened.
    public let length: Int
    private let descriptor: Int32

    public init(path: String) throws {
        // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever, before the
        // check below could refuse it. A regular file ignores the flag; it is cleared anyway.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw FileError.system(path: path, operation: .open, errno: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw FileError.system(path: path, operation: .stat, errno: code)
        }
        let kind = FileKind(mode: status.st_mode)
        guard kind == .regular else {
            close(descriptor)
            throw FileError.notARegularFile(path: path, kind: kind)
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        self.path = path
        self.length = Int(max(0, status.st_size))
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Fills `buffer` with the bytes at `offset`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        guard offset >= 0, buffer.count <= length, offset <= length - buffer.count else {
            throw FileError.readPastEnd(path: path, offset: offset, count: buffer.count, length: length)
        }
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, base + done, buffer.count - done, off_t(offset + done))
            if count > 0 {
                done += count
            } else if count == 0 {
                throw FileError.endedEarly(path: path, offset: offset + done, missing: buffer.count - done, length: length)
            } else if errno != EINTR {
                throw FileError.system(path: path, operation: .read, errno: errno)
            }
        }
    }

    /// The `count` bytes at `offset`.
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw FileError.readPastEnd(path: path, offset: offset, count: count, length: length) }
        // Not zeroed first: `read(into:at:)` fills every byte or throws. A large buffer is
        // offered huge pages before its first touch (LargeBuffer.adviseHugePages).
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            LargeBuffer.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            initialized = count
        }
    }

    /// The first `count` bytes (fewer when the file is shorter).
    public func prefix(_ count: Int) throws -> [UInt8] {
        try read(at: 0, count: min(max(0, count), length))
    }

    /// The whole file.
    public func readAll() throws -> [UInt8] { try read(at: 0, count: length) }

    /// Whether the file begins with `signature` (false for a shorter file).
    public func starts(with signature: [UInt8]) throws -> Bool {
        guard length >= signature.count else { return false }
        return try prefix(signature.count) == signature
    }
}
