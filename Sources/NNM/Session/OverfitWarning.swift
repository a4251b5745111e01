import NNMFormat

/// A finished run whose saved weights are probably overfit: its final validation loss is far
/// above the lowest one of the run (spec/training.md §7). Said after training, with what to do.
public struct OverfitWarning: Sendable, Equatable, CustomStringConvertible {
    public var bestEpoch: Int
    public var bestLoss: Double
    public var finalEpoch: Int
    public var finalLoss: Double

    /// The rule: the last epoch's validation loss is at least ``factor`` times the run's
    /// minimum, reached at least ``distance`` epochs earlier. breast_cancer with the defaults
    /// (0.152 at epoch 4, 0.76 at 200: 5×) warns; circles (0.039 at epoch 107, 0.071 at 200:
    /// 1.8×, and its last weights test better than epoch 107's) does not.
    public static let factor = 3.0
    public static let distance = 10

    /// The warning for `history` when the saved weights are its last epoch's (nil otherwise,
    /// or when nothing was validated).
    public static func check(_ history: TrainingHistory, keptEpoch: Int?) -> OverfitWarning? {
        guard let losses = history[HistorySeriesName.validationLoss.rawValue], let last = losses.last,
              last.isFinite, keptEpoch == nil || keptEpoch == losses.count else { return nil }
        var best: (epoch: Int, loss: Float)?
        for (index, loss) in losses.enumerated() where loss.isFinite && loss < (best?.loss ?? .infinity) {
            best = (index + 1, loss)
        }
        guard let best, best.loss > 0, Double(last) >= factor * Double(best.loss),
              losses.count - best.epoch >= distance else { return nil }
        return OverfitWarning(bestEpoch: best.epoch, bestLoss: Double(best.loss), finalEpoch: losses.count, finalLoss: Double(last))
    }

    public var description: String {
        "validation loss rose from \(MetricText.loss(bestLoss)) (epoch \(bestEpoch)) to \(MetricText.loss(finalLoss)) "
            + "(epoch \(finalEpoch)): the saved last weights are probably overfit; "
            + "--keep-best keeps epoch \(bestEpoch)'s, --patience N also stops early"
    }
}
