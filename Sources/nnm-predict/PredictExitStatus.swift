import ArgumentParser
import NNM

/// nnm-predict's exit statuses (in `--help` and README), as the other tools document theirs.
enum PredictExitStatus {
    /// A model or data file cannot be read or is invalid (a missing column, a cell that is not a
    /// number, a label that is none of the model's classes), or the output cannot be written
    /// (a full disk, a closed pipe) or is refused.
    static let fileProblem: Int32 = 1
    /// A bad command line (BSD's EX_USAGE), including flags that do not fit the model or data.
    static let usage: Int32 = 64

    static let helpText = """
        Exit status: 0 success; 1 a model or data file cannot be read or is invalid (missing \
        columns, bad cells, unknown labels), or the output cannot be written (full disk, closed \
        pipe) or is refused; 64 bad command line (flags, or flags that do not fit the model or data).
        """

    static func of(_ error: Error) -> Int32 {
        switch error {
        case let error as PredictError: return error.status
        case is ValidationError: return usage
        case let error as DataError:
            switch error {
            case .unknownDataset, .invalidParameter, .parameterNotApplicable, .invalidSplit: return usage
            default: return fileProblem
            }
        default: return fileProblem
        }
    }
}

/// An error of the run itself, with its exit status.
struct PredictError: Error, CustomStringConvertible {
    let description: String
    let status: Int32
    init(_ description: String, status: Int32 = PredictExitStatus.fileProblem) {
        self.description = description
        self.status = status
    }
    static func usage(_ description: String) -> PredictError { PredictError(description, status: PredictExitStatus.usage) }
}
