import NNM
import NNMFormat
import NNMPlot

/// A regression model's answers on held-out data — the test split its recipe regenerates, or
/// every row of a CSV file (`--data csv:PATH`) — with the metrics `nnm-train` reports: what the
/// residuals picture draws.
public struct RegressionEvaluation: Sendable {
    /// "data.csv test split" or "points.csv".
    public var source: String
    public var targets: [Float]
    public var predictions: [Float]
    public var metrics: RegressionMetrics
    /// The target column's name when the model records it ("price"), else nil.
    public var targetName: String?

    /// Evaluates `model` (a regression model) on its held-out points (its training split when
    /// the recipe holds nothing out) or on a CSV file's rows.
    public static func of(_ model: NNMModel, points: BoundaryPoints = .recipe) throws -> RegressionEvaluation {
        guard model.isRegression else { throw RenderError.notARegressionModel(classes: max(2, model.outputCount)) }
        let recipe = try BoundaryFromModel.storedRecipe(of: model, points: points)
        let data = try BoundaryFromModel.pointData(recipe: recipe, points: points, features: nil,
                                                   columns: BoundaryFromModel.ModelColumns(model))
        var d = data.test, part = data.testLabel == "test" ? "test split" : ""
        if d.sampleCount == 0 { d = data.train; part = "training split (nothing held out)" }
        guard d.sampleCount > 0 else { throw RenderError.cannotRegenerate(generator: data.source, reason: "no samples") }
        guard d.featureCount == model.inputCount else {
            throw RenderError.cannotRegenerate(generator: data.source, reason: "\(d.featureCount) features, the model takes \(model.inputCount)")
        }
        guard let targets = d.targets else { throw RenderError.noTargets(source: data.source) }
        let predictions = try predict(model.network, d.features)
        guard let metrics = RegressionMetrics(predictions: predictions, targets: targets) else {
            throw RenderError.cannotRegenerate(generator: data.source, reason: "no samples")
        }
        return RegressionEvaluation(source: [data.source, part].filter { !$0.isEmpty }.joined(separator: " "),
                                    targets: targets, predictions: predictions, metrics: metrics,
                                    targetName: model.labelName.map { NetworkLabels.clipped(escapeForDisplay($0)) })
    }

    /// The network's single output for every row, in batches so a large file never makes one
    /// huge activation matrix.
    static func predict(_ network: Sequential, _ x: Matrix) throws -> [Float] {
        var out: [Float] = [], start = 0
        out.reserveCapacity(x.rows)
        while start < x.rows {
            let end = min(x.rows, start + BoundaryFromModel.batchRows)
            let batch = Matrix(rows: end - start, columns: x.columns,
                               storage: Array(x.storage[(start * x.columns)..<(end * x.columns)]))
            out.append(contentsOf: try network.predict(batch).storage)
            start = end
        }
        return out
    }

    /// "RMSE 0.1234 · R² 0.9312": the figures a title states.
    public var figures: String {
        "RMSE \(MetricText.loss(metrics.rootMeanSquaredError)) · R² \(MetricText.r2(metrics.r2))"
    }
}
