#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One axis: its visible data range, whether it is logarithmic, and its ticks.
public struct AxisScale: Sendable {
    public var lo: Double
    public var hi: Double
    public var isLog: Bool
    public var ticks: [Double]
    public var labels: [String]

    public init(lo: Double, hi: Double, isLog: Bool = false, ticks: [Double], labels: [String]) {
        self.lo = lo; self.hi = hi; self.isLog = isLog; self.ticks = ticks; self.labels = labels
    }

    /// Where `v` lies on the axis, 0 at `lo` and 1 at `hi` (log axes in log space).
    @inline(__always)
    public func fraction(_ v: Double) -> Double {
        if isLog {
            guard v > 0 else { return -.infinity }
            return (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
        return hi > lo ? (v - lo) / (hi - lo) : 0.5
    }

    /// A linear axis over the data range widened by `margin` (a fraction of the range on each
    /// side, matplotlib's 5 %), with nice ticks for an axis `length` pixels long.
    /// `integerTicks` keeps ticks on whole numbers (epochs).
    public static func linear(dataLo: Double, dataHi: Double, margin: Double = 0.05, length: Float,
                              fontPx: Float, horizontal: Bool, integerTicks: Bool = false) -> AxisScale {
        var a = dataLo, b = dataHi
        if !a.isFinite || !b.isFinite { a = 0; b = 1 }
        if a > b { swap(&a, &b) }
        if b - a <= abs(b) * 1e-12 || b == a {
            let d = a == 0 ? 1 : abs(a) * 0.1
            a -= d; b += d
        }
        let m = (b - a) * max(0, margin)
        let lo = a - m, hi = b + m
        let n = NiceTicks.maxIntervals(axisLength: length, fontPx: fontPx, horizontal: horizontal)
        var (step, values) = NiceTicks.ticks(lo: lo, hi: hi, maxIntervals: n)
        // A short axis can get a lone tick (only "0" on −1.5…1.5), which gives no scale: allow
        // more intervals until there are two.
        var more = n
        while values.count < 2 && more < 4 {
            more += 1
            (step, values) = NiceTicks.ticks(lo: lo, hi: hi, maxIntervals: more)
        }
        if integerTicks && step != step.rounded() {
            // Whole numbers only (epochs, counts): below 1 the step becomes 1; NiceTicks' only
            // fractional step above 1 is 2.5, which becomes 5 (coarser, so it still fits).
            step = step < 1 ? 1 : 5
            values = stride(from: ceil(lo / step) * step, through: floor(hi / step) * step, by: step).map { $0 }
        }
        return AxisScale(lo: lo, hi: hi, ticks: values, labels: NiceTicks.labels(values, step: step))
    }

    /// A log axis over positive data, widened by `margin` in log space. Non-positive data has
    /// no place on it; the caller drops such values.
    public static func logarithmic(dataLo: Double, dataHi: Double, margin: Double = 0.05) -> AxisScale {
        var a = dataLo > 0 && dataLo.isFinite ? dataLo : 1e-3
        var b = dataHi > 0 && dataHi.isFinite ? dataHi : 1
        if a > b { swap(&a, &b) }
        if b <= a * 1.0001 { a /= 2; b *= 2 }
        let la = log10(a), lb = log10(b), m = (lb - la) * margin
        let lo = pow(10, la - m), hi = pow(10, lb + m)
        let (v, l) = NiceTicks.logTicks(lo: lo, hi: hi)
        return AxisScale(lo: lo, hi: hi, isLog: true, ticks: v, labels: l)
    }
}

/// A plot box with an x and a y axis: maps data to pixels.
public struct Axes: Sendable {
    public var box: Rect
    public var x: AxisScale
    public var y: AxisScale
    /// Image-style y axis (row 0 at the top), as heatmaps use.
    public var yDown: Bool = false

    public init(box: Rect, x: AxisScale, y: AxisScale, yDown: Bool = false) {
        self.box = box; self.x = x; self.y = y; self.yDown = yDown
    }

    @inline(__always) public func px(_ v: Double) -> Float { box.minX + Float(x.fraction(v)) * box.width }
    @inline(__always) public func py(_ v: Double) -> Float {
        let f = Float(y.fraction(v))
        return yDown ? box.minY + f * box.height : box.maxY - f * box.height
    }
    public func point(_ vx: Double, _ vy: Double) -> Point { Point(px(vx), py(vy)) }
}

/// Labels around one set of axes.
public struct AxesLabels: Sendable {
    public var title: String?
    public var x: String?
    public var y: String?
    public init(title: String? = nil, x: String? = nil, y: String? = nil) { self.title = title; self.x = x; self.y = y }
}

/// Space taken around a plot box by ticks, tick labels, axis labels and title.
enum AxesLayout {
    static func top(_ labels: AxesLabels, _ t: Theme) -> Float {
        labels.title == nil ? t.px(6) : t.text.lineHeight(size: t.titleFont) + t.px(t.titlePadPt) + t.px(4)
    }
    static func bottom(_ labels: AxesLabels, _ t: Theme) -> Float {
        var h = t.px(t.tickLengthPt) + t.px(t.tickPadPt) + t.text.lineHeight(size: t.tickFont)
        if labels.x != nil { h += t.px(t.labelPadPt) + t.text.lineHeight(size: t.labelFont) }
        return h + t.px(4)
    }
    static func left(_ labels: AxesLabels, yTickLabels: [String], _ t: Theme) -> Float {
        let widest = yTickLabels.map { t.text.measure($0, size: t.tickFont) }.max() ?? 0
        var w = t.px(t.tickLengthPt) + t.px(t.tickPadPt) + widest
        if labels.y != nil { w += t.px(t.labelPadPt) + t.text.lineHeight(size: t.labelFont) }
        return w + t.px(4)
    }
}

extension Canvas {
    /// Light grid lines at the ticks (drawn under the data).
    public mutating func drawGrid(_ ax: Axes, theme t: Theme, xLines: Bool = true, yLines: Bool = true) {
        let w = t.px(t.gridWidthPt)
        if xLines {
            for v in ax.x.ticks {
                let x = ax.px(v)
                if x > ax.box.minX + 1 && x < ax.box.maxX - 1 {
                    vline(x: x, from: ax.box.minY, to: ax.box.maxY, width: w, t.gridColor)
                }
            }
        }
        if yLines {
            for v in ax.y.ticks {
                let y = ax.py(v)
                if y > ax.box.minY + 1 && y < ax.box.maxY - 1 {
                    hline(y: y, from: ax.box.minX, to: ax.box.maxX, width: w, t.gridColor)
                }
            }
        }
    }

    /// Spines, outward ticks, tick labels, axis labels and title.
    public mutating func drawAxesFrame(_ ax: Axes, labels: AxesLabels, theme t: Theme) {
        let saved = clip
        clip = bounds
        defer { clip = saved }
        let box = ax.box.snapped
        strokeRect(box, width: t.px(t.spineWidthPt), t.textColor)
        let tl = t.px(t.tickLengthPt), tw = t.px(t.tickWidthPt), pad = t.px(t.tickPadPt)
        let tf = t.tickFont
        for (v, label) in zip(ax.x.ticks, ax.x.labels) {
            let x = ax.px(v)
            guard x >= box.minX - 0.5, x <= box.maxX + 0.5 else { continue }
            vline(x: x, from: box.maxY, to: box.maxY + tl, width: tw, t.textColor)
            drawText(label, at: Point(x, box.maxY + tl + pad), size: tf, color: t.textColor,
                     h: .center, v: .top, using: t.text)
        }
        for (v, label) in zip(ax.y.ticks, ax.y.labels) {
            let y = ax.py(v)
            guard y >= box.minY - 0.5, y <= box.maxY + 0.5 else { continue }
            hline(y: y, from: box.minX - tl, to: box.minX, width: tw, t.textColor)
            drawText(label, at: Point(box.minX - tl - pad, y), size: tf, color: t.textColor,
                     h: .right, v: .center, using: t.text)
        }
        if let xl = ax.xLabelText(labels) {
            let y = box.maxY + tl + pad + t.text.lineHeight(size: tf) + t.px(t.labelPadPt)
            drawText(xl, at: Point(box.midX, y), size: t.labelFont, color: t.textColor, h: .center, v: .top, using: t.text)
        }
        if let yl = labels.y {
            let widest = ax.y.labels.map { t.text.measure($0, size: tf) }.max() ?? 0
            let x = box.minX - tl - pad - widest - t.px(t.labelPadPt)
            drawText(yl, at: Point(x, box.midY), size: t.labelFont, color: t.textColor,
                     h: .right, v: .center, vertical: true, using: t.text)
        }
        if let title = labels.title {
            let room = 2 * min(box.midX, Float(width) - box.midX) - t.px(8)
            let shown = FieldGridChart.fit(title, width: room, size: t.titleFont, t: t)
            drawText(shown, at: Point(box.midX, box.minY - t.px(t.titlePadPt)), size: t.titleFont,
                     color: t.textColor, h: .center, v: .bottom, using: t.text)
        }
    }
}

extension Axes {
    func xLabelText(_ l: AxesLabels) -> String? { l.x }
}
