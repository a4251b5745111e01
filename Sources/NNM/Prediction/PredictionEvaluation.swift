import NNMFormat

/// The figures of a classifier on labelled samples, gathered chunk by chunk as they are
/// predicted: the decided classes and labels (and, for two classes, the probability of
/// class 1 for ROC AUC) — about 16 bytes per sample.
public struct PredictionEvaluation: Sendable {
    public let table: PredictionTable
    private var predictions: [Int] = []
    private var labels: [Int] = []
    private var scores: [Float] = []

    public init(model: NNMModel) { table = PredictionTable(model: model) }

    /// Adds the outputs of a chunk with their class indices.
    public mutating func add(outputs: Matrix, labels classes: [Int]) {
        for row in 0..<outputs.rows {
            let output = outputs.row(row)
            predictions.append(PredictionTable.classIndex(output))
            if table.classCount == 2 { scores.append(output.count == 1 ? output[0] : output[1]) }
        }
        labels += classes
    }

    /// Adds the outputs of a chunk with their label cells, each turned into a class index.
    /// - Throws: ``DataError/malformedCSV(path:line:column:reason:)`` at a label that is none
    ///   of the model's classes.
    public mutating func add(outputs: Matrix, labelCells: [LabelCell], path: String) throws {
        let classes = try labelCells.map { cell in
            guard let index = classIndex(ofLabel: cell.text) else {
                let known = (0..<min(table.classCount, 20)).map { escapeForDisplay(table.className($0)) }
                throw DataError.malformedCSV(
                    path: path, line: cell.line, column: cell.column,
                    reason: "the label '\(escapeForDisplay(String(cell.text.prefix(40))))' is none of the model's classes ("
                        + known.joined(separator: ", ") + (table.classCount > 20 ? ", …" : "") + ")")
            }
            return index
        }
        add(outputs: outputs, labels: classes)
    }

    /// The class a label means (``PredictionTable/classIndex(ofLabel:classNames:)``).
    public func classIndex(ofLabel text: String) -> Int? {
        PredictionTable.classIndex(ofLabel: text, classNames: (0..<table.classCount).map(table.className))
    }

    /// The report; throws ``MetricsError/empty`` when no sample was added.
    public func report() throws -> ClassificationReport {
        try ClassificationReport(predictions: predictions, labels: labels, classCount: table.classCount,
                                 classNames: (0..<table.classCount).map(table.className),
                                 positiveScores: table.classCount == 2 ? scores : nil)
    }
}
