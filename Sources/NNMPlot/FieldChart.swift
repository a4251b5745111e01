/// A data point over a field: position, class and whether it is held-out (test) data.
public struct ScatterPoint: Sendable {
    public var x: Double
    public var y: Double
    public var label: Int
    public var isTest: Bool
    /// A regression target: over a `.scalar` field the point is coloured by this value on the
    /// field's own map and range, so a point that matches its background is predicted well.
    public var value: Float?
    public init(x: Double, y: Double, label: Int, isTest: Bool = false, value: Float? = nil) {
        self.x = x; self.y = y; self.label = label; self.isTest = isTest; self.value = value
    }
}

/// What fills the plot box behind the points.
public enum FieldBackground {
    /// P(class 1) of a two-class model: the diverging map centred on 0.5, a contour at 0.5 and
    /// a colour bar 0...1.
    case probability(ScalarGrid)
    /// Any scalar field with its own colormap and range (a neuron's activation, a loss surface).
    case scalar(ScalarGrid, Colormap, ColorRange)
    /// Per-class probabilities: class colours mixed in proportion (more than two classes).
    case classes(ClassGrid)
}

/// A 2-D field picture: background field, optional iso-line, points, colour bar or class legend.
public struct FieldPlot {
    public var extent: Extent
    public var background: FieldBackground
    /// Level of the iso-line; for `.probability` the default is 0.5. nil draws none.
    public var contourLevel: Float?
    public var points: [ScatterPoint]
    public var labels: AxesLabels
    /// Lines of text in the lower-right corner (e.g. "test accuracy 0.97").
    public var cornerText: [String]
    public var colorbarLabel: String?
    /// Class names for the legend; default "class k".
    public var classNames: [String]?
    /// How strongly the field is painted over white (sklearn uses 0.8, Playground 0.63): below 1
    /// the points keep more contrast than the field.
    public var fieldOpacity: Float
    /// true: one data unit is as long in x as in y; false: the data fills the plot box; nil
    /// (the default): equal aspect only when the two ranges are comparable (see
    /// `maxEqualAspectRatio`), so features on different scales (x in ±3, y in 100...400) are not
    /// drawn as a sliver.
    public var equalAspect: Bool?
    /// Lines of small grey text under the x-axis label, centred on the plot: what the picture
    /// is when that is not obvious (a slice through more inputs than the two drawn). Each line
    /// must fit the canvas (``footnoteFits(_:width:theme:)``); the caller picks a shorter wording.
    public var footnote: [String] = []

    /// Largest ratio of the longer to the shorter data range drawn with equal aspect.
    public static let maxEqualAspectRatio = 3.0

    /// Whether this plot is drawn with equal aspect (resolving `equalAspect`'s nil).
    public var usesEqualAspect: Bool {
        if let equalAspect { return equalAspect }
        let w = extent.xMax - extent.xMin, h = extent.yMax - extent.yMin
        guard w > 0, h > 0 else { return true }
        return max(w, h) / min(w, h) <= Self.maxEqualAspectRatio
    }

    public init(extent: Extent, background: FieldBackground, contourLevel: Float? = nil, points: [ScatterPoint] = [],
                labels: AxesLabels = AxesLabels(x: "x₁", y: "x₂"), cornerText: [String] = [],
                colorbarLabel: String? = nil, classNames: [String]? = nil, fieldOpacity: Float = 0.75) {
        self.extent = extent; self.background = background; self.points = points; self.labels = labels
        self.cornerText = cornerText; self.colorbarLabel = colorbarLabel; self.classNames = classNames
        self.fieldOpacity = fieldOpacity
        if case .probability = background { self.contourLevel = contourLevel ?? 0.5 } else { self.contourLevel = contourLevel }
    }

    var classCount: Int {
        switch background {
        case .probability: return max(2, (points.map(\.label).max() ?? 1) + 1)
        case .scalar: return max(1, (points.map(\.label).max() ?? 0) + 1)
        case .classes(let g): return max(g.classCount, (points.map(\.label).max() ?? 0) + 1)
        }
    }

    /// Colour of class `k`'s points: the ends of the diverging map for two classes (so points
    /// match their side of the field), tab10 otherwise, and distinct colours past 10 classes.
    func classColor(_ k: Int, of count: Int) -> RGBA {
        if case .probability = background {
            return k <= 0 ? RGBA(hex: 0x1c5aa6) : RGBA(hex: 0xc4212b)
        }
        return RGBA.classColor(k, of: count)
    }

    func name(_ k: Int) -> String {
        if let n = classNames, k >= 0, k < n.count { return n[k] }
        return "class \(k)"
    }
}

/// Renders field plots: with equal aspect (one data unit as long in x as in y) when the ranges
/// are comparable, filling the plot box otherwise (`FieldPlot.usesEqualAspect`).
public enum FieldChart {
    /// Where the plot box will be for this plot at this size: make the grid `box.width`×
    /// `box.height` samples for exactly one model evaluation per pixel.
    public static func plotBox(_ plot: FieldPlot, width: Int, height: Int, theme t: Theme) -> Rect {
        layout(plot, W: Float(width) * t.scale, H: Float(height) * t.scale, t: t).box
    }

    /// The canvas height (pixels at scale 1) at which an equal-aspect plot of this extent fills
    /// `width` with no empty bands, kept within 0.4...1.6 × width. A plot that fills its box
    /// takes the data's shape clamped to 0.4...1 (no taller than wide) (a stretched axis never looks extreme).
    public static func fittedHeight(_ plot: FieldPlot, width: Int, theme t: Theme) -> Int {
        let W = Float(width) * t.scale
        let tall = layout(plot, W: W, H: W * 4, t: t)
        let e = plot.extent
        let top = AxesLayout.top(plot.labels, t) + t.px(5) + legendRowHeight(plot, W: W, t: t)
        let bottom = AxesLayout.bottom(plot.labels, t) + t.px(5) + footnoteHeight(plot, t: t)
        var shape = (e.yMax - e.yMin) / (e.xMax - e.xMin)
        if !plot.usesEqualAspect { shape = max(0.4, min(1, shape)) }
        let h = top + bottom + tall.box.width * Float(shape) + t.px(2)
        let scaled = Int((h / t.scale).rounded(.up))
        return max(width * 2 / 5, min(width * 8 / 5, scaled))
    }

    /// Pixel size of the plot box (see `plotBox`).
    public static func plotSize(_ plot: FieldPlot, width: Int, height: Int, theme t: Theme) -> (width: Int, height: Int) {
        let b = plotBox(plot, width: width, height: height, theme: t)
        return (max(2, Int(b.width)), max(2, Int(b.height)))
    }

    /// The colormap the field is painted with (already washed toward white).
    static func fieldMap(_ plot: FieldPlot) -> (Colormap, ColorRange)? {
        switch plot.background {
        case .probability: return (Colormap.probability.washed(plot.fieldOpacity), ColorRange(lo: 0, hi: 1))
        case let .scalar(_, map, range): return (map.washed(plot.fieldOpacity), range)
        case .classes: return nil
        }
    }

    static func colorbar(_ plot: FieldPlot) -> Colorbar? {
        guard let (map, range) = fieldMap(plot) else { return nil }
        switch plot.background {
        case .probability:
            return Colorbar(colormap: map, range: range,
                            label: plot.colorbarLabel ?? "P(class 1)", ticks: [0, 0.25, 0.5, 0.75, 1])
        case .scalar:
            return Colorbar(colormap: map, range: range, label: plot.colorbarLabel)
        case .classes:
            return nil
        }
    }

    static func layout(_ plot: FieldPlot, W: Float, H: Float, t: Theme) -> Axes {
        let e = plot.extent
        let pad = t.px(10)
        let top = AxesLayout.top(plot.labels, t) + pad * 0.5 + legendRowHeight(plot, W: W, t: t)
        let bottomM = AxesLayout.bottom(plot.labels, t) + pad * 0.5 + footnoteHeight(plot, t: t)
        let barSpace: Float = colorbar(plot).map { $0.width(height: H * 0.7, theme: t) + t.px(16) } ?? 0
        let availH = max(10, H - top - bottomM)
        var ys = AxisScale.linear(dataLo: e.yMin, dataHi: e.yMax, margin: 0, length: availH, fontPx: t.tickFont, horizontal: false)
        let left = pad + AxesLayout.left(plot.labels, yTickLabels: ys.labels, t)
        let availW = max(10, W - left - barSpace - pad - t.px(8))
        var bw = availW.rounded(.down), bh = availH.rounded(.down)
        if plot.usesEqualAspect {
            // Equal aspect: pixels per data unit the same in x and y.
            let k = min(Double(availW) / (e.xMax - e.xMin), Double(availH) / (e.yMax - e.yMin))
            bw = Float(k * (e.xMax - e.xMin)).rounded(.down); bh = Float(k * (e.yMax - e.yMin)).rounded(.down)
        }
        let usedW = left + bw + barSpace
        let x0 = (left + max(0, (W - pad - usedW) / 2)).rounded()
        let y0 = (top + max(0, availH - bh) / 2).rounded()
        let box = Rect(x: x0, y: y0, width: max(2, bw), height: max(2, bh))
        ys = AxisScale.linear(dataLo: e.yMin, dataHi: e.yMax, margin: 0, length: box.height, fontPx: t.tickFont, horizontal: false)
        let xs = AxisScale.linear(dataLo: e.xMin, dataHi: e.xMax, margin: 0, length: box.width, fontPx: t.tickFont, horizontal: true)
        return Axes(box: box, x: xs, y: ys)
    }

    /// Renders the plot on a `width`×`height` canvas (pixels at scale 1).
    public static func render(_ plot: FieldPlot, width: Int, height: Int, theme t: Theme) throws -> Canvas {
        guard plot.extent.isValid else { throw PlotError.invalidData("the field's extent is empty or not finite") }
        let W = Int((Float(width) * t.scale).rounded()), H = Int((Float(height) * t.scale).rounded())
        var canvas = try Canvas(width: W, height: H, background: t.background)
        let ax = layout(plot, W: Float(W), H: Float(H), t: t)
        let box = PixelBox(covering: ax.box)
        paintField(plot, box: box, canvas: &canvas)
        canvas.clipped(to: ax.box) { c in
            drawContour(plot, box: box, canvas: &c, t: t)
            drawPoints(plot, ax: ax, canvas: &c, t: t)
        }
        var frameLabels = plot.labels
        frameLabels.title = nil
        canvas.drawAxesFrame(ax, labels: frameLabels, theme: t)
        if let bar = colorbar(plot) {
            canvas.drawColorbar(bar, x: ax.box.maxX + t.px(16), top: ax.box.minY, bottom: ax.box.maxY, theme: t)
        }
        if !plot.cornerText.isEmpty {
            // The corner with the fewest points, so the box hides as little data as it can.
            let fs = t.px(11), pad = t.px(5)
            let size = ((plot.cornerText.map { t.text.measure($0, size: fs) }.max() ?? 0) + 2 * pad,
                        Float(plot.cornerText.count) * t.text.lineHeight(size: fs) + 2 * pad)
            let points = plot.points.map { ax.point($0.x, $0.y) }
            let corner = points.isEmpty ? Corner.lowerRight : Boxes.best(size, in: ax.box, pad: t.px(7), avoiding: points)
            canvas.drawTextBox(plot.cornerText, in: ax.box, corner: corner, theme: t)
        }
        drawTitleAndLegend(plot, ax: ax, canvas: &canvas, t: t)
        drawFootnote(plot, canvas: &canvas, t: t)
        return canvas
    }

    /// The footnote's font size: smaller than the axis labels, so it reads as a remark.
    static func footnoteFont(_ t: Theme) -> Float { t.px(8.5) }

    /// Room the footnote takes under the axes (0 without one).
    static func footnoteHeight(_ plot: FieldPlot, t: Theme) -> Float {
        plot.footnote.isEmpty ? 0 : Float(plot.footnote.count) * t.text.lineHeight(size: footnoteFont(t)) + t.px(4)
    }

    /// Whether `line` fits as a footnote line on a canvas `width` pixels wide (at scale 1).
    public static func footnoteFits(_ line: String, width: Int, theme t: Theme) -> Bool {
        t.text.measure(line, size: footnoteFont(t)) <= Float(width) * t.scale - 2 * t.px(8)
    }

    /// The footnote lines at the canvas' bottom, centred on the canvas.
    static func drawFootnote(_ plot: FieldPlot, canvas: inout Canvas, t: Theme) {
        guard !plot.footnote.isEmpty else { return }
        let size = footnoteFont(t), lh = t.text.lineHeight(size: size)
        var y = Float(canvas.height) - t.px(3) - Float(plot.footnote.count - 1) * lh
        for line in plot.footnote {
            canvas.drawText(line, at: Point(Float(canvas.width) / 2, y), size: size,
                            color: RGBA(0.3, 0.3, 0.3), h: .center, v: .bottom, using: t.text)
            y += lh
        }
    }

    /// Paints the background field, one colour per pixel, bilinear between grid samples.
    static func paintField(_ plot: FieldPlot, box: PixelBox, canvas: inout Canvas) {
        let op = max(0, min(1, plot.fieldOpacity))
        let bw = Float(box.width), bh = Float(box.height)
        func toBytes(_ c: RGBA, _ o: Float) -> (UInt8, UInt8, UInt8) {
            let m = RGBA.white.mixed(with: c, o)
            return (RGBA.byte(m.r), RGBA.byte(m.g), RGBA.byte(m.b))
        }
        switch plot.background {
        case .probability(let g), .scalar(let g, _, _):
            guard let (map, range) = fieldMap(plot) else { return }
            let lut = (0..<256).map { map.color(at: Float($0) / 255).bytes }
            // 256 entries indexed by round(f·255): index 127.5 does not exist, so the field's
            // exact midpoint takes the nearer neighbour; the colour bar shows the true neutral.
            let su = Float(g.width) / bw, sv = Float(g.height) / bh
            canvas.withRows(box) { y, xa, xb, p, off in
                let v = (Float(y - box.y0) + 0.5) * sv - 0.5
                var i = off
                for x in xa..<xb {
                    let u = (Float(x - box.x0) + 0.5) * su - 0.5
                    let f = range.normalized(g.bilinear(u, v))
                    let c = lut[f.isFinite ? Int(max(0, min(1, f)) * 255 + 0.5) : 127]
                    p[i] = c.0; p[i + 1] = c.1; p[i + 2] = c.2; p[i + 3] = 255
                    i += 4
                }
            }
        case .classes(let g):
            let colors = (0..<g.classCount).map { plot.classColor($0, of: g.classCount) }
            let su = Float(g.width) / bw, sv = Float(g.height) / bh
            let k = g.classCount
            canvas.withRows(box) { y, xa, xb, p, off in
                let v = max(0, min(Float(g.height - 1), (Float(y - box.y0) + 0.5) * sv - 0.5))
                let i0 = min(g.height - 2, Int(v)), fv = v - Float(i0)
                var o = off
                for x in xa..<xb {
                    let u = max(0, min(Float(g.width - 1), (Float(x - box.x0) + 0.5) * su - 0.5))
                    let j0 = min(g.width - 2, Int(u)), fu = u - Float(j0)
                    var r: Float = 0, gg: Float = 0, b: Float = 0, total: Float = 0
                    for c in 0..<k {
                        let a = g.probabilities[(i0 * g.width + j0) * k + c], bb = g.probabilities[(i0 * g.width + j0 + 1) * k + c]
                        let cc = g.probabilities[((i0 + 1) * g.width + j0) * k + c], d = g.probabilities[((i0 + 1) * g.width + j0 + 1) * k + c]
                        var pr = (a + (bb - a) * fu) * (1 - fv) + (cc + (d - cc) * fu) * fv
                        if !pr.isFinite || pr < 0 { pr = 0 }
                        r += pr * colors[c].r; gg += pr * colors[c].g; b += pr * colors[c].b; total += pr
                    }
                    let m = total > 0 ? RGBA(r / total, gg / total, b / total) : RGBA(0.5, 0.5, 0.5)
                    let (cr, cg, cb) = toBytes(m, op * 0.75)
                    p[o] = cr; p[o + 1] = cg; p[o + 2] = cb; p[o + 3] = 255
                    o += 4
                }
            }
        }
    }

    /// The iso-line (scalar fields), or the borders where the most likely class changes.
    static func drawContour(_ plot: FieldPlot, box: PixelBox, canvas: inout Canvas, t: Theme) {
        var segs: [(Point, Point)] = []
        var gw = 0, gh = 0
        switch plot.background {
        case .probability(let g), .scalar(let g, _, _):
            guard let level = plot.contourLevel else { return }
            let fine = asPainted(g, box: box)
            segs = MarchingSquares.segments(fine, level: level); gw = fine.width; gh = fine.height
        case .classes(let g):
            // Margin between each class's probability and the best other class: its zero line
            // is that class's border.
            for c in 0..<g.classCount {
                var m = [Float](repeating: 0, count: g.width * g.height)
                for s in 0..<(g.width * g.height) {
                    let base = s * g.classCount
                    var other: Float = 0
                    for k in 0..<g.classCount where k != c { other = max(other, g.probabilities[base + k]) }
                    m[s] = g.probabilities[base + c] - other
                }
                if let mg = try? ScalarGrid(width: g.width, height: g.height, values: m) {
                    let fine = asPainted(mg, box: box)
                    segs += MarchingSquares.segments(fine, level: 0)
                    gw = fine.width; gh = fine.height
                }
            }
        }
        guard gw > 0, gh > 0 else { return }
        let sx = Float(box.width) / Float(gw), sy = Float(box.height) / Float(gh)
        let mapped = segs.map { (a, b) in
            (Point(Float(box.x0) + (a.x + 0.5) * sx, Float(box.y0) + (a.y + 0.5) * sy),
             Point(Float(box.x0) + (b.x + 0.5) * sx, Float(box.y0) + (b.y + 0.5) * sy))
        }
        canvas.strokeSegments(mapped, lineWidth: t.px(1.3), RGBA(0.1, 0.1, 0.1, 0.85))
    }

    /// A coarse grid resampled the way `paintField` paints it (bilinear between sample centres,
    /// clamped at the edges), one value per plot pixel: the contour then follows the colours
    /// exactly and reaches the plot's edges, however coarse `--grid` is. A grid already about
    /// as fine as the plot is used as it is.
    static func asPainted(_ g: ScalarGrid, box: PixelBox) -> ScalarGrid {
        guard g.width * 2 < box.width || g.height * 2 < box.height else { return g }
        let w = max(2, min(2048, box.width)), h = max(2, min(2048, box.height))
        let su = Float(g.width) / Float(w), sv = Float(g.height) / Float(h)
        var values = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            let v = (Float(y) + 0.5) * sv - 0.5
            for x in 0..<w { values[y * w + x] = g.bilinear((Float(x) + 0.5) * su - 0.5, v) }
        }
        return (try? ScalarGrid(width: w, height: h, values: values)) ?? g
    }

    static func trainStyle(_ color: RGBA, _ t: Theme) -> MarkerStyle {
        MarkerStyle(shape: .circle, radius: t.px(2.6), fill: color, edge: RGBA(0.08, 0.08, 0.08), edgeWidth: t.px(0.7))
    }
    static func testStyle(_ color: RGBA, _ t: Theme) -> MarkerStyle {
        MarkerStyle(shape: .diamond, radius: t.px(3.0), fill: color, edge: .white, edgeWidth: t.px(0.9))
    }

    /// Train points as dark-edged circles, test points as white-edged diamonds, over the field.
    static func drawPoints(_ plot: FieldPlot, ax: Axes, canvas: inout Canvas, t: Theme, radiusScale: Float = 1) {
        let n = plot.classCount
        func color(_ p: ScatterPoint) -> RGBA {
            // Values take the field's map unwashed: a point stands out from the paler field in
            // hue only where the model misses it.
            if let v = p.value, case let .scalar(_, map, range) = plot.background { return map.color(for: v, lo: range.lo, hi: range.hi) }
            return plot.classColor(p.label, of: n)
        }
        func scaled(_ s: MarkerStyle) -> MarkerStyle {
            var s = s
            s.radius *= radiusScale
            s.edgeWidth *= radiusScale
            return s
        }
        for p in plot.points where !p.isTest { canvas.drawMarker(at: ax.point(p.x, p.y), scaled(trainStyle(color(p), t))) }
        for p in plot.points where p.isTest {
            var style = scaled(testStyle(color(p), t))
            // A white edge vanishes on viridis' pale yellow end: value points get a dark one.
            if p.value != nil { style.edge = RGBA(0.08, 0.08, 0.08) }
            canvas.drawMarker(at: ax.point(p.x, p.y), style)
        }
    }

    /// Whether the points are coloured by value (a regression target), not by class.
    static func pointsShowValues(_ plot: FieldPlot) -> Bool {
        guard case .scalar = plot.background, !plot.points.isEmpty else { return false }
        return plot.points.allSatisfy { $0.value != nil }
    }

    /// Legend entries: one per class, then the train/test marker shapes when both are present.
    static func legendEntries(_ plot: FieldPlot, t: Theme) -> [LegendEntry] {
        var entries: [LegendEntry] = []
        let isClasses: Bool = { if case .classes = plot.background { return true }; return false }()
        if (!plot.points.isEmpty || isClasses) && !pointsShowValues(plot) {
            let n = plot.classCount
            for k in 0..<n {
                entries.append(LegendEntry(label: plot.name(k), sample: .marker(trainStyle(plot.classColor(k, of: n), t))))
            }
        }
        if plot.points.contains(where: \.isTest) && plot.points.contains(where: { !$0.isTest }) {
            entries.append(LegendEntry(label: "train", sample: .marker(trainStyle(RGBA(0.6, 0.6, 0.6), t))))
            entries.append(LegendEntry(label: "test", sample: .marker(
                MarkerStyle(shape: .diamond, radius: t.px(3.0), fill: RGBA(0.6, 0.6, 0.6), edge: .black, edgeWidth: t.px(0.7)))))
        }
        return entries
    }

    /// Horizontal room the legend rows may use on a canvas `W` pixels wide.
    static func legendSpan(W: Float, t: Theme) -> (minX: Float, maxX: Float) { (t.px(8), W - t.px(8)) }

    /// Height of the legend rows between the title and the plot box (two rows on a narrow canvas).
    static func legendRowHeight(_ plot: FieldPlot, W: Float, t: Theme) -> Float {
        let entries = legendEntries(plot, t: t)
        guard !entries.isEmpty else { return 0 }
        let span = legendSpan(W: W, t: t)
        return LegendRows(entries, maxWidth: span.maxX - span.minX, theme: t).height + t.px(6)
    }

    /// Title, then the legend as one row under it: outside the plot, so no point is hidden.
    static func drawTitleAndLegend(_ plot: FieldPlot, ax: Axes, canvas: inout Canvas, t: Theme) {
        let W = Float(canvas.width)
        let rowH = legendRowHeight(plot, W: W, t: t)
        let entries = legendEntries(plot, t: t)
        if !entries.isEmpty {
            let span = legendSpan(W: W, t: t)
            canvas.drawLegendRows(entries, centerX: ax.box.midX, top: ax.box.minY - rowH + t.px(2),
                                  minX: span.minX, maxX: span.maxX, theme: t)
        }
        if let title = plot.labels.title {
            canvas.drawText(title, at: Point(ax.box.midX, ax.box.minY - rowH - t.px(t.titlePadPt)), size: t.titleFont,
                            color: t.textColor, h: .center, v: .bottom, using: t.text)
        }
    }
}
