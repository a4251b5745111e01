/// Why a metric cannot be computed from the given predictions, labels or scores.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    /// Predictions (or scores) and labels differ in count.
    case countMismatch(predictions: Int, labels: Int)
    /// No samples at all.
    case empty
    /// A class index outside `0..<classCount`.
    case classOutOfRange(index: Int, value: Int, classCount: Int)
    /// ROC AUC needs both a positive and a negative sample.
    case singleClass(label: Int)
    /// A score is NaN (a diverged model).
    case notANumber(index: Int)
    /// More classes than a confusion matrix is built for (its size grows with the square).
    case tooManyClasses(classCount: Int, limit: Int)

    public var description: String {
        switch self {
        case let .countMismatch(predictions, labels):
            return "\(predictions) predictions for \(labels) labels"
        case .empty:
            return "no samples to measure"
        case let .classOutOfRange(index, value, classCount):
            return "sample \(index): class \(value) is outside 0..<\(classCount)"
        case .singleClass(let label):
            return "ROC AUC needs both classes, but every label is \(label)"
        case .notANumber(let index):
            return "sample \(index): the score is NaN"
        case let .tooManyClasses(classCount, limit):
            return "\(classCount) classes; a confusion matrix holds at most \(limit)"
        }
    }
}
