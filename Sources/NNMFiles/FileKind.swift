#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path: the file layer refuses everything but regular files, and says which.
public enum FileKind: Equatable, Sendable {
    case missing, regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket, other

    /// The kind at `path`, following symbolic links (a dangling one is `.missing`).
    public init(at path: String) {
        var info = stat()
        self = stat(path, &info) == 0 ? FileKind(mode: info.st_mode) : .missing
    }

    /// The kind of `path` itself: a symbolic link is `.symbolicLink`, not its target.
    public init(ofLinkAt path: String) {
        var info = stat()
        self = lstat(path, &info) == 0 ? FileKind(mode: info.st_mode) : .missing
    }

    /// The kind a `stat` mode describes.
    public init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        default: self = .other
        }
    }

    /// "a directory", "a FIFO (named pipe)", ...: the words of NNM's messages.
    public var noun: String {
        switch self {
        case .missing: "nothing"
        case .regular: "a file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .other: "a special file"
        }
    }
}
