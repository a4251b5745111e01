import NNM
import NNMFormat
import NNMPlot

/// How the comparison of runs is drawn.
public struct CompareOptions: Sendable {
    public var width: Int = 1200
    public var height: Int = 480
    /// One legend label per run; nil labels each run by the settings that differ.
    public var labels: [String]?
    public var title: String?
    public var logY: Bool = false
    public init(width: Int = 1200, height: Int = 480, labels: [String]? = nil, title: String? = nil, logY: Bool = false) {
        self.width = width; self.height = height; self.labels = labels; self.title = title; self.logY = logY
    }
}

/// Most runs one comparison draws: tab10 has ten colours, and more lines than that are a tangle.
public let maxComparedRuns = 10

/// The panels of a comparison: loss and accuracy per epoch, one series (one colour) per run.
/// Validation figures when every run recorded them, else training figures (the panel says which).
public func comparePanels(_ runs: [(path: String, model: NNMModel)], options: CompareOptions) throws -> [LinePanel] {
    guard !runs.isEmpty, runs.count <= maxComparedRuns else { throw RenderError.tooManyRuns(count: runs.count, maximum: maxComparedRuns) }
    for run in runs where (run.model.history?.epochCount ?? 0) == 0 {
        throw RenderError.runWithoutHistory(path: run.path)
    }
    let labels = options.labels ?? RunSummary.labels(runs.map { RunSummary($0.model.modelFile(), path: $0.path) })
    func measured(_ name: HistorySeriesName, _ m: NNMModel) -> [Double]? {
        guard let v = m.history?[name], v.contains(where: \.isFinite) else { return nil }
        return v.map(Double.init)
    }
    func panel(_ quantity: String, validation: HistorySeriesName, train: HistorySeriesName, logY: Bool) -> LinePanel? {
        let useValidation = runs.allSatisfy { measured(validation, $0.model) != nil }
        guard useValidation || runs.allSatisfy({ measured(train, $0.model) != nil }) else { return nil }
        let which = useValidation ? "validation" : "training"
        let series = runs.enumerated().map { i, run in
            let y = measured(useValidation ? validation : train, run.model) ?? []
            return Series(name: labels[i], x: (0..<y.count).map { Double($0 + 1) }, y: y, color: .cycle(i),
                          highlight: quantity == "loss" ? .minimum : .maximum)
        }
        return LinePanel(labels: AxesLabels(title: "\(which) \(quantity)", x: "epoch",
                                            y: logY ? "\(quantity) (log scale)" : quantity),
                         series: series, logY: logY)
    }
    let panels = [panel("loss", validation: .validationLoss, train: .trainLoss, logY: options.logY),
                  panel("accuracy", validation: .validationAccuracy, train: .trainAccuracy, logY: false)].compactMap { $0 }
    guard !panels.isEmpty else { throw RenderError.noLossSeries(available: []) }
    return panels
}

/// Loss and accuracy curves of several runs on shared axes (TensorBoard's run comparison, as a
/// file): each run one colour, labelled by what differs between the runs.
public func renderCompare(_ runs: [(path: String, model: NNMModel)], options: CompareOptions = CompareOptions(),
                          theme: Theme) throws -> Canvas {
    try MinimumSize.check("compare", width: options.width, height: options.height, minimum: MinimumSize.compare)
    if let labels = options.labels, labels.count != runs.count {
        throw RenderError.labelCount(labels: labels.count, runs: runs.count)
    }
    var panels = try comparePanels(runs, options: options)
    for i in panels.indices { panels[i].legend = false }
    let title = options.title ?? "\(runs.count) runs compared"
    // The legend goes above the panels, where it can hide no curve, wrapped into rows.
    let t = theme
    let W = Float(options.width) * t.scale
    let entries = panels[0].series.map { LegendEntry(label: $0.name ?? "", sample: .line($0.color, width: t.px(2))) }
    let rows = LegendRows(entries, maxWidth: W - t.px(40), theme: t)
    let titleH = t.text.lineHeight(size: t.px(13)) + t.px(6)
    let top = (t.px(6) + titleH + rows.height + t.px(4)).rounded(.up)
    let chartH = Int(((Float(options.height) * t.scale - top) / t.scale).rounded(.down))
    let chart = try LineChart.render(panels, width: options.width, height: max(chartH, 100), theme: t)
    var canvas = try Canvas(width: chart.width, height: chart.height + Int(top), background: t.background)
    canvas.drawText(title, at: Point(W / 2, t.px(6)), size: t.px(13), color: t.textColor, h: .center, v: .top, using: t.text)
    canvas.drawLegendRows(entries, centerX: W / 2, top: t.px(6) + titleH, minX: t.px(20), maxX: W - t.px(20), theme: t)
    canvas.paste(chart, atY: Int(top))
    return canvas
}

extension Canvas {
    /// Copies `other` (same width) into this canvas with its top row at `y`.
    mutating func paste(_ other: Canvas, atY y: Int) {
        let src = other.pixels, w = other.width
        withRows(PixelBox(x0: 0, y0: y, x1: min(width, w), y1: y + other.height)) { row, xa, xb, p, off in
            let from = ((row - y) * w + xa) * 4
            for i in 0..<((xb - xa) * 4) { p[off + i] = src[from + i] }
        }
    }
}
