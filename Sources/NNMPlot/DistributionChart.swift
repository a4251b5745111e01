/// How a set of values is spread at successive steps, as TensorBoard's distribution view
/// draws it: nested bands between matching percentiles (min–max, 7–93, 16–84, 31–69), darker
/// toward the middle, and the median as a line. One panel per tensor, in a grid.
public struct DistributionPanel: Sendable {
    public var title: String
    /// The steps (epochs), increasing and > 0.
    public var steps: [Double]
    /// For each step, the values at ``DistributionChart/percentiles``.
    public var quantiles: [[Float]]
    public init(title: String, steps: [Double], quantiles: [[Float]]) {
        self.title = title; self.steps = steps; self.quantiles = quantiles
    }
}

public enum DistributionChart {
    /// The percentiles every panel carries: TensorBoard's, which are the normal distribution's
    /// −∞, −1.5σ, −1σ, −0.5σ, 0, … in percent.
    public static let percentiles: [Double] = [0, 7, 16, 31, 50, 69, 84, 93, 100]
    /// The band colour (TensorBoard's orange); each nested band adds another layer of it.
    public static let bandColor = RGBA(hex: 0xe8710a)

    /// Numpy's default ("linear") percentile of `sorted` values: position p/100 · (n − 1),
    /// interpolated between its neighbours.
    public static func quantiles(of values: [Float]) -> [Float] {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return percentiles.map { _ in .nan } }
        return percentiles.map { p in
            let position = p / 100 * Double(sorted.count - 1)
            let i = Int(position.rounded(.down)), f = position - Double(i)
            guard i + 1 < sorted.count else { return sorted[sorted.count - 1] }
            return Float(Double(sorted[i]) + (Double(sorted[i + 1]) - Double(sorted[i])) * f)
        }
    }

    /// Renders `panels` in a grid of `columns` (the steps on a log axis when `logSteps`).
    public static func render(_ panels: [DistributionPanel], columns: Int, title: String?, xLabel: String,
                              logSteps: Bool, width: Int, panelHeight: Int, theme t: Theme) throws -> Canvas {
        guard !panels.isEmpty, panels.count <= 256,
              panels.allSatisfy({ !$0.steps.isEmpty && $0.steps.count == $0.quantiles.count
                  && $0.quantiles.allSatisfy { $0.count == percentiles.count } }) else {
            throw PlotError.invalidData("a distribution chart needs 1...256 panels, each with a quantile row per step")
        }
        let cols = max(1, min(columns, panels.count)), rows = (panels.count + cols - 1) / cols
        let W = Float(width) * t.scale, pad = t.px(8)
        let titleH = title == nil ? 0 : t.text.lineHeight(size: t.titleFont) + t.px(6)
        let legendH = LegendRows(legend(t), maxWidth: W - 2 * pad, theme: t).height + t.px(10)
        let cellW = (W - 2 * pad) / Float(cols), cellH = Float(panelHeight) * t.scale
        let xLabelH = t.text.lineHeight(size: t.labelFont) + t.px(4)
        let H = pad + titleH + legendH + Float(rows) * cellH + xLabelH + pad
        let Wi = Int(W.rounded()), Hi = Int(H.rounded(.up))
        guard Wi >= 1, Hi >= 1, Wi <= Canvas.maxSide, Hi <= Canvas.maxSide, Wi * Hi <= Canvas.maxArea else {
            throw PlotError.invalidCanvasSize(width: Wi, height: Hi)
        }
        var canvas = try Canvas(width: Wi, height: Hi, background: t.background)
        if let title {
            canvas.drawText(FieldGridChart.fit(title, width: W - 2 * pad, size: t.titleFont, t: t), at: Point(W / 2, pad),
                            size: t.titleFont, color: t.textColor, h: .center, v: .top, using: t.text)
        }
        canvas.drawLegendRows(legend(t), centerX: W / 2, top: pad + titleH, minX: pad, maxX: W - pad, theme: t)
        let gridTop = pad + titleH + legendH
        for (k, panel) in panels.enumerated() {
            let cell = Rect(x: pad + Float(k % cols) * cellW, y: gridTop + Float(k / cols) * cellH, width: cellW, height: cellH)
            drawPanel(panel, in: cell, logSteps: logSteps, canvas: &canvas, t: t)
        }
        canvas.drawText(xLabel, at: Point(W / 2, gridTop + Float(rows) * cellH + t.px(2)), size: t.labelFont,
                        color: t.textColor, h: .center, v: .top, using: t.text)
        return canvas
    }

    static func legend(_ t: Theme) -> [LegendEntry] {
        let shades = [1, 2, 3, 4].map { bandColor.withAlpha(min(1, 0.22 * Float($0))) }
        return [
            LegendEntry(label: "min–max", sample: .patch(shades[0])),
            LegendEntry(label: "7–93 %", sample: .patch(shades[1])),
            LegendEntry(label: "16–84 %", sample: .patch(shades[2])),
            LegendEntry(label: "31–69 %", sample: .patch(shades[3])),
            LegendEntry(label: "median", sample: .line(RGBA(hex: 0x7a3a00), width: t.px(1.5))),
        ]
    }

    static func drawPanel(_ p: DistributionPanel, in cell: Rect, logSteps: Bool, canvas: inout Canvas, t: Theme) {
        let values = p.quantiles.joined().filter(\.isFinite)
        var lo = Double(values.min() ?? -1), hi = Double(values.max() ?? 1)
        if hi <= lo { lo -= 0.5; hi += 0.5 }
        // One step has no width on the axis: it gets a narrow span around it.
        let steps = p.steps.count == 1 ? [p.steps[0] * 0.9, p.steps[0] * 1.1] : p.steps
        let quantiles = p.quantiles.count == 1 ? [p.quantiles[0], p.quantiles[0]] : p.quantiles
        let captionH = t.text.lineHeight(size: t.px(10)) + t.px(6)
        var ys = AxisScale.linear(dataLo: lo, dataHi: hi, length: cell.height - captionH, fontPx: t.tickFont, horizontal: false)
        let left = AxesLayout.left(AxesLabels(title: nil, x: nil, y: nil), yTickLabels: ys.labels, t)
        let bottom = AxesLayout.bottom(AxesLabels(title: nil, x: nil, y: nil), t)
        let box = Rect(x: (cell.minX + left).rounded(), y: (cell.minY + captionH).rounded(),
                       width: max(8, cell.width - left - t.px(12)).rounded(), height: max(8, cell.height - captionH - bottom).rounded())
        ys = AxisScale.linear(dataLo: lo, dataHi: hi, length: box.height, fontPx: t.tickFont, horizontal: false)
        let first = steps.first ?? 1, last = steps.last ?? 1
        var xs = logSteps
            ? AxisScale.logarithmic(dataLo: first, dataHi: last, margin: 0.02)
            : AxisScale.linear(dataLo: first, dataHi: last, margin: 0.02, length: box.width, fontPx: t.tickFont, horizontal: true)
        // Steps are counted: 1, 10, 100 read better than 10⁰, 10¹, 10².
        if xs.isLog, xs.ticks.allSatisfy({ $0 >= 1 && $0 < 1e9 && $0 == $0.rounded() }) {
            xs.labels = xs.ticks.map { String(Int($0)) }
        }
        let ax = Axes(box: box, x: xs, y: ys)
        canvas.drawGrid(ax, theme: t)
        canvas.clipped(to: box) { c in
            let n = percentiles.count
            for band in 0..<(n / 2) {
                let upper = zip(steps, quantiles).map { ax.point($0, Double($1[n - 1 - band])) }
                let lower = zip(steps, quantiles).map { ax.point($0, Double($1[band])) }
                c.fillPolygon(upper + lower.reversed(), bandColor.withAlpha(0.22))
            }
            c.strokePolyline(zip(steps, quantiles).map { ax.point($0, Double($1[n / 2])) }, lineWidth: t.px(1.5), RGBA(hex: 0x7a3a00))
        }
        canvas.drawAxesFrame(ax, labels: AxesLabels(title: nil, x: nil, y: nil), theme: t)
        let size = t.px(10)
        canvas.drawText(FieldGridChart.fit(p.title, width: cell.width - t.px(4), size: size, t: t),
                        at: Point(box.midX, box.minY - t.px(4)), size: size, color: t.textColor, h: .center, v: .bottom, using: t.text)
    }
}
