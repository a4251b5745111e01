import NNM
import NNMFormat
import NNMPlot

/// How the loss picture is drawn.
public struct LossOptions: Sendable {
    /// Canvas size in pixels at scale 1.
    public var width: Int = 1200
    public var height: Int = 450
    /// TensorBoard's smoothing weight (0...1, its default 0.6); nil draws raw values only.
    public var smoothing: Double?
    /// Logarithmic loss axis.
    public var logY: Bool = false
    /// Figure title; nil gives "training history (N epochs)".
    public var title: String?
    /// Keep `width` even when there is only a loss panel (a size the user asked for); otherwise
    /// a single panel takes two thirds of it, so it is not stretched.
    public var exactWidth: Bool = false
    public init(width: Int = 1200, height: Int = 450, smoothing: Double? = nil, logY: Bool = false, title: String? = nil,
                exactWidth: Bool = false) {
        self.width = width; self.height = height; self.smoothing = smoothing; self.logY = logY; self.title = title
        self.exactWidth = exactWidth
    }
}

/// Loss per epoch (train and validation) and, when recorded, accuracy (a classifier) or R²
/// (a regression model) on a second panel.
///
/// Series come from `NNMModel.history` (`train_loss`, `val_loss`, `train_accuracy`,
/// `val_accuracy`; NaN = not measured). Train is tab10 C0, validation C1. The best validation
/// value (or the final train value) is marked and told in the legend.
public func renderLoss(_ model: NNMModel, options: LossOptions = LossOptions(), theme: Theme) throws -> Canvas {
    guard let history = model.history else { throw RenderError.absent(.history, in: model, otherwise: .noHistory) }
    guard history.epochCount > 0 else { throw RenderError.noHistory }
    try MinimumSize.check("loss", width: options.width, height: options.height, minimum: MinimumSize.loss)
    func present(_ series: HistorySeriesName) -> [Double]? {
        guard let v = history[series], v.contains(where: { $0.isFinite }) else { return nil }
        return v.map(Double.init)
    }
    let trainLoss = present(.trainLoss), valLoss = present(.validationLoss)
    guard trainLoss != nil || valLoss != nil else {
        throw RenderError.noLossSeries(available: history.series.map(\.name))
    }
    let epochs = (0..<history.epochCount).map { Double($0 + 1) }

    func series(_ name: String, _ values: [Double]?, color: RGBA, highlight: Series.Highlight) -> [Series] {
        guard let values else { return [] }
        if let w = options.smoothing {
            return [Series(name: nil, x: epochs, y: values, color: color.withAlpha(0.25), widthPt: 1),
                    Series(name: name, x: epochs, y: Smoothing.debiasedEMA(values, weight: w),
                           color: color, highlight: highlight)]
        }
        return [Series(name: name, x: epochs, y: values, color: color, highlight: highlight)]
    }
    let c0 = RGBA.cycle(0), c1 = RGBA.cycle(1)
    func smoothNote(_ title: String) -> String {
        guard let w = options.smoothing else { return title }
        return title + " (smoothed: EMA \(NiceTicks.shortest(max(0, min(1, w)))), raw pale)"
    }
    var panels = [LinePanel(
        labels: AxesLabels(title: smoothNote("loss"), x: "epoch", y: options.logY ? "loss (log scale)" : "loss"),
        series: series("train", trainLoss, color: c0, highlight: valLoss == nil ? .minimum : .last)
            + series("validation", valLoss, color: c1, highlight: .minimum),
        logY: options.logY)]
    let trainAcc = present(.trainAccuracy), valAcc = present(.validationAccuracy)
    if trainAcc != nil || valAcc != nil {
        panels.append(LinePanel(
            labels: AxesLabels(title: smoothNote("accuracy"), x: "epoch", y: "accuracy"),
            series: series("train", trainAcc, color: c0, highlight: valAcc == nil ? .maximum : .last)
                + series("validation", valAcc, color: c1, highlight: .maximum)))
    }
    if let r2 = RegressionLossPanel.panel(history, series: { series($0, $1, color: $2, highlight: $3) }, title: smoothNote) {
        panels.append(r2)
    }
    // Each recorded segment (a resume that changed data or settings) is a labelled line just
    // before its first epoch, on every panel.
    // The line says "resume K", the loss panel's legend what changed.
    let segments = ModelFile.segments(from: model.metadata)
    for index in panels.indices {
        panels[index].markers = segments.enumerated().map { k, segment in
            VerticalMarker(x: Double(segment.firstEpoch) - 0.5, label: "resume \(k + 1)",
                           legend: index == 0 ? "resume \(k + 1) @ \(segment.firstEpoch): \(segment.change)" : nil)
        }
    }
    // One panel alone needs less width than two side by side.
    let width = panels.count == 1 && !options.exactWidth ? min(options.width, max(320, options.width * 2 / 3)) : options.width
    let title = options.title ?? "training history (\(history.epochCount) epoch\(history.epochCount == 1 ? "" : "s"))"
    if panels.count == 1 {
        // One panel: its own title says it all, no figure title above it.
        panels[0].labels.title = smoothNote(title)
        return try LineChart.render(panels, width: width, height: options.height, theme: theme)
    }
    return try LineChart.render(panels, width: width, height: options.height, title: title, theme: theme)
}
