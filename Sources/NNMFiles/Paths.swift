#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Path arithmetic on strings, as the kernel sees paths (no normalisation, no Foundation).
public enum Paths {
    /// The directory part of `path`: "." for a bare name, "/" for a file at the root.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// The last component of `path` (the whole path when it has no slash).
    public static func lastComponent(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }
}

/// Following symbolic links by hand: a write must replace a link's target and keep the link
/// (`rename` would replace the link itself), and must see what the final target is.
public enum SymbolicLinks {
    /// Most links followed for one path (Linux's own limit is 40).
    public static let maximumHops = 40

    /// The final target of the link(s) at `path`, or `path` itself when it is not a link. The
    /// target need not exist (a dangling link names the file a write creates).
    public static func finalTarget(of path: String) throws -> String {
        var current = path
        for _ in 0...maximumHops {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { return current }  // nothing there yet
                throw FileError.system(path: current, operation: .stat, errno: errno)
            }
            guard FileKind(mode: info.st_mode) == .symbolicLink else { return current }
            current = try target(of: current)
        }
        throw FileError.tooManySymbolicLinks(path: path)
    }

    /// The target of the link at `link`, relative to the link's directory when relative.
    static func target(of link: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else { throw FileError.system(path: link, operation: .readLink, errno: errno) }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        guard let slash = link.lastIndex(of: "/") else { return target }
        return String(link[...slash]) + target
    }
}
