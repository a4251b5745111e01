/// A point in device pixels: x to the right, y downward, (0, 0) the top-left corner of the
/// top-left pixel, so the centre of pixel (i, j) is (i + 0.5, j + 0.5).
public struct Point: Sendable, Hashable {
    public var x: Float
    public var y: Float
    public init(_ x: Float, _ y: Float) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in device pixels.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var minX: Float { x }
    public var minY: Float { y }
    public var maxX: Float { x + width }
    public var maxY: Float { y + height }
    public var midX: Float { x + width / 2 }
    public var midY: Float { y + height / 2 }

    /// The rectangle shrunk by `d` on every side.
    public func insetBy(_ d: Float) -> Rect {
        Rect(x: x + d, y: y + d, width: max(0, width - 2 * d), height: max(0, height - 2 * d))
    }

    public func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
    /// Whether the two rectangles share some area (touching edges do not count).
    public func overlaps(_ r: Rect) -> Bool { minX < r.maxX && r.minX < maxX && minY < r.maxY && r.minY < maxY }

    /// Edges rounded to whole pixels, so spines and image cells land on pixel boundaries.
    public var snapped: Rect {
        let x0 = x.rounded(), y0 = y.rounded()
        return Rect(x: x0, y: y0, width: (maxX.rounded() - x0), height: (maxY.rounded() - y0))
    }

    public var description: String { "Rect(\(x), \(y), \(width)×\(height))" }
}

/// Integer pixel bounds, half-open: columns `x0..<x1`, rows `y0..<y1`.
public struct PixelBox: Sendable, Hashable {
    public var x0: Int
    public var y0: Int
    public var x1: Int
    public var y1: Int
    public init(x0: Int, y0: Int, x1: Int, y1: Int) { self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1 }

    public var isEmpty: Bool { x1 <= x0 || y1 <= y0 }
    public var width: Int { max(0, x1 - x0) }
    public var height: Int { max(0, y1 - y0) }

    public func intersection(_ o: PixelBox) -> PixelBox {
        PixelBox(x0: max(x0, o.x0), y0: max(y0, o.y0), x1: min(x1, o.x1), y1: min(y1, o.y1))
    }

    /// The pixels a float rectangle touches (outward rounding, NaN-safe and clamped).
    public init(covering r: Rect) {
        func clampInt(_ v: Float) -> Int {
            guard v.isFinite else { return v > 0 ? 1 << 20 : -(1 << 20) }
            return Int(max(-1_048_576, min(1_048_576, v)))
        }
        self.init(x0: clampInt(r.minX.rounded(.down)), y0: clampInt(r.minY.rounded(.down)),
                  x1: clampInt(r.maxX.rounded(.up)), y1: clampInt(r.maxY.rounded(.up)))
    }
}
