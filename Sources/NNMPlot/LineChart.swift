/// A line series: x and y values (NaN in y = no value, drawn as a gap).
public struct Series {
    /// Which point to mark with a dot and its value.
    public enum Highlight: Sendable { case none, minimum, maximum, last }

    /// Legend label; nil keeps the series out of the legend (a pale raw curve behind its smoothed one).
    public var name: String?
    public var x: [Double]
    public var y: [Double]
    public var color: RGBA
    public var widthPt: Float
    public var highlight: Highlight
    /// A marker at every point (a scatter plot); with `widthPt` 0 no line joins them.
    public var markers: MarkerStyle?
    /// Fills the area between the line and y = 0 in this colour (a histogram's bars drawn as
    /// one step outline).
    public var fill: RGBA?

    public init(name: String?, x: [Double], y: [Double], color: RGBA, widthPt: Float = 1.5,
                highlight: Highlight = .none, markers: MarkerStyle? = nil, fill: RGBA? = nil) {
        self.name = name; self.x = x; self.y = y; self.color = color; self.widthPt = widthPt
        self.highlight = highlight; self.markers = markers; self.fill = fill
    }

    /// The legend's sample: the marker of a scatter, else the line.
    func legendSample(_ t: Theme) -> LegendEntry.Sample {
        if let markers, widthPt <= 0 { return .marker(markers) }
        if let fill { return .patch(fill) }
        return .line(color, width: t.px(widthPt))
    }

    /// Finite (x, y) pairs, with non-positive y dropped on a log axis.
    func finitePairs(logY: Bool) -> [(Double, Double)] {
        zip(x, y).filter { $0.0.isFinite && $0.1.isFinite && (!logY || $0.1 > 0) }
    }
}

/// One panel of a line chart.
public struct LinePanel {
    public var labels: AxesLabels
    public var series: [Series]
    public var logY: Bool
    /// Keep x ticks on whole numbers (epochs).
    public var integerX: Bool
    /// Force the y range (e.g. 0...1 for accuracy) instead of data ± 5 %.
    public var yLimits: ClosedRange<Double>?
    public var legend: Bool
    /// Keep y ticks on whole numbers (counts: a histogram has no 2.5 samples).
    public var integerY: Bool
    /// Labelled vertical lines (where a training run resumed with changes).
    public var markers: [VerticalMarker] = []

    public init(labels: AxesLabels, series: [Series], logY: Bool = false, integerX: Bool = true,
                yLimits: ClosedRange<Double>? = nil, legend: Bool = true, integerY: Bool = false) {
        self.labels = labels; self.series = series; self.logY = logY; self.integerX = integerX
        self.yLimits = yLimits; self.legend = legend; self.integerY = integerY
    }
}

/// Line charts: one or more panels side by side (loss and accuracy per epoch).
public enum LineChart {
    /// Renders `panels` left to right on a `width`×`height` canvas (pixels at scale 1; the canvas
    /// is `scale` times larger). `title` is a figure title above all panels.
    public static func render(_ panels: [LinePanel], width: Int, height: Int, title: String? = nil,
                              theme t: Theme) throws -> Canvas {
        guard !panels.isEmpty else { throw PlotError.invalidData("a line chart needs at least one panel") }
        let W = Int((Float(width) * t.scale).rounded()), H = Int((Float(height) * t.scale).rounded())
        var canvas = try Canvas(width: W, height: H, background: t.background)
        var top: Float = 0
        if let title {
            let lh = t.text.lineHeight(size: t.px(13))
            // A title wider than the picture is cut with "…" rather than run off both edges.
            let shown = FieldGridChart.fit(title, width: Float(W) - t.px(16), size: t.px(13), t: t)
            canvas.drawText(shown, at: Point(Float(W) / 2, t.px(6)), size: t.px(13), color: t.textColor,
                            h: .center, v: .top, using: t.text)
            top = lh + t.px(6)
        }
        let cellW = Float(W) / Float(panels.count)
        for (i, panel) in panels.enumerated() {
            let cell = Rect(x: Float(i) * cellW, y: top, width: cellW, height: Float(H) - top)
            try drawPanel(panel, in: cell, canvas: &canvas, theme: t)
        }
        return canvas
    }

    static func drawPanel(_ panel: LinePanel, in cell: Rect, canvas: inout Canvas, theme t: Theme) throws {
        let pairs = panel.series.flatMap { $0.finitePairs(logY: panel.logY) }
        let xs = pairs.map(\.0), ys = pairs.map(\.1)
        let xLo = xs.min() ?? 0, xHi = xs.max() ?? 1
        let yLo = panel.yLimits?.lowerBound ?? ys.min() ?? 0, yHi = panel.yLimits?.upperBound ?? ys.max() ?? 1
        let yMargin = panel.yLimits == nil ? 0.05 : 0.0
        let outerPad = t.px(10)
        let top = cell.minY + AxesLayout.top(panel.labels, t) + outerPad * 0.5
        let bottom = cell.maxY - AxesLayout.bottom(panel.labels, t) - outerPad * 0.5
        let plotH = max(10, bottom - top)
        func yScale(_ h: Float) -> AxisScale {
            panel.logY ? AxisScale.logarithmic(dataLo: yLo, dataHi: yHi, margin: yMargin)
                : AxisScale.linear(dataLo: yLo, dataHi: yHi, margin: yMargin, length: h, fontPx: t.tickFont, horizontal: false,
                                   integerTicks: panel.integerY)
        }
        let ys0 = yScale(plotH)
        let left = cell.minX + outerPad + AxesLayout.left(panel.labels, yTickLabels: ys0.labels, t)
        // Room on the right for half of the last x label.
        let right = cell.maxX - outerPad - t.px(12)
        let plotW = max(10, right - left)
        let xs0 = AxisScale.linear(dataLo: xLo, dataHi: xHi, length: plotW, fontPx: t.tickFont,
                                   horizontal: true, integerTicks: panel.integerX)
        let ax = Axes(box: Rect(x: left, y: top, width: plotW, height: plotH).snapped, x: xs0, y: ys0)
        canvas.drawGrid(ax, theme: t)
        var allPoints: [Point] = []
        canvas.clipped(to: ax.box) { c in
            for s in panel.series {
                // NaN means "not measured this epoch" (validation every k epochs): the line joins
                // the measured values rather than breaking into invisible fragments.
                let pairs = s.finitePairs(logY: panel.logY)
                let pts = pairs.map { ax.point($0.0, $0.1) }
                // Only the legend's placement reads these points.
                if panel.legend { allPoints += s.widthPt > 0 ? Self.alongSegments(pts, every: t.px(4)) : pts }
                if let fill = s.fill, let first = pairs.first, let last = pairs.last, !panel.logY {
                    c.fillPolygon(pts + [ax.point(last.0, 0), ax.point(first.0, 0)], fill)
                }
                if s.widthPt > 0 { c.strokePolyline(pts, lineWidth: t.px(s.widthPt), s.color) }
                if let style = s.markers { for p in pts { c.drawMarker(at: p, style) } }
            }
        }
        canvas.drawVerticalMarkerLines(panel.markers, in: ax, theme: t)
        let labelsAtTop = canvas.markerLabels(panel.markers, in: ax, theme: t)
        // The legend keeps clear of the data and of the marker labels at the top; a label the
        // chosen corner still covers steps down below the legend.
        var legend: (entries: [LegendEntry], box: Rect)?
        if panel.legend {
            let avoiding = allPoints + labelsAtTop.flatMap(\.outlinePoints)
            let entries = panel.series.compactMap { s in
                s.name.map { LegendEntry(label: $0 + highlightNote(s, logY: panel.logY, integerX: panel.integerX),
                                         sample: s.legendSample(t)) }
            } + panel.markers.compactMap { m in m.legend.map { LegendEntry(label: $0, sample: .line(m.color, width: t.px(1.2))) } }
            // On a small panel the long labels do not fit: the bare series names still say
            // which line is which.
            let short = panel.series.compactMap { s in s.name.map { LegendEntry(label: $0, sample: s.legendSample(t)) } }
            if let box = canvas.legendBox(entries, in: ax.box, avoiding: avoiding, theme: t) {
                legend = (entries, box)
            } else if let box = canvas.legendBox(short, in: ax.box, avoiding: avoiding, theme: t) {
                legend = (short, box)
            }
        }
        canvas.drawMarkerLabels(canvas.markerLabels(panel.markers, in: ax, theme: t, clearOf: legend?.box), theme: t)
        // Highlighted points go over every line and may overhang the box a little.
        for s in panel.series where s.highlight != .none {
            let ps = s.finitePairs(logY: panel.logY)
            let chosen: (Double, Double)?
            switch s.highlight {
            case .none: chosen = nil
            case .minimum: chosen = ps.min { $0.1 < $1.1 }
            case .maximum: chosen = ps.max { $0.1 < $1.1 }
            case .last: chosen = ps.last
            }
            guard let (hx, hy) = chosen else { continue }
            let p = ax.point(hx, hy)
            canvas.drawMarker(at: p, MarkerStyle(radius: t.px(3.2), fill: s.color, edge: .white, edgeWidth: t.px(1)))
        }
        canvas.drawAxesFrame(ax, labels: panel.labels, theme: t)
        if let legend { canvas.drawLegend(legend.entries, box: legend.box, theme: t) }
    }

    /// A polyline's points and points every `step` pixels along each segment: the legend keeps
    /// clear of the line between data points too (a loss spike at a resume, a ROC curve of
    /// three points whose top edge the legend covered). Long segments only: a dense series
    /// adds nothing.
    static func alongSegments(_ pts: [Point], every step: Float) -> [Point] {
        guard pts.count > 1, step > 0 else { return pts }
        var out = [pts[0]]
        for (a, b) in zip(pts, pts.dropFirst()) {
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            if length.isFinite, length > step {
                let pieces = Int(min(length / step, 4096))
                for k in 1..<pieces {
                    let f = Float(k) / Float(pieces)
                    out.append(Point(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f))
                }
            }
            out.append(b)
        }
        return out
    }

    /// " (min 0.0484 @ 197)": the highlighted value, told in the legend so it never covers a line.
    static func highlightNote(_ s: Series, logY: Bool, integerX: Bool) -> String {
        let ps = s.finitePairs(logY: logY)
        let chosen: (Double, Double)?, word: String
        switch s.highlight {
        case .none: return ""
        case .minimum: chosen = ps.min { $0.1 < $1.1 }; word = "min"
        case .maximum: chosen = ps.max { $0.1 < $1.1 }; word = "max"
        case .last: chosen = ps.last; word = "final"
        }
        guard let (x, y) = chosen else { return "" }
        let xs = integerX ? NiceTicks.format(x, decimals: 0) : NiceTicks.compact(x)
        return " (\(word) \(NiceTicks.compact(y)) @ \(xs))"
    }
}
