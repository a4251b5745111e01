/// A dense row-major matrix of floats (a weight matrix: rows = outputs, columns = inputs).
public struct MatrixData: Sendable {
    public let rows: Int
    public let cols: Int
    public let values: [Float]

    public init(rows: Int, cols: Int, values: [Float]) throws {
        guard rows >= 1, cols >= 1, rows <= 1 << 20, cols <= 1 << 20, values.count == rows * cols else {
            throw PlotError.invalidData("matrix \(rows)×\(cols) does not match its \(values.count) values")
        }
        self.rows = rows; self.cols = cols; self.values = values
    }

    public subscript(r: Int, c: Int) -> Float { values[r * cols + c] }
}

/// One matrix panel of a heatmap figure.
public struct HeatmapPanel {
    public var title: String
    /// Second title line in a smaller font (shape, min/max/mean/std).
    public var subtitle: String?
    public var matrix: MatrixData
    /// Drawn as a one-column strip right of the matrix, one cell per row, on its own symmetric
    /// scale (labelled under the strip and in the subtitle): biases are often 10× the weights,
    /// and one shared range would wash the weights out to white.
    public var bias: [Float]?
    public var rowLabel: String
    public var colLabel: String

    public init(title: String, subtitle: String? = nil, matrix: MatrixData, bias: [Float]? = nil,
                rowLabel: String = "output unit", colLabel: String = "input unit") {
        self.title = title; self.subtitle = subtitle; self.matrix = matrix; self.bias = bias
        self.rowLabel = rowLabel; self.colLabel = colLabel
    }
}

/// Weight heatmaps: matrices drawn cell by cell (nearest neighbour) at a whole-pixel cell size,
/// so even a 100×784 layer gets at least one crisp pixel per weight; diverging colours with a
/// symmetric range put zero on the neutral colour; each panel has its own colour bar.
public enum HeatmapChart {
    /// The colour ranges of each panel: the weights' symmetric range comes from the matrix alone;
    /// the bias strip has its own symmetric range. With `shared`, all matrices share one range and
    /// all bias strips another, so layers compare.
    public static func ranges(_ panels: [HeatmapPanel], shared: Bool) -> [(weights: ColorRange, bias: ColorRange?)] {
        let allWeights = ColorRange.symmetric(panels.lazy.flatMap(\.matrix.values))
        let allBiases = ColorRange.symmetric(panels.lazy.flatMap { $0.bias ?? [] })
        return panels.map { p in
            let bias: ColorRange? = p.bias.map { shared ? allBiases : ColorRange.symmetric($0) }
            return (shared ? allWeights : ColorRange.symmetric(p.matrix.values), bias)
        }
    }

    /// "±0.93": a symmetric range as printed under the bias strip and in the subtitle.
    static func symmetricLabel(_ r: ColorRange) -> String { "±" + NiceTicks.shortest(Double(r.hi)) }

    /// Renders the panels stacked top to bottom. `width` is a target in pixels at scale 1: cells
    /// grow to fill it, and the canvas widens when a matrix needs more room at one pixel per cell.
    /// `sharedRange` uses one symmetric range for all panels (comparable colours across layers).
    public static func render(_ panels: [HeatmapPanel], width: Int, title: String? = nil,
                              colormap: Colormap = .diverging, sharedRange: Bool = false,
                              maxPanelHeight: Int = 420, theme t: Theme) throws -> Canvas {
        guard !panels.isEmpty else { throw PlotError.invalidData("no matrix to draw") }
        let layout = FigureLayout(panels, width: width, hasTitle: title != nil, theme: t)
        let (plans, neededW, y) = plan(panels, layout: layout, colormap: colormap, sharedRange: sharedRange,
                                       maxPanelHeight: maxPanelHeight)
        let W = Int(neededW.rounded(.up)), H = Int((y + layout.pad).rounded(.up))
        var canvas = try Canvas(width: W, height: H, background: t.background)
        if let title {
            let shown = FieldGridChart.fit(title, width: Float(W) - t.px(16), size: t.px(13), t: t)
            canvas.drawText(shown, at: Point(Float(W) / 2, t.px(6)), size: t.px(13), color: t.textColor,
                            h: .center, v: .top, using: t.text)
        }
        for (p, plan) in zip(panels, plans) {
            draw(p, plan, colormap: colormap, barMinH: layout.barMinH, canvas: &canvas, t: t)
        }
        return canvas
    }

    /// The measures every panel shares: padding, the figure title's height, and one left edge
    /// for all panels, so stacked matrices line up.
    struct FigureLayout {
        let t: Theme
        let targetW: Float
        let pad: Float
        let tickBlock: Float
        let lh: Float
        let figTitleH: Float
        let commonLeft: Float
        let barMinH: Float

        init(_ panels: [HeatmapPanel], width: Int, hasTitle: Bool, theme t: Theme) {
            self.t = t
            targetW = Float(width) * t.scale
            pad = t.px(12)
            tickBlock = t.px(t.tickLengthPt) + t.px(t.tickPadPt)
            lh = t.text.lineHeight(size: t.labelFont)
            figTitleH = hasTitle ? t.text.lineHeight(size: t.px(13)) + t.px(8) : 0
            let widestRowTick = panels.map { t.text.measure(String($0.matrix.rows - 1), size: t.tickFont) }.max() ?? 0
            commonLeft = pad + lh + t.px(t.labelPadPt) + widestRowTick + t.text.measure("0", size: t.tickFont) + tickBlock
            barMinH = max(t.px(72), Colorbar.minimumHeight(t))
        }
    }

    /// Where one panel goes: cell size (`s` wide, `sy` tall), boxes, height and colour scales.
    struct PanelPlan {
        var s: Int; var sy: Int; var left: Float; var matW: Float; var matH: Float; var top: Float; var height: Float
        var range: ColorRange; var biasRange: ColorRange?; var subtitle: String?; var bar: Colorbar; var biasBar: Colorbar?
        var barW: Float; var biasW: Float
    }

    /// Plans every panel top to bottom: the plans, the canvas width they need and the height
    /// used (without the bottom padding).
    static func plan(_ panels: [HeatmapPanel], layout: FigureLayout, colormap: Colormap, sharedRange: Bool,
                     maxPanelHeight: Int) -> (plans: [PanelPlan], neededW: Float, y: Float) {
        let panelRanges = ranges(panels, shared: sharedRange)
        var plans: [PanelPlan] = []
        var y = layout.figTitleH
        var neededW: Float = 0
        for (p, ranges) in zip(panels, panelRanges) {
            let plan = self.plan(p, ranges: ranges, top: y, layout: layout, colormap: colormap, sharedRange: sharedRange,
                                 maxPanelHeight: maxPanelHeight)
            plans.append(plan)
            neededW = max(neededW, plan.left + plan.matW + plan.biasW + layout.t.px(14) + plan.barW + layout.pad)
            y += plan.height
        }
        return (plans, neededW, y)
    }

    /// Plans one panel whose space starts at `y`.
    static func plan(_ p: HeatmapPanel, ranges: (weights: ColorRange, bias: ColorRange?), top y: Float,
                     layout: FigureLayout, colormap: Colormap, sharedRange: Bool, maxPanelHeight: Int) -> PanelPlan {
        let t = layout.t
        let m = p.matrix
        let range = ranges.weights
        let hasBias = p.bias?.count == m.rows
        let biasRange = hasBias ? ranges.bias : nil
        var subtitle = p.subtitle
        if let biasRange {
            let note = sharedRange ? "bias strip on the biases' shared scale \(symmetricLabel(biasRange))"
                                   : "bias strip on its own scale \(symmetricLabel(biasRange))"
            subtitle = subtitle.map { $0 + " · " + note } ?? note
        }
        let left = layout.commonLeft
        let bar = Colorbar(colormap: colormap, range: range, label: hasBias ? "weight" : nil)
        // The bias strip's own scale gets its own colour bar beside the weights' one.
        let biasBar = biasRange.map { Colorbar(colormap: colormap, range: $0, label: "bias") }
        let barW = bar.width(height: 200, theme: t) + (biasBar.map { t.px(10) + $0.width(height: 200, theme: t) } ?? 0)
        // The strip, and a wider gap before the colour bar for its "±0.93" label.
        let biasW: Float = hasBias ? t.px(6) + max(t.px(8), 1) + t.px(6) : 0
        let avail = layout.targetW - left - biasW - t.px(14) - barW - layout.pad
        var s = max(1, Int(avail / Float(m.cols)))
        s = min(s, max(1, Int(Float(maxPanelHeight) * t.scale / Float(m.rows))), Int(t.px(40)))
        s = max(1, s)
        // A tall, narrow matrix (16 units × 2 inputs) would leave most of the width empty at
        // square cells: its cells may be up to four times wider than tall.
        let sx = max(s, min(Int(avail / Float(m.cols)), 4 * s, Int(t.px(96))))
        // A wide matrix with few rows (784 inputs → 25 units) would be a strip a few pixels
        // tall at one pixel per weight: its rows may be up to 5× taller than wide, so each
        // unit stays a visible band (about 90 pt in all).
        var sy = max(s, min(Int(t.px(4)), Int(t.px(90)) / max(1, m.rows)))
        // A matrix of one or two rows is at least as tall as its "output unit" label.
        let rowLabelW = t.text.measure(p.rowLabel, size: t.labelFont)
        if Float(m.rows * sy) < rowLabelW, m.rows <= 4 { sy = Int((rowLabelW / Float(m.rows)).rounded(.up)) }
        let matW = Float(m.cols * sx), matH = Float(m.rows * sy)
        let titleH = t.text.lineHeight(size: t.titleFont) + (subtitle == nil ? 0 : t.text.lineHeight(size: t.px(9)))
        let top = y + layout.pad + titleH + t.px(t.titlePadPt)
        let bottom = layout.tickBlock + t.text.lineHeight(size: t.tickFont) + t.px(t.labelPadPt) + layout.lh
        let height = (top - y) + max(matH, layout.barMinH) + bottom
        return PanelPlan(s: sx, sy: sy, left: left, matW: matW, matH: matH, top: top, height: height, range: range,
                         biasRange: biasRange, subtitle: subtitle, bar: bar, biasBar: biasBar, barW: barW, biasW: biasW)
    }

    /// Draws one planned panel: matrix, axes, titles, bias strip and colour bar.
    static func draw(_ p: HeatmapPanel, _ plan: PanelPlan, colormap: Colormap, barMinH: Float,
                     canvas: inout Canvas, t: Theme) {
        let m = p.matrix
        let box = Rect(x: plan.left.rounded(), y: plan.top.rounded(), width: plan.matW, height: plan.matH)
        drawMatrix(m, scale: plan.s, rowScale: plan.sy, at: box, colormap: colormap, range: plan.range, canvas: &canvas)
        if m.rows <= 16, m.cols <= 12, Float(plan.sy) >= t.px(14), Float(plan.s) >= t.px(30) {
            drawCellValues(m, scale: plan.s, rowScale: plan.sy, at: box, range: plan.range, canvas: &canvas, t: t)
        }
        // Axes in imshow's convention: cell centres at integer indices, row 0 at the top.
        let xs = indexAxis(count: m.cols, length: box.width, t: t, horizontal: true)
        let ys = indexAxis(count: m.rows, length: box.height, t: t, horizontal: false)
        let ax = Axes(box: box, x: xs, y: ys, yDown: true)
        canvas.drawAxesFrame(ax, labels: AxesLabels(title: nil, x: p.colLabel, y: p.rowLabel), theme: t)
        // Title (and subtitle) above the matrix, left-aligned to it.
        var ty = box.minY - t.px(t.titlePadPt)
        if let sub = plan.subtitle {
            canvas.drawText(sub, at: Point(box.minX, ty), size: t.px(9), color: RGBA(0.3, 0.3, 0.3),
                            h: .left, v: .bottom, using: t.text)
            ty -= t.text.lineHeight(size: t.px(9))
        }
        canvas.drawText(p.title, at: Point(box.minX, ty), size: t.titleFont, color: t.textColor,
                        h: .left, v: .bottom, using: t.text)
        var x = box.maxX
        if let bias = p.bias, let biasRange = plan.biasRange {
            x = drawBiasStrip(bias, range: biasRange, from: x, box: box, rowScale: plan.sy, colLabel: p.colLabel,
                              colormap: colormap, canvas: &canvas, t: t)
        }
        let barBottom = box.minY + max(box.height, barMinH)
        canvas.drawColorbar(plan.bar, x: x + t.px(14), top: box.minY, bottom: barBottom, theme: t)
        if let biasBar = plan.biasBar {
            let bx = x + t.px(14) + plan.bar.width(height: barBottom - box.minY, theme: t) + t.px(10)
            canvas.drawColorbar(biasBar, x: bx, top: box.minY, bottom: barBottom, theme: t)
        }
    }

    /// Draws the bias strip right of the matrix `box` (starting at `x`), with "bias" and its
    /// range under it; returns the x where the colour bar's gap begins.
    static func drawBiasStrip(_ bias: [Float], range biasRange: ColorRange, from start: Float, box: Rect, rowScale sy: Int,
                              colLabel: String, colormap: Colormap, canvas: inout Canvas, t: Theme) -> Float {
        var x = start + t.px(6)
        let bw = max(t.px(8), 1).rounded()
        for (r, v) in bias.enumerated() {
            let cell = PixelBox(x0: Int(x.rounded()), y0: Int(box.minY) + r * sy,
                                x1: Int(x.rounded()) + Int(bw), y1: Int(box.minY) + (r + 1) * sy)
            canvas.fillPixels(cell, colormap.color(at: biasRange.normalized(v)))
        }
        let biasRect = Rect(x: x.rounded(), y: box.minY, width: bw, height: box.height)
        canvas.strokeRect(biasRect, width: t.px(t.spineWidthPt), t.textColor)
        let labelY = box.maxY + t.px(t.tickPadPt) + t.px(t.tickLengthPt)
        canvas.drawText("bias", at: Point(biasRect.midX, labelY),
                        size: t.px(8), color: t.textColor, h: .center, v: .top, using: t.text)
        // The range under "bias", unless a narrow matrix's axis label reaches that far
        // (the subtitle states it in any case).
        let rangeText = symmetricLabel(biasRange)
        let axisLabelRight = box.midX + t.text.measure(colLabel, size: t.labelFont) / 2
        if biasRect.midX - t.text.measure(rangeText, size: t.px(8)) / 2 >= axisLabelRight + t.px(4) {
            canvas.drawText(rangeText, at: Point(biasRect.midX, labelY + t.text.lineHeight(size: t.px(8))),
                            size: t.px(8), color: t.textColor, h: .center, v: .top, using: t.text)
        }
        x += bw + t.px(6)
        return x
    }

    /// Prints each value in its cell (small matrices only), white on strong colours.
    static func drawCellValues(_ m: MatrixData, scale s: Int, rowScale sy: Int, at box: Rect, range: ColorRange, canvas: inout Canvas, t: Theme) {
        for r in 0..<m.rows {
            for c in 0..<m.cols {
                let v = m[r, c]
                let strong = abs(range.normalized(v) - 0.5) > 0.3
                let centre = Point(box.minX + (Float(c) + 0.5) * Float(s), box.minY + (Float(r) + 0.5) * Float(sy))
                canvas.drawText(NiceTicks.format(Double(v), decimals: 2), at: centre, size: t.px(8), color: strong ? .white : .black,
                                h: .center, v: .center, using: t.text)
            }
        }
    }

    /// An index axis for `count` cells (range −0.5...count−0.5), integer nice ticks.
    static func indexAxis(count: Int, length: Float, t: Theme, horizontal: Bool) -> AxisScale {
        let n = NiceTicks.maxIntervals(axisLength: length, fontPx: t.tickFont, horizontal: horizontal)
        var (step, v) = NiceTicks.ticks(lo: 0, hi: Double(count - 1), maxIntervals: n)
        // Units are whole: a nice step of 2.5 or 0.5 would tick "unit 2.5". Take the next
        // whole nice step (1, 2, 5, 10, 20, 25, 50, …) instead.
        if step != step.rounded() || step < 1 {
            var power = 1.0, whole = 1.0
            while whole < step {
                whole = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= step && $0 == $0.rounded() } ?? 10 * power
                power *= 10
            }
            step = whole
            v = stride(from: 0.0, through: Double(count - 1), by: step).map { $0 }
        }
        return AxisScale(lo: -0.5, hi: Double(count) - 0.5, ticks: v, labels: NiceTicks.labels(v, step: step))
    }

    /// Paints `m` with `scale`×`scale` pixels per cell, top-left at `box`'s origin.
    static func drawMatrix(_ m: MatrixData, scale s: Int, rowScale: Int? = nil, at box: Rect, colormap: Colormap, range: ColorRange,
                           canvas: inout Canvas) {
        let x0 = Int(box.minX), y0 = Int(box.minY)
        let sy = max(1, rowScale ?? s)
        let colors = m.values.map { colormap.color(at: range.normalized($0)).bytes }
        canvas.withRows(PixelBox(x0: x0, y0: y0, x1: x0 + m.cols * s, y1: y0 + m.rows * sy)) { y, xa, xb, p, off in
            let r = (y - y0) / sy
            var i = off
            for x in xa..<xb {
                let c = colors[r * m.cols + (x - x0) / s]
                p[i] = c.0; p[i + 1] = c.1; p[i + 2] = c.2; p[i + 3] = 255
                i += 4
            }
        }
    }
}
