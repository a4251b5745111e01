#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNMFormat

/// Why a `.nnm` file could not be loaded as a model: one type for every way a load can fail,
/// so a caller catches one thing and can tell a missing file from a damaged one.
///
/// `localizedDescription` (and `description`) read as one line: where, then what, e.g.
/// `cannot load model.nnm: tensor 'layers.0.weight': CRC-32 of the decoded bytes …`.
public struct ModelLoadError: Error, LocalizedError, CustomStringConvertible, Sendable {
    /// What kind of problem it is; ``detail`` says exactly what and where.
    public enum Kind: Sendable, Hashable {
        /// The file could not be opened or read (missing, a directory, no permission).
        case unreadable
        /// Not an `.nnm` file, or one that needs a newer reader.
        case unsupported
        /// Structurally invalid: sizes, limits, order, inconsistent tables.
        case malformed
        /// A checksum or the content digest does not match: the bytes were damaged.
        case damaged
        /// A well-formed file whose layers and tensors do not make a network this library runs.
        case notANetwork
    }

    public let kind: Kind
    /// The path that was loaded, when the model came from a file.
    public let path: String?
    /// One line saying what is wrong and where in the file.
    public let detail: String
    /// The error of the layer that found the problem (an `NNMFormatError`, a ``ModelFileError``…),
    /// for callers that need its exact case.
    public let underlying: any Error

    init(_ error: any Error, path: String?) {
        if let error = error as? ModelLoadError {
            self = error
            return
        }
        self.path = path
        kind = switch error {
        case let error as NNMFormatError:
            switch error.category {
            case .io: .unreadable
            case .unsupported: .unsupported
            case .malformed: .malformed
            case .integrity: .damaged
            }
        case is ModelFileError, is ModelError: .notANetwork
        default: .malformed
        }
        underlying = error
        detail = String(describing: error)
    }

    public var description: String {
        guard let path else { return "cannot load the model: \(detail)" }
        return "cannot load \(escapeForDisplay(path)): \(detail)"
    }

    public var errorDescription: String? { description }
}
