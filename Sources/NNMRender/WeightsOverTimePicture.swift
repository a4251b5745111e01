import NNM
import NNMFormat
import NNMPlot

/// How each Linear layer's weights and biases are spread at every snapshot, as TensorBoard's
/// distribution view: nested percentile bands over the epochs (log axis, as the snapshots are
/// log-spaced), one row per layer, weights left and biases right.
public enum WeightsOverTimePicture {
    public static func render(_ model: NNMModel, width: Int = 960, title: String? = nil, theme: Theme) throws -> Canvas {
        try MinimumSize.check("weights-over-time", width: width, height: nil, minimum: MinimumSize.weightsOverTime)
        let snapshots = try SnapshotNetwork.all(in: model)
        let perSnapshot = try snapshots.map { try LinearWeights.all(in: $0.network) }
        guard let layers = perSnapshot.first, !layers.isEmpty else { throw RenderError.noLinearLayer }
        let steps = snapshots.map { Double($0.epoch) }
        var panels: [DistributionPanel] = []
        for (k, layer) in layers.enumerated() {
            let shape = "\(layer.weight.rows)×\(layer.weight.cols)"
            panels.append(DistributionPanel(title: "layer \(layer.layerIndex) weight (\(shape))", steps: steps,
                                            quantiles: perSnapshot.map { DistributionChart.quantiles(of: $0[k].weight.values) }))
            panels.append(DistributionPanel(title: "layer \(layer.layerIndex) bias (\(layer.bias.count))", steps: steps,
                                            quantiles: perSnapshot.map { DistributionChart.quantiles(of: $0[k].bias) }))
        }
        let epochs = snapshots.map(\.epoch)
        let text = title ?? "Weight distributions at \(epochs.count) epoch\(epochs.count == 1 ? "" : "s") (\(epochs.first ?? 0)–\(epochs.last ?? 0))"
        return try DistributionChart.render(panels, columns: 2, title: text, xLabel: epochs.count > 1 ? "epoch (log scale)" : "epoch",
                                            logSteps: epochs.count > 1, width: width, panelHeight: 170, theme: theme)
    }
}
