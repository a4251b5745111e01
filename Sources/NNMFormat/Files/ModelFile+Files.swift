import NNMFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ModelFile {
    /// Writes the model to `path` atomically through ``AtomicFile``: a crash at any moment
    /// leaves either the old file or the complete new one, never a mix.
    ///
    /// A symbolic link at `path` is followed: its target is replaced and the link kept. Anything
    /// that is not a regular file (device, FIFO, socket, directory) is never replaced: the write
    /// throws ``NNMFormatError/notARegularFile(path:kind:)`` and touches nothing.
    public func write(to path: String, options: WriteOptions = .canonical) throws {
        let bytes = try encoded(options: options)
        do { try AtomicFile.write(bytes, to: path) } catch let error as FileError {
            throw NNMFormatError(writing: error)
        }
    }

    /// The output policy for `.nnm` files: an existing model or an empty file is replaced
    /// without asking; another file only with `force`.
    public static func outputPolicy(force: Bool) -> OutputPolicy {
        OutputPolicy(signature: NNMConstants.signature, replacesEmptyFiles: true, force: force)
    }
}

/// A `.nnm` file opened for the reader: ``ReadOnlyFile``'s positional reads, failures said in
/// the format's words.
struct FileInput: PositionalInput {
    let file: ReadOnlyFile

    init(path: String) throws {
        do { file = try ReadOnlyFile(path: path) } catch let error as FileError {
            throw NNMFormatError(reading: error)
        }
    }

    var length: UInt64 { UInt64(file.length) }

    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        do { return try file.read(at: Int(clamping: offset), count: count) } catch let error as FileError {
            throw NNMFormatError(reading: error)
        }
    }
}

extension NNMFormatError {
    /// A read failure in the words `nnm-inspect` has always printed.
    init(reading error: FileError) {
        switch error {
        case .notARegularFile(let path, .directory):
            // A directory is the usual mistake (a path missing its file name): say so plainly.
            self = .io(path: path, operation: "read", errno: EISDIR)
        case .notARegularFile(let path, let kind):
            self = .notARegularFileToRead(path: path, kind: kind.noun)
        default:
            self = NNMFormatError(common: error)
        }
    }

    /// A write failure: what is not a regular file is named by its kind.
    init(writing error: FileError) {
        switch error {
        case let .notARegularFile(path, kind): self = .notARegularFile(path: path, kind: kind.noun)
        default: self = NNMFormatError(common: error)
        }
    }

    private init(common error: FileError) {
        switch error {
        case let .system(path, operation, code):
            self = .io(path: path, operation: operation.verb, errno: code)
        case let .notARegularFile(path, kind):
            self = .notARegularFileToRead(path: path, kind: kind.noun)
        case let .tooManySymbolicLinks(path):
            self = .io(path: path, operation: "resolve the symbolic links of", errno: ELOOP)
        case let .readPastEnd(_, offset, count, length):
            self = .truncated(context: "file (changed while reading?)", offset: offset, needed: UInt64(max(0, count)),
                              available: UInt64(max(0, length - offset)))
        case let .endedEarly(_, offset, missing, _):
            self = .truncated(context: "file (changed while reading?)", offset: offset, needed: UInt64(missing), available: 0)
        case let .digestFailed(detail):
            self = .library(name: "libcrypto", detail: detail)
        }
    }
}
