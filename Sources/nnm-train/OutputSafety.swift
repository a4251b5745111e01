import NNMFormat
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNM
import NNMFiles

/// The checks that keep `-o` from destroying a file the user cares about, through the one
/// ``OutputPolicy`` (`ModelFile.outputPolicy`): the atomic write replaces whatever regular file
/// is at the path, so nnm-train decides first, before any training, whether that file may go.
enum OutputSafety {
    /// Throws when `path` is not a place nnm-train may write its model: an empty path or one
    /// naming a directory, a missing or unwritable directory, a device, FIFO or socket (refused
    /// even with `force`), or a non-empty file without the `.nnm` signature, unless `force`.
    /// `inputs` are the data files the run will read: the output may never be one of them,
    /// `force` or not (the run would overwrite its own training data).
    static func check(_ path: String, force: Bool, inputs: [String]) throws {
        do {
            // The content check first: without --force a CSV at -o is "not an .nnm model";
            // with it, still never a file the run reads.
            try ModelFile.outputPolicy(force: force).check(path)
            if let input = OutputPolicy.input(sameAs: path, among: inputs) {
                throw OutputRefusal.isAnInput(path: path, input: input)
            }
        } catch let refusal as OutputRefusal {
            throw RunError(sentence(for: refusal))
        }
    }

    /// `nnm-train`'s words for a refused output path.
    static func sentence(for refusal: OutputRefusal) -> String {
        switch refusal {
        case .emptyPath:
            return "the output path is empty: give -o FILE.nnm"
        case .namesADirectory(let path):
            return "cannot write \(path): it ends in '/', so it names a directory, not a file"
        case .notARegularFile(let path, _, .directory):
            return "cannot write \(path): it is a directory"
        case .notARegularFile(let path, _, _):
            return "cannot write \(escapeForDisplay(path)): it exists and is not a regular file (a device, FIFO or socket); nnm-train only replaces files"
        case let .unresolvable(path, error):
            return "cannot write \(path): \(error)"
        case .missingDirectory(let path, _):
            return "cannot write \(path): directory \(URL(fileURLWithPath: path).deletingLastPathComponent().path) does not exist"
        case let .missingLinkTargetDirectory(path, target):
            return "cannot write \(path): it is a symlink to \(target), whose directory does not exist"
        case let .isAnInput(path, input):
            return "cannot write \(escapeForDisplay(path)): it is the data file \(escapeForDisplay(input)) this run reads; choose another -o"
        case .unexpectedContent(let path):
            return "\(escapeForDisplay(path)) exists and is not an .nnm model file: refusing to replace it (pass --force to overwrite it)"
        case .writeProtected(let path):
            return "\(escapeForDisplay(path)) is write-protected: refusing to replace it (pass --force to overwrite it; the new file keeps its mode)"
        case .unwritableDirectory(let path, _):
            return "cannot write \(path): directory \(URL(fileURLWithPath: path).deletingLastPathComponent().path) is not writable"
        }
    }
}
