#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output could not take what a tool wrote (a full disk, a closed pipe): the report
/// did not arrive, so the tool must not exit 0 as if it had.
public struct StandardOutputError: Error, CustomStringConvertible, Sendable {
    public let errno: Int32
    public var description: String {
        "cannot write to standard output: \(String(cString: strerror(errno)))"
    }
}

/// Writes `text` to file descriptor 1 completely, or throws ``StandardOutputError``.
/// Unlike `print`, whose buffered writes fail silently at exit, every byte is accounted for.
public func writeStandardOutput(_ text: String) throws {
    let bytes = Array(text.utf8)
    try bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = write(1, base + offset, buffer.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw StandardOutputError(errno: written < 0 ? errno : EIO) }
            offset += written
        }
    }
}

/// Writes one line to standard output (see ``writeStandardOutput(_:)``).
public func printOutput(_ line: String) throws {
    try writeStandardOutput(line + "\n")
}
