#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "Nice number" ticks, as matplotlib's `MaxNLocator(steps=[1, 2, 2.5, 5, 10])`: the step is
/// the smallest of {1, 2, 2.5, 5, 10} × 10^k that is at least (hi − lo) / `maxIntervals`.
public enum NiceTicks {
    /// Step and tick values inside `lo...hi`.
    public static func ticks(lo: Double, hi: Double, maxIntervals: Int = 9) -> (step: Double, values: [Double]) {
        guard lo.isFinite, hi.isFinite else { return (1, []) }
        var lo = lo, hi = hi
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-300 || (hi - lo) < abs(hi) * 1e-12 {
            let d = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= d; hi += d
        }
        let n = Double(max(1, min(50, maxIntervals)))
        let raw = (hi - lo) / n
        let mag = pow(10, floor(log10(raw)))
        // matplotlib's rule: the first nice step not smaller than range / intervals.
        var step = 10 * mag
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * mag >= raw * (1 - 1e-9) {
            step = m * mag
            break
        }
        let first = ceil(lo / step - 1e-9), last = floor(hi / step + 1e-9)
        guard last >= first, last - first < 1000 else { return (step, []) }
        var values: [Double] = []
        var k = first
        while k <= last {
            let v = k * step
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        return (step, values)
    }

    /// How many intervals fit an axis of `length` pixels with labels of `fontPx`, as matplotlib's
    /// `get_tick_space` (x: 3 font sizes per tick, y: 2), capped at 9.
    public static func maxIntervals(axisLength: Float, fontPx: Float, horizontal: Bool) -> Int {
        let per = fontPx * (horizontal ? 3 : 2)
        guard per > 0, axisLength.isFinite else { return 5 }
        return max(1, min(9, Int(axisLength / per)))
    }

    /// Labels for ticks with a common step: just enough decimals to tell them apart, unicode
    /// minus (U+2212), scientific notation only for very large or very small magnitudes.
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let maxAbs = values.map(abs).max() ?? 0
        if maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-4) {
            return values.map { scientific($0) }
        }
        var decimals = 0
        while decimals < 10 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return values.map { format($0, decimals: decimals) }
    }

    /// `v` with a fixed number of decimals and a unicode minus.
    public static func format(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "∞" : "−∞") }
        let d = max(0, min(12, decimals))
        let scale = pow(10, Double(d))
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9e15 else { return scientific(v) }
        let n = UInt64(scaled)
        var digits = String(n)
        if d > 0 {
            while digits.count <= d { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return (v < 0 && n != 0 ? "−" : "") + digits
    }

    /// `1.5e−5` style, with a unicode minus in both places.
    public static func scientific(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return v == 0 ? "0" : format(v, decimals: 0) }
        var e = Int(floor(log10(abs(v))))
        var m = v / pow(10, Double(e))
        if abs(m) >= 9.9995 { m /= 10; e += 1 }
        var ms = format(m, decimals: 3)
        if ms.contains(".") {
            while ms.hasSuffix("0") { ms.removeLast() }
            if ms.hasSuffix(".") { ms.removeLast() }
        }
        return ms + "e" + (e < 0 ? "−" : "") + String(abs(e))
    }

    /// A compact number for annotations: 3 significant digits, unicode minus.
    public static func compact(_ v: Double) -> String {
        guard v.isFinite else { return format(v, decimals: 0) }
        let a = abs(v)
        if a != 0 && (a >= 1e5 || a < 1e-3) { return scientific(v) }
        let digits = a == 0 ? 0 : Int(floor(log10(a)))
        return format(v, decimals: max(0, 2 - digits))
    }

    /// `compact` without trailing zeros: 0.6 rather than 0.600.
    public static func shortest(_ v: Double) -> String {
        var s = compact(v)
        if s.contains("."), !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// Log-axis ticks: every decade in range; when the range spans less than two decades,
    /// also 2× and 5× each decade so there are enough labels to read.
    public static func logTicks(lo: Double, hi: Double) -> (values: [Double], labels: [String]) {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return ([], []) }
        let e0 = Int(floor(log10(lo))), e1 = Int(ceil(log10(hi)))
        guard e1 - e0 < 400 else { return ([], []) }
        let fine = (log10(hi) - log10(lo)) < 2
        var values: [Double] = [], labels: [String] = []
        for e in e0...e1 {
            for m in (fine ? [1.0, 2.0, 5.0] : [1.0]) {
                let v = m * pow(10, Double(e))
                guard v >= lo * (1 - 1e-9), v <= hi * (1 + 1e-9) else { continue }
                values.append(v)
                // A short range gets plain decimals throughout (0.05, 0.1, 0.2); a long one decades.
                labels.append(fine && abs(e) <= 3 ? format(v, decimals: max(0, -e)) : (m == 1 ? power(e) : scientific(v)))
            }
        }
        return (values, labels)
    }

    /// `10⁻³` with superscript digits.
    public static func power(_ e: Int) -> String {
        let sup: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let digits = String(abs(e)).compactMap { $0.wholeNumberValue.map { sup[$0] } }
        return "10" + (e < 0 ? "⁻" : "") + String(digits)
    }
}
