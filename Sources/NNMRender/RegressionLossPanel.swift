import NNM
import NNMFormat
import NNMPlot

/// The loss picture's second panel for a regression model: R² per epoch (`train_r2`,
/// `val_r2`) where a classifier has accuracy. R² is at most 1; its axis stops at −1 below,
/// so the first epochs of a run (R² far below 0) do not flatten the curve that matters.
enum RegressionLossPanel {
    /// The panel, or nil when the history records no R² (a classifier).
    static func panel(
        _ history: TrainingHistory, series: (String, [Double]?, RGBA, Series.Highlight) -> [Series],
        title: (String) -> String
    ) -> LinePanel? {
        func present(_ name: HistorySeriesName) -> [Double]? {
            guard let v = history[name], v.contains(where: { $0.isFinite }) else { return nil }
            return v.map(Double.init)
        }
        let train = present(.trainR2), validation = present(.validationR2)
        guard train != nil || validation != nil else { return nil }
        let finite = (train ?? []) + (validation ?? [])
        let lowest = max(-1, finite.filter(\.isFinite).min() ?? 0)
        return LinePanel(
            labels: AxesLabels(title: title("R² (coefficient of determination)"), x: "epoch", y: "R²"),
            series: series("train", train, RGBA.cycle(0), validation == nil ? .maximum : .last)
                + series("validation", validation, RGBA.cycle(1), .maximum),
            yLimits: min(lowest, 0.9)...1)
    }
}
