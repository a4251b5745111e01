import Foundation
import NNM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks that keep `-o` from destroying a file the user cares about: the atomic write
/// replaces whatever regular file is at the path, so nnm-train decides first whether that file
/// may go.
enum OutputSafety {
    /// Throws when the existing file at `path` (a symlink is followed) is not one nnm-train may
    /// replace: a non-empty file without the `.nnm` signature, unless `force`. Devices, FIFOs
    /// and sockets are refused even with `force` (the write itself refuses them too).
    static func checkReplaceable(_ path: String, force: Bool) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }  // nothing there yet (or a dangling link)
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw RunError("cannot write \(escapeForDisplay(path)): it exists and is not a regular file (a device, FIFO or socket); nnm-train only replaces files")
        }
        guard !force, info.st_size > 0 else { return }  // an empty file holds nothing to lose
        guard !startsWithSignature(path) else { return }
        throw RunError("\(escapeForDisplay(path)) exists and is not an .nnm model file: refusing to replace it (pass --force to overwrite it)")
    }

    /// Whether the file at `path` begins with the 8-byte `.nnm` signature.
    static func startsWithSignature(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let signature = NNMConstants.signature
        var head = [UInt8](repeating: 0, count: signature.count)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, signature.count) }
        return count == signature.count && head == signature
    }

    /// Throws when `output` is the same file as one of the data files the recipe reads
    /// (`--force` does not lift this: the run would overwrite its own training data).
    static func checkNotAnInput(_ output: String, recipe: DataRecipe) throws {
        var outputInfo = stat()
        guard stat(output, &outputInfo) == 0 else { return }
        for input in recipe.source.inputFiles.map(\.path) {
            var inputInfo = stat()
            guard stat(input, &inputInfo) == 0 else { continue }
            if inputInfo.st_dev == outputInfo.st_dev, inputInfo.st_ino == outputInfo.st_ino {
                throw RunError("cannot write \(escapeForDisplay(output)): it is the data file \(escapeForDisplay(input)) this run reads; choose another -o")
            }
        }
    }
}
