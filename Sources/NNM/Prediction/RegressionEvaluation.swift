import NNMFormat

/// The figures of a regression model on samples with targets, gathered chunk by chunk as they
/// are predicted: each prediction and target (8 bytes per sample), then MSE, RMSE, MAE and R²
/// (``RegressionMetrics``) over all of them.
public struct RegressionEvaluation: Sendable {
    private var predictions: [Float] = []
    private var targets: [Float] = []

    public init() {}

    /// Adds the outputs of a chunk (one column) with their targets.
    public mutating func add(outputs: Matrix, targets values: [Float]) {
        predictions.append(contentsOf: outputs.storage.prefix(outputs.rows))
        targets += values.prefix(outputs.rows)
    }

    /// Adds the outputs of a chunk with their label cells, each read as a number.
    /// - Throws: ``DataError/malformedCSV(path:line:column:reason:)`` at a cell that is not a
    ///   finite number.
    public mutating func add(outputs: Matrix, labelCells: [LabelCell], path: String) throws {
        let values = try labelCells.map { cell in
            guard let value = Float(cell.text), value.isFinite else {
                throw DataError.malformedCSV(
                    path: path, line: cell.line, column: cell.column,
                    reason: "the target '\(escapeForDisplay(String(cell.text.prefix(40))))' is not a finite number")
            }
            return value
        }
        add(outputs: outputs, targets: values)
    }

    /// The metrics; throws ``MetricsError/empty`` when no sample was added.
    public func report() throws -> RegressionMetrics {
        guard let metrics = RegressionMetrics(predictions: predictions, targets: targets) else { throw MetricsError.empty }
        return metrics
    }
}

extension RegressionMetrics {
    /// The evaluation block `nnm-predict` prints: the sample count, then MSE, RMSE, MAE and R².
    public var text: String {
        [
            "samples  \(sampleCount)",
            "MSE      \(MetricText.loss(meanSquaredError))",
            "RMSE     \(MetricText.loss(rootMeanSquaredError))",
            "MAE      \(MetricText.loss(meanAbsoluteError))",
            "R²       \(MetricText.r2(r2))",
        ].joined(separator: "\n")
    }
}
