import NNM
import NNMFormat
import NNMPlot

/// How good a regression model is, in two panels: predicted against actual on held-out data
/// (points on the y = x line are exact; the spread about it is the error), and the histogram
/// of the residuals (actual − predicted), which shows bias (a peak off 0) and heavy tails.
public func renderResiduals(_ model: NNMModel, points: BoundaryPoints = .recipe, title: String? = nil,
                            width: Int = 1000, height: Int = 480, theme: Theme) throws -> Canvas {
    try MinimumSize.check("residuals", width: width, height: height, minimum: MinimumSize.residuals)
    let e = try RegressionEvaluation.of(model, points: points)
    let unit = e.targetName ?? "target"
    let actual = e.targets.map(Double.init), predicted = e.predictions.map(Double.init)
    let finite = (actual + predicted).filter(\.isFinite)
    let lo = finite.min() ?? 0, hi = finite.max() ?? 1
    let pad = max((hi - lo) * 0.05, 1e-6)
    let range = (lo - pad)...(hi + pad)
    // Many points overlap: smaller and translucent markers show where they crowd.
    let radius = theme.px(actual.count > 2000 ? 1.8 : 2.6)
    let dots = MarkerStyle(radius: radius, fill: RGBA.cycle(0).withAlpha(0.55), edge: RGBA(0.1, 0.2, 0.4, 0.8),
                           edgeWidth: theme.px(0.5))
    let scatter = LinePanel(
        labels: AxesLabels(title: "predicted vs actual", x: "actual \(unit)", y: "predicted \(unit)"),
        series: [Series(name: "y = x (exact)", x: [range.lowerBound, range.upperBound],
                        y: [range.lowerBound, range.upperBound], color: RGBA(0.35, 0.35, 0.35), widthPt: 1),
                 Series(name: "\(BoundaryFromModel.grouped(actual.count)) samples", x: actual, y: predicted,
                        color: .cycle(0), widthPt: 0, markers: dots)],
        integerX: false, yLimits: range)
    let residuals = zip(actual, predicted).map { $0 - $1 }
    let histogram = ResidualHistogram(residuals)
    let bars = LinePanel(
        labels: AxesLabels(title: "residuals", x: "actual − predicted (\(unit))", y: "samples"),
        series: [Series(name: nil, x: histogram.outlineX, y: histogram.outlineY, color: .cycle(0), widthPt: 1,
                        fill: RGBA.cycle(0).withAlpha(0.45)),
                 Series(name: nil, x: [0, 0], y: [0, Double(histogram.tallest) * 1.05],
                        color: RGBA(0.35, 0.35, 0.35), widthPt: 1)],
        integerX: false, yLimits: 0...(Double(max(1, histogram.tallest)) * 1.08), integerY: true)
    let heading = title ?? "\(e.source) · \(e.figures)"
    return try LineChart.render([scatter, bars], width: width, height: height, title: heading, theme: theme)
}

/// Residuals counted in equal bins (about √n of them, 8 to 40), as one step outline from the
/// first bin's left edge to the last's right edge at height 0 on both ends.
struct ResidualHistogram {
    var outlineX: [Double] = []
    var outlineY: [Double] = []
    var tallest = 0

    init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return }
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let bins = max(8, min(40, Int(Double(finite.count).squareRoot().rounded())))
        let width = (hi - lo) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for v in finite { counts[min(bins - 1, max(0, Int((v - lo) / width)))] += 1 }
        tallest = counts.max() ?? 0
        outlineX = [lo]; outlineY = [0]
        for (k, c) in counts.enumerated() {
            let left = lo + Double(k) * width
            outlineX += [left, left + width]; outlineY += [Double(c), Double(c)]
        }
        outlineX.append(hi); outlineY.append(0)
    }
}
