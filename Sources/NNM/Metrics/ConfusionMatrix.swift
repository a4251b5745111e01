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

    /// The table, one line each: rows are actual classes, columns predicted ones, then each
    /// class's recall and the accuracy. Class names come from data files (CSV labels): control
    /// characters are escaped with `escapeForDisplay`, as nnm-inspect does, so a label cannot
    /// drive the terminal.
    public var description: String { lines(width: nil).joined(separator: "\n") }

    /// The table fitted to `width` columns (nil: no limit). When the full table is wider, it is
    /// first made compact (a shorter corner title, narrower cells, class names cut to 12
    /// characters with `…`); if that is still too wide, its columns are folded into blocks of
    /// nearly equal size, one under the other, each with its own header row (the recall
    /// column with the last block). A line may still exceed a very small width: every block
    /// keeps at least one column.
    public func lines(width: Int?) -> [String] {
        let full = TableLayout(self, compact: false)
        guard let width, full.width > width else { return full.lines(columnBlocks: [0..<classCount]) + [accuracyLine] }
        let compact = TableLayout(self, compact: true)
        let perBlock = max(1, (width - compact.fixedWidth) / (compact.cellWidth + 1))
        let blockCount = (classCount + perBlock - 1) / perBlock
        let size = (classCount + blockCount - 1) / blockCount
        let blocks = stride(from: 0, to: classCount, by: size).map { $0 ..< min($0 + size, classCount) }
        return compact.lines(columnBlocks: blocks) + [accuracyLine]
    }

    private var accuracyLine: String { "accuracy \(MetricText.accuracy(accuracy)) (\(correct) of \(total))" }

    /// The widths and titles of one rendering of the table.
    private struct TableLayout {
        let matrix: ConfusionMatrix
        let names: [String]
        let rowTitle: String
        let nameWidth: Int
        let cellWidth: Int
        static let recallWidth = 8

        init(_ matrix: ConfusionMatrix, compact: Bool) {
            self.matrix = matrix
            let escaped = matrix.classNames.map(escapeForDisplay)
            names = compact ? escaped.map { $0.count > 12 ? String($0.prefix(11)) + "…" : $0 } : escaped
            rowTitle = compact ? "actual\\pred" : "actual \\ predicted"
            nameWidth = max(rowTitle.count, names.map(\.count).max() ?? 0)
            cellWidth = max(names.map(\.count).max() ?? 1, String(matrix.total).count, compact ? 3 : 5)
        }

        /// The name column and the recall column.
        var fixedWidth: Int { nameWidth + 1 + 2 + Self.recallWidth }
        var width: Int { fixedWidth + matrix.classCount * (cellWidth + 1) - 1 }

        func lines(columnBlocks: [Range<Int>]) -> [String] {
            var lines: [String] = []
            for (index, columns) in columnBlocks.enumerated() {
                let last = index == columnBlocks.count - 1
                lines.append(pad(rowTitle, nameWidth, left: true) + " "
                    + columns.map { pad(names[$0], cellWidth) }.joined(separator: " ") + (last ? "  " + pad("recall", Self.recallWidth) : ""))
                for k in 0..<matrix.classCount {
                    let recall = matrix.recall(k).map { MetricText.accuracy($0) } ?? "-"
                    lines.append(pad(names[k], nameWidth, left: true) + " "
                        + columns.map { pad(String(matrix.counts[k][$0]), cellWidth) }.joined(separator: " ")
                        + (last ? "  " + pad(recall, Self.recallWidth) : ""))
                }
            }
            return lines
        }

        private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
    }
}
