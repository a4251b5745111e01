import NNM
import NNMFormat

/// The networks a model file's weight snapshots describe (`nnm-train --snapshots`): the
/// file's layers with each snapshot's tensors, and what its history says about that epoch.
public struct SnapshotNetwork: Sendable {
    public var epoch: Int
    public var network: Sequential

    /// One network per snapshot, in epoch order.
    /// - Throws: ``RenderError/noSnapshots`` (or `damagedSection` when the reader dropped a
    ///   damaged `snap` section).
    public static func all(in model: NNMModel) throws -> [SnapshotNetwork] {
        guard model.weightSnapshots != nil else {
            throw RenderError.absent(.weightSnapshots, in: model, otherwise: .noSnapshots)
        }
        let file = model.modelFile()
        return try file.snapshotTensors().map { epoch, tensors in
            var layers = file
            layers.tensors = tensors
            layers.weightSnapshots = nil
            return SnapshotNetwork(epoch: epoch, network: try Sequential(file: layers))
        }
    }

    /// The figures the history recorded for `epoch` — validation when measured (they belong
    /// to exactly these weights), else training: the accuracy (`93.00 %`, regression `R² 0.812`)
    /// and the loss (`loss 0.3127`), each nil when not recorded.
    static func figures(epoch: Int, history: TrainingHistory?, regression: Bool) -> (score: String?, loss: String?) {
        func value(_ names: [String]) -> Double? {
            for name in names {
                if let series = history?[name], epoch >= 1, epoch <= series.count, series[epoch - 1].isFinite {
                    return Double(series[epoch - 1])
                }
            }
            return nil
        }
        let loss = value(["val_loss", "train_loss"]).map { "loss " + MetricText.loss($0) }
        let score = regression
            ? value(["val_r2", "train_r2"]).map { "R² " + MetricText.r2($0) }
            : value(["val_accuracy", "train_accuracy"]).map(MetricText.accuracy)
        return (score, loss)
    }

    /// A panel's two caption lines: `epoch 21 · 93.00 %` (the figure that matters on the short
    /// first line, so a narrow panel never cuts it) and `loss 0.3127`.
    static func caption(epoch: Int, history: TrainingHistory?, regression: Bool) -> (caption: String, detail: String?) {
        let f = figures(epoch: epoch, history: history, regression: regression)
        return (["epoch \(epoch)", f.score].compactMap { $0 }.joined(separator: " · "), f.loss)
    }

    /// Whether the captions' figures are validation ones (said in the picture's title).
    static func figuresAreValidation(_ history: TrainingHistory?) -> Bool {
        history?["val_loss"].map { $0.contains(where: \.isFinite) } ?? false
    }
}
