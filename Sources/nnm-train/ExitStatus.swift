import ArgumentParser
import NNM

/// nnm-train's exit statuses (documented in `--help` and README), so a script can tell a
/// command line to fix from a file to fix from a training run that failed.
enum ExitStatus {
    /// The model was trained and written.
    static let success: Int32 = 0
    /// A data file or model file could not be read or is invalid, or the output cannot be
    /// written (or is refused: not an .nnm file, a data file of the run, not a regular file).
    static let fileProblem: Int32 = 1
    /// Training diverged (the loss became NaN or infinite); no file is written.
    static let diverged: Int32 = 2
    /// Ctrl-C: the model so far was written, marked as interrupted (128 + SIGINT, as shells
    /// report a process ended by Ctrl-C). A second Ctrl-C exits with it too, writing nothing.
    static let interrupted: Int32 = 130
    /// A bad command line: unknown or malformed flags, values out of range, flags that
    /// contradict each other or do not fit the dataset or network (BSD's EX_USAGE).
    static let usage: Int32 = 64

    static let helpText = """
        Exit status: 0 success; 1 a data or model file cannot be read or is invalid, or the \
        output cannot be written or is refused; 2 training diverged (no file written); \
        64 bad command line (flags, values, or flags that do not fit the data or network); \
        130 interrupted by Ctrl-C (the model so far written, marked interrupted; before the \
        first batch, and after a second Ctrl-C, nothing is written).
        """

    /// The status for an error thrown while running (after ArgumentParser's own checks, which
    /// exit 64 by themselves).
    static func of(_ error: Error) -> Int32 {
        switch error {
        case let error as RunError: return error.status
        case is ValidationError: return usage
        case is ArchitectureError, is LossError: return usage
        case ModelError.inputWidthMismatch: return usage
        case let error as DataError:
            switch error {
            case .unknownDataset, .invalidParameter, .parameterNotApplicable, .invalidSplit: return usage
            default: return fileProblem
            }
        case let error as TrainingError:
            switch error {
            case .invalidSetting, .emptyTrainingData: return usage
            case .diverged: return diverged
            case .interruptedBeforeTraining: return interrupted
            default: return fileProblem
            }
        default: return fileProblem
        }
    }
}
