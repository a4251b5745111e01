#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNMFiles
import NNMFormat

// Every error the library throws reads as its one-line description through
// `localizedDescription`, as Swift code that catches `any Error` prints it; without this,
// Foundation would print "The operation could not be completed".
extension ModelError: LocalizedError { public var errorDescription: String? { description } }
extension ModelFileError: LocalizedError { public var errorDescription: String? { description } }
extension MatrixError: LocalizedError { public var errorDescription: String? { description } }
extension ArchitectureError: LocalizedError { public var errorDescription: String? { description } }
extension DataError: LocalizedError { public var errorDescription: String? { description } }
extension LossError: LocalizedError { public var errorDescription: String? { description } }
extension TrainingError: LocalizedError { public var errorDescription: String? { description } }
extension TrainingSessionError: LocalizedError { public var errorDescription: String? { description } }
extension MetricsError: LocalizedError { public var errorDescription: String? { description } }
extension NNMFormatError: LocalizedError { public var errorDescription: String? { description } }
extension FileError: LocalizedError { public var errorDescription: String? { description } }
