import NNMFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The data layer's view of NNMFiles' ``NNMFiles/ReadOnlyFile``: the same positional reads (any
/// thread, any offset; regular files only, a FIFO refused without blocking; the length taken
/// once, at opening), with failures said as ``DataError/unreadableFile(path:reason:)``, the
/// words `nnm-train` has always printed for a data file.
final class ReadOnlyFile: Sendable {
    let file: NNMFiles.ReadOnlyFile
    var path: String { file.path }
    var length: Int { file.length }

    init(_ file: NNMFiles.ReadOnlyFile) { self.file = file }

    init(path: String) throws {
        do { file = try NNMFiles.ReadOnlyFile(path: path) } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: path)
        }
    }

    /// Fills `buffer` with the bytes at `offset`, or throws.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        do { try file.read(into: buffer, at: offset) } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: path)
        }
    }

    /// The first `count` bytes (fewer when the file is shorter).
    func prefix(_ count: Int) throws -> [UInt8] {
        do { return try file.prefix(count) } catch let error as FileError {
            throw ReadOnlyFile.dataError(error, path: path)
        }
    }

    /// The file-layer failure as the data layer says it.
    static func dataError(_ error: FileError, path: String) -> DataError {
        .unreadableFile(path: path, reason: reason(error))
    }

    /// "no such file", "it is a directory", ...: the reason part of the message.
    static func reason(_ error: FileError) -> String {
        switch error {
        case let .system(_, _, code): reason(errno: code)
        case .notARegularFile(_, .directory): "it is a directory"
        case .notARegularFile: "it is not a regular file"
        case .tooManySymbolicLinks: reason(errno: ELOOP)
        case let .readPastEnd(_, offset, count, length):
            "a read of \(count) bytes at byte \(offset) is past the end of the \(length)-byte file"
        case let .endedEarly(_, offset, _, length):
            "it ended at byte \(offset), shorter than the \(length) bytes it had when opened"
        case let .digestFailed(detail): "SHA-256 failed (\(detail))"
        }
    }

    private static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "no permission"
        case EISDIR: "it is a directory"
        default: FileError.text(of: code)
        }
    }
}
