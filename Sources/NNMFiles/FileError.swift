#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the file layer can refuse or fail at. Each module that reads or writes through
/// it turns these into its own sentences (NNMFormat's `io`, the data layer's "cannot read"), so
/// that what a user reads did not change when the layer became one; the cases keep the facts
/// (path, operation, errno, offsets) those sentences need.
public enum FileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed; `path` is the path it was given (the temporary file for a
    /// write's `create`, `write`, `fsync` and `close`; the target for `rename`).
    case system(path: String, operation: FileOperation, errno: Int32)
    /// What is at `path` is not a regular file (a directory, device, FIFO, socket): it is
    /// never opened for reading and never replaced by a write. For a write, `path` is the
    /// path asked for, even when the thing found is the target of a symbolic link there.
    case notARegularFile(path: String, kind: FileKind)
    /// A chain of symbolic links longer than ``SymbolicLinks/maximumHops`` (or a loop).
    case tooManySymbolicLinks(path: String)
    /// A read of `count` bytes at `offset` asked for bytes beyond the length the file had when
    /// it was opened.
    case readPastEnd(path: String, offset: Int, count: Int, length: Int)
    /// The file ended at byte `offset`, `missing` bytes short of a read that its length at
    /// opening (`length`) allowed: it shrank while being read.
    case endedEarly(path: String, offset: Int, missing: Int, length: Int)
    /// libcrypto failed (out of memory inside OpenSSL).
    case digestFailed(detail: String)

    public var description: String {
        switch self {
        case let .system(path, operation, code):
            return "cannot \(operation.verb) '\(path)': \(FileError.text(of: code))"
        case let .notARegularFile(path, kind):
            return "'\(path)' is \(kind.noun), not a regular file"
        case let .tooManySymbolicLinks(path):
            return "'\(path)': too many levels of symbolic links"
        case let .readPastEnd(path, offset, count, length):
            return "'\(path)': a read of \(count) bytes at byte \(offset) is past the end of the \(length)-byte file"
        case let .endedEarly(path, offset, _, length):
            return "'\(path)' ended at byte \(offset), shorter than the \(length) bytes it had when opened"
        case let .digestFailed(detail):
            return "libcrypto failed: \(detail)"
        }
    }

    /// The C library's sentence for an errno value ("No such file or directory").
    public static func text(of code: Int32) -> String { String(cString: strerror(code)) }
}

/// The system call a ``FileError/system(path:operation:errno:)`` names.
public enum FileOperation: Sendable, Equatable {
    case open, stat, read, create, write, fsync, close, rename, readLink

    /// The words NNM's messages have always used: "cannot `verb` 'path'".
    public var verb: String {
        switch self {
        case .open: "open"
        case .stat: "stat"
        case .read: "read"
        case .create: "create"
        case .write: "write"
        case .fsync: "fsync"
        case .close: "close"
        case .rename: "rename onto"
        case .readLink: "read the symbolic link"
        }
    }
}
