/// Marker shapes for scatter points. Train and test points differ by shape as well as edge, so
/// they stay apart even in greyscale.
public enum MarkerShape: Sendable, Hashable {
    case circle
    case square
    case diamond
}

/// How one marker looks: size in pixels, fill and edge.
public struct MarkerStyle: Sendable, Hashable {
    public var shape: MarkerShape
    /// Half the marker's extent (circle radius), pixels.
    public var radius: Float
    public var fill: RGBA
    public var edge: RGBA
    /// Edge width in pixels, drawn centred on the outline.
    public var edgeWidth: Float

    public init(shape: MarkerShape = .circle, radius: Float, fill: RGBA, edge: RGBA = .black, edgeWidth: Float = 1) {
        self.shape = shape; self.radius = radius; self.fill = fill; self.edge = edge; self.edgeWidth = edgeWidth
    }
}

extension Canvas {
    /// Draws a marker centred at `p`: anti-aliased fill and edge from a distance function, in one
    /// pass over the marker's pixels.
    public mutating func drawMarker(at p: Point, _ s: MarkerStyle) {
        guard p.x.isFinite, p.y.isFinite, s.radius > 0 else { return }
        let ew = max(0, s.edgeWidth)
        let outer = s.radius + ew / 2
        let inner = s.radius - ew / 2
        let reach = outer * (s.shape == .diamond ? 1.45 : 1) + 1
        let box = PixelBox(covering: Rect(x: p.x - reach, y: p.y - reach, width: 2 * reach, height: 2 * reach))
            .intersection(drawable)
        if box.isEmpty { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { px in
            for y in box.y0..<box.y1 {
                let dy = Float(y) + 0.5 - p.y
                for x in box.x0..<box.x1 {
                    let dx = Float(x) + 0.5 - p.x
                    let d: Float
                    switch s.shape {
                    case .circle: d = (dx * dx + dy * dy).squareRoot()
                    case .square: d = max(abs(dx), abs(dy))
                    case .diamond: d = (abs(dx) + abs(dy)) * 0.70710678 * 1.2
                    }
                    let cOuter = max(0, min(1, outer + 0.5 - d))
                    if cOuter <= 0 { continue }
                    let cInner = ew > 0 ? max(0, min(1, inner + 0.5 - d)) : cOuter
                    let i = (y * w + x) * 4
                    if ew > 0 { Canvas.blend(px, i, s.edge, cOuter) }
                    Canvas.blend(px, i, s.fill, cInner)
                }
            }
        }
    }
}
