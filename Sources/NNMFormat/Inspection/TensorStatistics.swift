/// Summary statistics of a tensor's values: what a user checks first when a model misbehaves
/// (all-zero layers, NaN/Inf from a diverged run, exploding weights).
public struct TensorStatistics: Sendable, Equatable {
    public var count: Int
    /// Over finite values only (nil when there is none).
    public var min: Float?
    public var max: Float?
    public var mean: Double?
    /// Population standard deviation of the finite values.
    public var std: Double?
    /// Values equal to zero (+0 and −0).
    public var zeros: Int
    public var nans: Int
    public var infinities: Int
    /// Counts of finite values in `bins` equal-width bins over [min, max].
    public var histogram: [Int]

    /// Most histogram bins (`bins` is clamped to 1…this): the count comes from callers such as
    /// `InspectionReport.Options`, and must not become an allocation of any size.
    public static let maximumBins = 1000

    public init(_ values: [Float], bins: Int = 10) {
        count = values.count
        var lo = Float.infinity, hi = -Float.infinity
        var sum = 0.0, finite = 0
        zeros = 0; nans = 0; infinities = 0
        for v in values {
            if v.isNaN { nans += 1; continue }
            if v.isInfinite { infinities += 1; continue }
            if v == 0 { zeros += 1 }
            lo = Swift.min(lo, v); hi = Swift.max(hi, v)
            sum += Double(v); finite += 1
        }
        guard finite > 0 else { min = nil; max = nil; mean = nil; std = nil; histogram = []; return }
        let m = sum / Double(finite)
        var squares = 0.0
        for v in values where v.isFinite { let d = Double(v) - m; squares += d * d }
        min = lo; max = hi; mean = m; std = (squares / Double(finite)).squareRoot()
        let binCount = Swift.min(Swift.max(1, bins), TensorStatistics.maximumBins)
        var counts = [Int](repeating: 0, count: binCount)
        let width = Double(hi) - Double(lo)
        for v in values where v.isFinite {
            let position = width > 0 ? (Double(v) - Double(lo)) / width * Double(binCount) : 0
            counts[Swift.min(binCount - 1, Swift.max(0, Int(position)))] += 1
        }
        histogram = counts
    }

    /// The histogram as one line of block characters, tallest bin = full block.
    public var sparkline: String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        guard let top = histogram.max(), top > 0 else { return "" }
        return String(histogram.map { $0 == 0 ? " " : blocks[Swift.min(7, ($0 * 8 - 1) / top)] })
    }

    public var json: JSONValue {
        .object([
            "count": .int(Int64(count)),
            "min": min.map { .float($0) } ?? .null, "max": max.map { .float($0) } ?? .null,
            "mean": mean.map { .double($0) } ?? .null, "std": std.map { .double($0) } ?? .null,
            "zeros": .int(Int64(zeros)), "nan": .int(Int64(nans)), "inf": .int(Int64(infinities)),
            "histogram": .array(histogram.map { .int(Int64($0)) }),
        ])
    }
}
