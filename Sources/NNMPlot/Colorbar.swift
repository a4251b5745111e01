/// A vertical colour bar: the colormap from `range.lo` (bottom) to `range.hi` (top), outlined,
/// with nice ticks on the right and an optional label turned 90°.
public struct Colorbar {
    public var colormap: Colormap
    public var range: ColorRange
    public var label: String?
    /// Fixed ticks (e.g. 0, 0.5, 1 for a probability); nil → nice ticks.
    public var ticks: [Double]?

    public init(colormap: Colormap, range: ColorRange, label: String? = nil, ticks: [Double]? = nil) {
        self.colormap = colormap; self.range = range; self.label = label; self.ticks = ticks
    }

    /// Bar width (matplotlib's fraction of the axes ≈ 0.15 in, about 20 px at 100 dpi).
    static func barWidth(_ t: Theme) -> Float { t.px(14).rounded() }

    func tickSet(height: Float, theme t: Theme) -> (values: [Double], labels: [String]) {
        if var ticks {
            // A short bar keeps every other fixed tick (0, 0.5, 1 rather than five touching labels).
            let room = t.text.lineHeight(size: t.tickFont) * 1.2
            while ticks.count > 3, ticks.count % 2 == 1, height / Float(ticks.count - 1) < room {
                ticks = ticks.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            }
            let step = zip(ticks.dropFirst(), ticks).map { abs($0 - $1) }.min() ?? 1
            return (ticks, NiceTicks.labels(ticks, step: step))
        }
        let n = NiceTicks.maxIntervals(axisLength: height, fontPx: t.tickFont, horizontal: false)
        let (step, v) = NiceTicks.ticks(lo: Double(range.lo), hi: Double(range.hi), maxIntervals: n)
        if v.count >= 3 { return (v, NiceTicks.labels(v, step: step)) }
        return Colorbar.endTicks(range)
    }

    /// The two ends and the midpoint, labelled with 3 significant digits: a bar too short for
    /// three nice ticks (a 1-row weight panel) would otherwise show a lone "0" and no scale.
    static func endTicks(_ range: ColorRange) -> (values: [Double], labels: [String]) {
        let lo = Double(range.lo), hi = Double(range.hi), mid = (lo + hi) / 2
        let midValue = abs(mid) < (hi - lo) * 1e-9 ? 0 : mid
        let values = [lo, midValue, hi]
        return (values, values.map(NiceTicks.shortest))
    }

    /// Shortest bar (pixels) on which the three `endTicks` labels fit without touching.
    public static func minimumHeight(_ t: Theme) -> Float { (t.text.lineHeight(size: t.tickFont) * 3.6).rounded(.up) }

    /// Total width the bar, its ticks, labels and title need.
    public func width(height: Float, theme t: Theme) -> Float {
        let labels = tickSet(height: height, theme: t).labels
        let widest = labels.map { t.text.measure($0, size: t.tickFont) }.max() ?? 0
        var w = Colorbar.barWidth(t) + t.px(t.tickLengthPt) + t.px(t.tickPadPt) + widest
        if label != nil { w += t.px(t.labelPadPt) + t.text.lineHeight(size: t.labelFont) }
        return w
    }
}

extension Canvas {
    /// Draws `bar` with its gradient in a column starting at `x`, spanning `top...bottom`.
    public mutating func drawColorbar(_ bar: Colorbar, x: Float, top: Float, bottom: Float, theme t: Theme) {
        let rect = Rect(x: x, y: top, width: Colorbar.barWidth(t), height: bottom - top).snapped
        let box = PixelBox(covering: rect)
        let h = max(1, box.height)
        for row in box.y0..<box.y1 {
            // Value at the row's centre: top row = hi, bottom row = lo.
            let f = (Float(box.y1 - row) - 0.5) / Float(h)
            fillPixels(PixelBox(x0: box.x0, y0: row, x1: box.x1, y1: row + 1), bar.colormap.color(at: f))
        }
        strokeRect(rect, width: t.px(t.spineWidthPt), t.textColor)
        let (values, labels) = bar.tickSet(height: rect.height, theme: t)
        let tl = t.px(t.tickLengthPt), pad = t.px(t.tickPadPt)
        var widest: Float = 0
        for (v, l) in zip(values, labels) {
            let f = bar.range.normalized(Float(v))
            guard f >= -0.001, f <= 1.001 else { continue }
            let y = rect.maxY - f * rect.height
            hline(y: y, from: rect.maxX, to: rect.maxX + tl, width: t.px(t.tickWidthPt), t.textColor)
            drawText(l, at: Point(rect.maxX + tl + pad, y), size: t.tickFont, color: t.textColor,
                     h: .left, v: .center, using: t.text)
            widest = max(widest, t.text.measure(l, size: t.tickFont))
        }
        if let label = bar.label {
            let lx = rect.maxX + tl + pad + widest + t.px(t.labelPadPt)
            drawText(label, at: Point(lx, rect.midY), size: t.labelFont, color: t.textColor,
                     h: .left, v: .center, vertical: true, using: t.text)
        }
    }
}
