#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a picture written to a path really lands, and whether it may land there.
public enum OutputPath {
    /// Most symlinks followed in a chain, as the kernel's own limit (ELOOP beyond).
    static let maxLinks = 40

    /// What is at a path, for the refusal message.
    public enum Kind: Equatable, Sendable {
        case missing, regular, directory, characterDevice, blockDevice, fifo, socket, other
        /// "a directory", "a FIFO (named pipe)", ...: for messages.
        public var noun: String {
            switch self {
            case .missing: return "nothing"
            case .regular: return "a file"
            case .directory: return "a directory"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .fifo: return "a FIFO (named pipe)"
            case .socket: return "a socket"
            case .other: return "not a regular file"
            }
        }
    }

    /// The kind of `path` itself (a symlink is followed).
    public static func kind(of path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    /// The path a write to `path` should replace: symlinks followed to their final target (which
    /// may not exist yet: a dangling link is created through). Throws when the final target exists
    /// and is not a regular file, or the chain loops.
    public static func resolve(_ path: String) throws -> String {
        var current = path
        for _ in 0..<maxLinks {
            var st = stat()
            guard lstat(current, &st) == 0 else { return current }
            guard (st.st_mode & S_IFMT) == S_IFLNK else {
                let k = kind(of: current)
                guard k == .regular else {
                    let via = current == path ? "" : " (the target of the symlink \(path))"
                    throw PlotError.fileWriteFailed(path: current,
                        reason: "it is \(k.noun)\(via), not a regular file; refusing to replace it with a PNG")
                }
                return current
            }
            var buffer = [CChar](repeating: 0, count: 4097)
            let n = readlink(current, &buffer, 4096)
            guard n > 0 else { return current }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + link
            } else {
                current = link
            }
        }
        throw PlotError.fileWriteFailed(path: path, reason: "too many levels of symbolic links")
    }
}
