import Foundation
import NNMConvert
import NNMFiles
import NNMFormat

/// nnm-convert's one-line words for each failure.
enum ConvertMessages {
    static func sentence(for error: Error) -> String {
        switch error {
        case let refusal as OutputRefusal: return sentence(for: refusal)
        case let error as ConvertError: return error.description
        case let error as FileError: return error.description
        default: return "\(error)"
        }
    }

    static func sentence(for refusal: OutputRefusal) -> String {
        switch refusal {
        case .emptyPath: return "the output path is empty"
        case .namesADirectory(let path), .notARegularFile(let path, _, _):
            return "cannot write \(escapeForDisplay(path)): it is not a regular file (a directory, device, FIFO or socket)"
        case let .unresolvable(path, error): return "cannot write \(escapeForDisplay(path)): \(error)"
        case let .missingDirectory(path, directory), let .unwritableDirectory(path, directory):
            return "cannot write \(escapeForDisplay(path)): directory \(escapeForDisplay(directory)) does not exist or is not writable"
        case let .missingLinkTargetDirectory(path, target):
            return "cannot write \(escapeForDisplay(path)): it is a symlink to \(escapeForDisplay(target)), whose directory does not exist"
        case let .isAnInput(path, _): return "cannot write \(escapeForDisplay(path)): it is the input file"
        case .unexpectedContent(let path):
            return "\(escapeForDisplay(path)) exists and is not a file of the output's kind: refusing to replace it (pass --force to overwrite it)"
        case .writeProtected(let path):
            return "\(escapeForDisplay(path)) is write-protected: refusing to replace it (pass --force to overwrite it)"
        }
    }
}
