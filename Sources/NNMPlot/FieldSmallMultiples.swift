/// Small multiples of one field plot: the same extent, points, axes and colour scale in every
/// panel, only the field changing (a decision boundary at successive epochs). Shared things are
/// drawn once — one colour bar (or class legend), the axis names once each — so the eye
/// compares the fields, as Tufte's small multiples ask.
public struct FieldSmallMultiples {
    /// One panel: its caption and a second line of detail (above it), and its field. Two
    /// short lines rather than one long one: a narrow panel cuts a line, and the figures at the
    /// end of one long caption would be what is lost.
    public struct Panel {
        public var caption: String
        public var detail: String?
        public var background: FieldBackground
        public init(caption: String, detail: String? = nil, background: FieldBackground) {
            self.caption = caption; self.detail = detail; self.background = background
        }
    }

    public var panels: [Panel]
    /// Shared by every panel: what a single `FieldPlot` would hold (its `background` is ignored;
    /// its title is the figure's).
    public var shared: FieldPlot

    public init(panels: [Panel], shared: FieldPlot) {
        self.panels = panels; self.shared = shared
    }

    /// Most panels drawn in one picture.
    public static let maxPanels = 64
}

public enum FieldSmallMultiplesChart {
    /// Columns for `n` panels, at most `maxColumns`: the grid with the fewest empty cells whose
    /// shape is closest to 3 columns for 2 rows (a landscape page); deterministic.
    public static func columns(for n: Int, maxColumns: Int = .max) -> Int {
        guard n > 1, maxColumns > 1 else { return 1 }
        var best = (cols: 1, score: Double.infinity)
        for cols in 1...min(n, maxColumns) {
            let rows = (n + cols - 1) / cols
            let empty = Double(cols * rows - n)
            let shape = abs(Double(cols) / Double(rows) - 1.5)
            let score = empty * 1.5 + shape
            if score < best.score { best = (cols, score) }
        }
        return best.cols
    }

    /// Each panel's plot box in pixels, for `count` panels of `shared` on a canvas `width` wide:
    /// evaluate the fields at this size for one sample per pixel.
    public static func panelSize(_ shared: FieldPlot, count: Int, width: Int, theme t: Theme) -> (width: Int, height: Int) {
        let layout = Layout(shared, count: max(1, count), W: Float(width) * t.scale, t: t)
        return (max(2, Int(layout.box.w)), max(2, Int(layout.box.h)))
    }

    /// Each panel's plot box on the canvas, in panel order (for tests and callers that mark panels).
    public static func panelBoxes(_ shared: FieldPlot, count: Int, width: Int, theme t: Theme) -> [Rect] {
        let layout = Layout(shared, count: max(1, count), W: Float(width) * t.scale, t: t)
        return (0..<count).map { layout.axes($0, first: shared, t: t).box }
    }

    /// Renders the panels on a canvas `width` pixels wide at scale 1 (the height follows).
    public static func render(_ m: FieldSmallMultiples, width: Int, theme t: Theme) throws -> Canvas {
        guard !m.panels.isEmpty, m.panels.count <= FieldSmallMultiples.maxPanels else {
            throw PlotError.invalidData("small multiples need 1...\(FieldSmallMultiples.maxPanels) panels, got \(m.panels.count)")
        }
        guard m.shared.extent.isValid else { throw PlotError.invalidData("the field's extent is empty or not finite") }
        var first = m.shared
        first.background = m.panels[0].background
        if case .probability = first.background, first.contourLevel == nil { first.contourLevel = 0.5 }
        let layout = Layout(first, count: m.panels.count, W: Float(width) * t.scale, t: t)
        let W = Int(layout.W.rounded()), H = Int(layout.H.rounded(.up))
        guard W >= 1, H >= 1, W <= Canvas.maxSide, H <= Canvas.maxSide, W * H <= Canvas.maxArea else {
            throw PlotError.invalidCanvasSize(width: W, height: H)
        }
        var canvas = try Canvas(width: W, height: H, background: t.background)
        for (k, panel) in m.panels.enumerated() {
            var plot = first
            plot.background = panel.background
            drawPanel(plot, caption: panel.caption, detail: panel.detail, axes: layout.axes(k, first: first, t: t),
                      room: layout.cellW - t.px(4), canvas: &canvas, t: t)
        }
        drawShared(first, layout: layout, canvas: &canvas, t: t)
        return canvas
    }

    /// One panel; its captions may use `room` pixels (its cell's width), centred on its box.
    static func drawPanel(_ plot: FieldPlot, caption: String, detail: String?, axes ax: Axes, room: Float,
                          canvas: inout Canvas, t: Theme) {
        FieldChart.paintField(plot, box: PixelBox(covering: ax.box), canvas: &canvas)
        canvas.clipped(to: ax.box) { c in
            FieldChart.drawContour(plot, box: PixelBox(covering: ax.box), canvas: &c, t: t)
            FieldChart.drawPoints(plot, ax: ax, canvas: &c, t: t, radiusScale: 0.6)
        }
        canvas.drawAxesFrame(ax, labels: AxesLabels(title: nil, x: nil, y: nil), theme: t)
        let size = t.px(10)
        let line = t.text.lineHeight(size: size)
        let lines = [caption, detail].compactMap { $0 }
        for (i, text) in lines.enumerated() {
            let y = ax.box.minY - t.px(4) - Float(lines.count - 1 - i) * line
            // A caption a little too wide is set smaller (down to 8 pt) before anything is cut.
            let fitting = [size, t.px(9), t.px(8)].first { t.text.measure(text, size: $0) <= room } ?? t.px(8)
            canvas.drawText(FieldGridChart.fit(text, width: room, size: fitting, t: t), at: Point(ax.box.midX, y), size: fitting,
                            color: i == 0 ? t.textColor : RGBA(0.25, 0.25, 0.25), h: .center, v: .bottom, using: t.text)
        }
    }

    /// The figure's title, the class legend, the one colour bar and the axis names.
    static func drawShared(_ plot: FieldPlot, layout: Layout, canvas: inout Canvas, t: Theme) {
        let midX = (layout.gridLeft + layout.gridRight) / 2
        if let title = plot.labels.title {
            let shown = FieldGridChart.fit(title, width: layout.W - t.px(16), size: t.titleFont, t: t)
            canvas.drawText(shown, at: Point(layout.W / 2, layout.pad), size: t.titleFont, color: t.textColor,
                            h: .center, v: .top, using: t.text)
        }
        let entries = FieldChart.legendEntries(plot, t: t)
        if !entries.isEmpty {
            canvas.drawLegendRows(entries, centerX: midX, top: layout.legendTop, minX: t.px(8), maxX: layout.W - t.px(8), theme: t)
        }
        if let bar = FieldChart.colorbar(plot) {
            let top = layout.gridTop + layout.captionH, bottom = layout.gridBottom - layout.bottomTicks
            canvas.drawColorbar(bar, x: layout.gridRight + t.px(14), top: top, bottom: bottom, theme: t)
        }
        if let x = plot.labels.x {
            canvas.drawText(x, at: Point(midX, layout.gridBottom + t.px(2)), size: t.labelFont, color: t.textColor,
                            h: .center, v: .top, using: t.text)
        }
        if let y = plot.labels.y {
            canvas.drawText(y, at: Point(layout.pad, (layout.gridTop + layout.gridBottom) / 2), size: t.labelFont,
                            color: t.textColor, h: .left, v: .center, vertical: true, using: t.text)
        }
    }

    /// Where everything goes, in canvas pixels.
    struct Layout {
        var W: Float, H: Float, pad: Float
        var cols: Int, rows: Int
        var legendTop: Float, gridTop: Float, gridBottom: Float, gridLeft: Float, gridRight: Float
        var cellW: Float, cellH: Float, captionH: Float, leftTicks: Float, bottomTicks: Float, box: (w: Float, h: Float)

        init(_ plot: FieldPlot, count: Int, W: Float, t: Theme) {
            self.W = W
            pad = t.px(8)
            // A panel narrower than about 120 pt (167 px at scale 1) loses its tick labels and captions.
            let maxColumns = max(1, Int((W - 2 * pad) / t.px(120)))
            cols = FieldSmallMultiplesChart.columns(for: count, maxColumns: maxColumns)
            rows = (count + cols - 1) / cols
            let titleH = plot.labels.title == nil ? 0 : t.text.lineHeight(size: t.titleFont) + t.px(4)
            legendTop = pad + titleH
            let legendH = FieldChart.legendRowHeight(plot, W: W, t: t)
            gridTop = legendTop + legendH + t.px(2)
            let yLabelW = plot.labels.y == nil ? 0 : t.text.lineHeight(size: t.labelFont) + t.px(4)
            gridLeft = pad + yLabelW
            let barW: Float = FieldChart.colorbar(plot).map { $0.width(height: 200, theme: t) + t.px(22) } ?? 0
            gridRight = W - pad - barW
            cellW = (gridRight - gridLeft) / Float(cols)
            captionH = 2 * t.text.lineHeight(size: t.px(10)) + t.px(6)
            let probe = AxisScale.linear(dataLo: plot.extent.yMin, dataHi: plot.extent.yMax, margin: 0, length: 100,
                                         fontPx: t.tickFont, horizontal: false)
            leftTicks = AxesLayout.left(AxesLabels(title: nil, x: nil, y: nil), yTickLabels: probe.labels, t)
            bottomTicks = AxesLayout.bottom(AxesLabels(title: nil, x: nil, y: nil), t)
            let bw = max(8, cellW - leftTicks - t.px(8))
            let e = plot.extent
            var shape = (e.yMax - e.yMin) / (e.xMax - e.xMin)
            if !plot.usesEqualAspect { shape = max(0.4, min(1, shape)) }
            box = (bw.rounded(.down), (bw * Float(shape)).rounded(.down))
            cellH = captionH + box.h + bottomTicks
            gridBottom = gridTop + Float(rows) * cellH
            let xLabelH = plot.labels.x == nil ? 0 : t.text.lineHeight(size: t.labelFont) + t.px(4)
            H = gridBottom + xLabelH + pad
        }

        /// Panel `k`'s axes: row-major, left to right.
        func axes(_ k: Int, first plot: FieldPlot, t: Theme) -> Axes {
            let x0 = (gridLeft + Float(k % cols) * cellW + leftTicks).rounded()
            let y0 = (gridTop + Float(k / cols) * cellH + captionH).rounded()
            let rect = Rect(x: x0, y: y0, width: max(2, box.w), height: max(2, box.h))
            let e = plot.extent
            let xs = AxisScale.linear(dataLo: e.xMin, dataHi: e.xMax, margin: 0, length: rect.width, fontPx: t.tickFont, horizontal: true)
            let ys = AxisScale.linear(dataLo: e.yMin, dataHi: e.yMax, margin: 0, length: rect.height, fontPx: t.tickFont, horizontal: false)
            return Axes(box: rect, x: xs, y: ys)
        }
    }
}
