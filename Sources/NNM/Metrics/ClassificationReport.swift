import NNMFormat

/// How a classifier did on labelled samples: accuracy, each class's precision, recall, F1
/// and support, the confusion matrix, and ROC AUC for two classes. Built from the decided
/// classes and, for two classes, the probability of class 1 (scikit-learn's
/// `classification_report`, `confusion_matrix` and `roc_auc_score` give the same figures).
public struct ClassificationReport: Sendable, Equatable {
    /// One class's figures; nil where the ratio is undefined (no sample predicted or present).
    public struct ClassFigures: Sendable, Equatable {
        public let name: String
        public let precision: Double?
        public let recall: Double?
        public let f1: Double?
        /// Samples whose label is this class.
        public let support: Int
    }

    public let sampleCount: Int
    public let accuracy: Double
    public let classes: [ClassFigures]
    public let confusion: ConfusionMatrix
    /// Two classes with both present, and scores given: the area under the ROC curve.
    public let rocAUC: Double?

    /// - Parameters:
    ///   - positiveScores: for two classes, each sample's probability of class 1 (for ROC AUC).
    public init(predictions: [Int], labels: [Int], classCount: Int, classNames: [String]? = nil,
                positiveScores: [Float]? = nil) throws {
        confusion = try ConfusionMatrix(predictions: predictions, labels: labels, classCount: classCount,
                                        classNames: classNames)
        sampleCount = labels.count
        accuracy = try ClassificationMetrics.accuracy(predictions: predictions, labels: labels)
        classes = (0..<classCount).map { [confusion] k in
            let precision = confusion.precision(k), recall = confusion.recall(k)
            var f1: Double?
            if let precision, let recall { f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }
            return ClassFigures(name: confusion.classNames[k], precision: precision, recall: recall, f1: f1,
                                support: confusion.counts[k].reduce(0, +))
        }
        if classCount == 2, let positiveScores, Set(labels).count == 2 {
            rocAUC = try ClassificationMetrics.rocAUC(scores: positiveScores, labels: labels)
        } else {
            rocAUC = nil
        }
    }

    /// The block `nnm-predict` prints: accuracy, ROC AUC, a per-class table, the confusion
    /// matrix (up to 12 classes, as `nnm-train`).
    public var text: String {
        var lines = ["samples   \(sampleCount)", "accuracy  \(MetricText.accuracy(accuracy))"]
        if let rocAUC { lines.append("ROC AUC   \(Self.fixed(rocAUC))") }
        let names = classes.map { escapeForDisplay($0.name) }
        let width = max(5, names.map(\.count).max() ?? 0)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        lines.append(pad("class", width, left: true) + "  precision  recall      F1  support")
        for (figures, name) in zip(classes, names) {
            lines.append(pad(name, width, left: true) + "  " + pad(figures.precision.map(Self.fixed) ?? "-", 9)
                + "  " + pad(figures.recall.map(Self.fixed) ?? "-", 6) + "  " + pad(figures.f1.map(Self.fixed) ?? "-", 6)
                + "  " + pad(String(figures.support), 7))
        }
        if confusion.classCount <= 12 {
            lines.append("confusion matrix:")
            lines += confusion.description.split(separator: "\n").map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// `0.98765` → `0.9877`, locale-free.
    static func fixed(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let scaled = Int((value * 10000).rounded())
        let fraction = String(scaled % 10000)
        return "\(scaled / 10000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}
