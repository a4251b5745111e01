/// How close a regression model's predictions are to the targets, in the target's units:
/// what `nnm-train`, `nnm-predict` and `nnm-inspect` report for a regression model.
///
/// Computed in binary64 over the samples in order, with the definitions scikit-learn's
/// `sklearn.metrics` uses (a test compares them): MSE = mean (y − ŷ)², RMSE = √MSE,
/// MAE = mean |y − ŷ|, R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (the coefficient of determination;
/// for constant targets 1 when every prediction is exact, else 0, and NaN for a single
/// sample, as sklearn does).
public struct RegressionMetrics: Sendable, Equatable {
    public var sampleCount: Int
    public var meanSquaredError: Double
    public var rootMeanSquaredError: Double { meanSquaredError.squareRoot() }
    public var meanAbsoluteError: Double
    public var r2: Double

    /// The metrics of `predictions` against `targets` (same count); nil when there are none.
    public init?(predictions: [Float], targets: [Float]) {
        let count = min(predictions.count, targets.count)
        guard count > 0 else { return nil }
        var squared = 0.0, absolute = 0.0, sum = 0.0
        for i in 0..<count {
            let error = Double(targets[i]) - Double(predictions[i])
            squared += error * error
            absolute += abs(error)
            sum += Double(targets[i])
        }
        let mean = sum / Double(count)
        var total = 0.0
        for i in 0..<count {
            let d = Double(targets[i]) - mean
            total += d * d
        }
        sampleCount = count
        meanSquaredError = squared / Double(count)
        meanAbsoluteError = absolute / Double(count)
        if count < 2 {
            r2 = .nan  // sklearn: not well-defined for one sample
        } else if total > 0 {
            r2 = 1 - squared / total
        } else {
            r2 = squared == 0 ? 1 : 0
        }
    }
}
