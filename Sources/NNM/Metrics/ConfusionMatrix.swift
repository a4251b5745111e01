import NNMFormat

/// Counts of (true class, predicted class) pairs: `counts[actual][predicted]`.
///
/// `description` renders it as a text table with the class names, rows = actual classes,
/// columns = predicted classes, plus each class's recall — what a terminal user reads.
public struct ConfusionMatrix: Sendable, Equatable, CustomStringConvertible {
    public let classCount: Int
    /// `counts[actual][predicted]`.
    public let counts: [[Int]]
    /// Row and column titles; `"0"`, `"1"`, … when not given.
    public let classNames: [String]

    public init(predictions: [Int], labels: [Int], classCount: Int, classNames: [String]? = nil) throws {
        guard predictions.count == labels.count else {
            throw MetricsError.countMismatch(predictions: predictions.count, labels: labels.count)
        }
        guard classCount >= 1 else { throw MetricsError.empty }
        // The table holds classCount² counts: bound it by the most classes a dataset may have.
        guard classCount <= Dataset.maximumClasses else {
            throw MetricsError.tooManyClasses(classCount: classCount, limit: Dataset.maximumClasses)
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (index, (predicted, actual)) in zip(predictions, labels).enumerated() {
            for value in [predicted, actual] where value < 0 || value >= classCount {
                throw MetricsError.classOutOfRange(index: index, value: value, classCount: classCount)
            }
            counts[actual][predicted] += 1
        }
        self.classCount = classCount
        self.counts = counts
        if let classNames, classNames.count == classCount {
            self.classNames = classNames
        } else {
            self.classNames = (0..<classCount).map(String.init)
        }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }
    /// Correct over total; 0 for an empty matrix.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Of the samples of class `k`, the fraction predicted as `k` (nil when class k has none).
    public func recall(_ k: Int) -> Double? {
        let row = counts[k].reduce(0, +)
        return row == 0 ? nil : Double(counts[k][k]) / Double(row)
    }

    /// Of the samples predicted as `k`, the fraction that are `k` (nil when none were).
    public func precision(_ k: Int) -> Double? {
        let column = counts.reduce(0) { $0 + $1[k] }
        return column == 0 ? nil : Double(counts[k][k]) / Double(column)
    }

    /// Class names come from data files (CSV labels): control characters are escaped with
    /// `escapeForDisplay`, as nnm-inspect does, so a label cannot drive the terminal.
    public var description: String {
        let classNames = self.classNames.map(escapeForDisplay)
        let rowTitle = "actual \\ predicted"
        let nameWidth = max(rowTitle.count, classNames.map(\.count).max() ?? 0)
        let cellWidth = max(classNames.map(\.count).max() ?? 1, String(total).count, 5)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        var lines = [pad(rowTitle, nameWidth, left: true) + " "
            + classNames.map { pad($0, cellWidth) }.joined(separator: " ") + "  recall"]
        for k in 0..<classCount {
            let recallText = recall(k).map { formatPercent($0) } ?? "-"
            lines.append(pad(classNames[k], nameWidth, left: true) + " "
                + counts[k].map { pad(String($0), cellWidth) }.joined(separator: " ")
                + "  " + pad(recallText, 6))
        }
        lines.append("accuracy \(formatPercent(accuracy)) (\(correct) of \(total))")
        return lines.joined(separator: "\n")
    }

    /// `0.9876` → `98.8%`, without Foundation's formatters (locale-free, deterministic).
    private func formatPercent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
