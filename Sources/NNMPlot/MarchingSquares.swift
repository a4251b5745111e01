/// Iso-lines of a scalar grid by marching squares, with linear interpolation along cell edges.
public enum MarchingSquares {
    /// Segments where the grid crosses `level`, in grid coordinates (x = column, y = row).
    /// Saddle cells are resolved by the cell's mean, so lines never cross.
    public static func segments(_ g: ScalarGrid, level: Float) -> [(Point, Point)] {
        var out: [(Point, Point)] = []
        let w = g.width
        for i in 0..<(g.height - 1) {
            for j in 0..<(w - 1) {
                let a = g.values[i * w + j], b = g.values[i * w + j + 1]
                let c = g.values[(i + 1) * w + j + 1], d = g.values[(i + 1) * w + j]
                guard a.isFinite, b.isFinite, c.isFinite, d.isFinite else { continue }
                // Corners clockwise from top-left: a (j,i), b (j+1,i), c (j+1,i+1), d (j,i+1).
                var code = 0
                if a >= level { code |= 8 }
                if b >= level { code |= 4 }
                if c >= level { code |= 2 }
                if d >= level { code |= 1 }
                if code == 0 || code == 15 { continue }
                func t(_ p: Float, _ q: Float) -> Float { p == q ? 0.5 : (level - p) / (q - p) }
                let x = Float(j), y = Float(i)
                let top = Point(x + t(a, b), y), right = Point(x + 1, y + t(b, c))
                let bottom = Point(x + t(d, c), y + 1), left = Point(x, y + t(a, d))
                switch code {
                case 1, 14: out.append((left, bottom))
                case 2, 13: out.append((bottom, right))
                case 3, 12: out.append((left, right))
                case 4, 11: out.append((top, right))
                case 6, 9: out.append((top, bottom))
                case 7, 8: out.append((left, top))
                case 5, 10:
                    let centreHigh = (a + b + c + d) / 4 >= level
                    // 5: b and d high; 10: a and c high.
                    if (code == 5) == centreHigh {
                        out.append((left, top)); out.append((bottom, right))
                    } else {
                        out.append((left, bottom)); out.append((top, right))
                    }
                default: break
                }
            }
        }
        return out
    }
}
