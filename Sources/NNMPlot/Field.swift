/// A rectangle of the data plane.
public struct Extent: Sendable, Hashable {
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double
    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        self.xMin = xMin; self.xMax = xMax; self.yMin = yMin; self.yMax = yMax
    }

    /// The bounding box of the points, widened by `margin` (absolute, like sklearn's `eps`) and
    /// by `relative` × its size on each side. A degenerate side is widened to at least 1.
    public static func around(xs: [Double], ys: [Double], margin: Double = 0, relative: Double = 0.1) -> Extent {
        let fx = xs.filter(\.isFinite), fy = ys.filter(\.isFinite)
        var e = Extent(xMin: fx.min() ?? -1, xMax: fx.max() ?? 1, yMin: fy.min() ?? -1, yMax: fy.max() ?? 1)
        if e.xMax - e.xMin < 1e-9 { e.xMin -= 0.5; e.xMax += 0.5 }
        if e.yMax - e.yMin < 1e-9 { e.yMin -= 0.5; e.yMax += 0.5 }
        let dx = (e.xMax - e.xMin) * relative + margin, dy = (e.yMax - e.yMin) * relative + margin
        return Extent(xMin: e.xMin - dx, xMax: e.xMax + dx, yMin: e.yMin - dy, yMax: e.yMax + dy)
    }

    var isValid: Bool { xMin.isFinite && xMax.isFinite && yMin.isFinite && yMax.isFinite && xMax > xMin && yMax > yMin }
}

/// Values sampled on a regular grid over an extent. Row 0 is the top (y = yMax); sample (row i,
/// column j) sits at the centre of its cell: x = xMin + (j + ½)·Δx, y = yMax − (i + ½)·Δy.
/// Give it the plot's pixel size (`FieldChart.plotSize`) for one sample per pixel, or fewer
/// samples for a smooth bilinear upscale.
public struct ScalarGrid: Sendable {
    public let width: Int
    public let height: Int
    public let values: [Float]

    public init(width: Int, height: Int, values: [Float]) throws {
        guard width >= 2, height >= 2, width <= Canvas.maxSide, height <= Canvas.maxSide,
              values.count == width * height else {
            throw PlotError.invalidData("grid \(width)×\(height) (at least 2×2) does not match its \(values.count) values")
        }
        self.width = width; self.height = height; self.values = values
    }

    /// The data coordinates of every sample, row by row from the top: feed these to a model in
    /// one batch, then build the grid from its answers.
    public static func samplePoints(width: Int, height: Int, extent e: Extent) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(max(0, width * height))
        let dx = (e.xMax - e.xMin) / Double(width), dy = (e.yMax - e.yMin) / Double(height)
        for i in 0..<height {
            let y = e.yMax - (Double(i) + 0.5) * dy
            for j in 0..<width { out.append((e.xMin + (Double(j) + 0.5) * dx, y)) }
        }
        return out
    }

    /// A grid from a function evaluated at every sample point.
    public static func sample(width: Int, height: Int, extent: Extent, _ f: (Double, Double) -> Float) throws -> ScalarGrid {
        guard width >= 2, height >= 2, width <= Canvas.maxSide, height <= Canvas.maxSide else {
            throw PlotError.invalidData("grid \(width)×\(height) must be 2...\(Canvas.maxSide) on each side")
        }
        return try ScalarGrid(width: width, height: height,
                              values: samplePoints(width: width, height: height, extent: extent).map { f($0.x, $0.y) })
    }

    /// Bilinear value at fractional grid coordinates (u along columns, v along rows), clamped.
    @inline(__always)
    func bilinear(_ u: Float, _ v: Float) -> Float {
        let uc = max(0, min(Float(width - 1), u)), vc = max(0, min(Float(height - 1), v))
        let j = min(width - 2, Int(uc)), i = min(height - 2, Int(vc))
        let fu = uc - Float(j), fv = vc - Float(i)
        let a = values[i * width + j], b = values[i * width + j + 1]
        let c = values[(i + 1) * width + j], d = values[(i + 1) * width + j + 1]
        return (a + (b - a) * fu) * (1 - fv) + (c + (d - c) * fu) * fv
    }
}

/// Per-class probabilities on a grid (same layout as `ScalarGrid`; `classCount` values per sample).
public struct ClassGrid: Sendable {
    public let width: Int
    public let height: Int
    public let classCount: Int
    public let probabilities: [Float]

    public init(width: Int, height: Int, classCount: Int, probabilities: [Float]) throws {
        guard width >= 2, height >= 2, classCount >= 2, classCount <= 64, width <= Canvas.maxSide,
              height <= Canvas.maxSide, probabilities.count == width * height * classCount else {
            throw PlotError.invalidData("class grid \(width)×\(height)×\(classCount) does not match its \(probabilities.count) values")
        }
        self.width = width; self.height = height; self.classCount = classCount; self.probabilities = probabilities
    }
}
