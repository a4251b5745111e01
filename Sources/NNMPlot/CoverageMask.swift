/// Per-pixel coverage (0...1) over a box of the canvas, built up shape by shape and blended once.
///
/// Strokes take the *maximum* coverage of their segments, so a polyline's joints are not
/// darkened where two segments overlap, and a semi-transparent line keeps one even tone.
public struct CoverageMask: Sendable {
    public let box: PixelBox
    public internal(set) var values: [Float]

    public init(box: PixelBox) {
        self.box = box
        self.values = [Float](repeating: 0, count: box.width * box.height)
    }

    /// Adds a round-capped segment of width `lineWidth` (pixels). Coverage is the analytic
    /// distance falloff over one pixel; lines thinner than a pixel fade rather than vanish.
    public mutating func addSegment(_ a: Point, _ b: Point, lineWidth: Float) {
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return }
        let half = max(lineWidth, 1) / 2
        let thin = min(lineWidth, 1)
        let reach = half + 1
        let r = Rect(x: min(a.x, b.x) - reach, y: min(a.y, b.y) - reach,
                     width: abs(a.x - b.x) + 2 * reach, height: abs(a.y - b.y) + 2 * reach)
        let bb = PixelBox(covering: r).intersection(box)
        if bb.isEmpty { return }
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        let inv = len2 > 0 ? 1 / len2 : 0
        let bw = box.width
        values.withUnsafeMutableBufferPointer { v in
            for y in bb.y0..<bb.y1 {
                let py = Float(y) + 0.5
                for x in bb.x0..<bb.x1 {
                    let px = Float(x) + 0.5
                    var t = ((px - a.x) * dx + (py - a.y) * dy) * inv
                    t = max(0, min(1, t))
                    let ex = a.x + t * dx - px, ey = a.y + t * dy - py
                    let d = (ex * ex + ey * ey).squareRoot()
                    let c = max(0, min(1, half + 0.5 - d)) * thin
                    let i = (y - box.y0) * bw + (x - box.x0)
                    if c > v[i] { v[i] = c }
                }
            }
        }
    }

    /// Adds a filled polygon (even-odd rule), anti-aliased with 4 sub-scanlines per pixel row and
    /// exact horizontal coverage within each sub-scanline.
    public mutating func addPolygon(_ pts: [Point]) {
        guard pts.count >= 3, pts.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { return }
        let minY = pts.map(\.y).min() ?? 0, maxY = pts.map(\.y).max() ?? 0
        let y0 = max(box.y0, Int(minY.rounded(.down))), y1 = min(box.y1, Int(maxY.rounded(.up)))
        if y0 >= y1 { return }
        let sub = 4
        var row = [Float](repeating: 0, count: box.width + 1)
        var xs: [Float] = []
        for y in y0..<y1 {
            for i in row.indices { row[i] = 0 }
            for s in 0..<sub {
                let sy = Float(y) + (Float(s) + 0.5) / Float(sub)
                xs.removeAll(keepingCapacity: true)
                for k in pts.indices {
                    let p = pts[k], q = pts[(k + 1) % pts.count]
                    if (p.y <= sy && q.y > sy) || (q.y <= sy && p.y > sy) {
                        xs.append(p.x + (sy - p.y) / (q.y - p.y) * (q.x - p.x))
                    }
                }
                xs.sort()
                var k = 0
                while k + 1 < xs.count {
                    accumulateSpan(&row, xs[k], xs[k + 1], weight: 1 / Float(sub))
                    k += 2
                }
            }
            let base = (y - box.y0) * box.width
            for x in 0..<box.width where row[x] > 0 {
                values[base + x] = min(1, values[base + x] + row[x])
            }
        }
    }

    private func accumulateSpan(_ row: inout [Float], _ a: Float, _ b: Float, weight: Float) {
        let lo = max(a, Float(box.x0)), hi = min(b, Float(box.x1))
        if hi <= lo { return }
        let i0 = Int(lo.rounded(.down)), i1 = Int(hi.rounded(.down))
        if i0 == i1 {
            if i0 - box.x0 < box.width { row[i0 - box.x0] += (hi - lo) * weight }
            return
        }
        row[i0 - box.x0] += (Float(i0 + 1) - lo) * weight
        if i0 + 1 < i1 { for i in (i0 + 1)..<i1 { row[i - box.x0] += weight } }
        if i1 - box.x0 < box.width { row[i1 - box.x0] += (hi - Float(i1)) * weight }
    }
}

extension Canvas {
    /// Blends `color` through a coverage mask (clipped to the canvas clip).
    public mutating func fill(_ mask: CoverageMask, _ color: RGBA) {
        let b = mask.box.intersection(drawable)
        if b.isEmpty { return }
        let w = width, mw = mask.box.width
        mask.values.withUnsafeBufferPointer { m in
            pixels.withUnsafeMutableBufferPointer { p in
                for y in b.y0..<b.y1 {
                    let mrow = (y - mask.box.y0) * mw - mask.box.x0
                    for x in b.x0..<b.x1 {
                        let c = m[mrow + x]
                        if c > 0 { Canvas.blend(p, (y * w + x) * 4, color, c) }
                    }
                }
            }
        }
    }

    /// An anti-aliased polyline of `lineWidth` pixels with round joins. Non-finite points split
    /// the line into separate runs (a NaN in a series is a gap, not a zero).
    public mutating func strokePolyline(_ pts: [Point], lineWidth: Float, _ color: RGBA) {
        var mask = CoverageMask(box: bounds(of: pts, lineWidth: lineWidth))
        var prev: Point? = nil
        for p in pts {
            guard p.x.isFinite, p.y.isFinite else { prev = nil; continue }
            if let q = prev { mask.addSegment(q, p, lineWidth: lineWidth) }
            else { mask.addSegment(p, p, lineWidth: lineWidth) }
            prev = p
        }
        fill(mask, color)
    }

    /// Independent segments (a contour's pieces) drawn as one stroke.
    public mutating func strokeSegments(_ segs: [(Point, Point)], lineWidth: Float, _ color: RGBA) {
        var mask = CoverageMask(box: bounds(of: segs.flatMap { [$0.0, $0.1] }, lineWidth: lineWidth))
        for (a, b) in segs { mask.addSegment(a, b, lineWidth: lineWidth) }
        fill(mask, color)
    }

    /// The drawable pixels a stroke through `pts` can touch: keeps masks as small as the shape.
    func bounds(of pts: [Point], lineWidth: Float) -> PixelBox {
        var x0 = Float.infinity, y0 = Float.infinity, x1 = -Float.infinity, y1 = -Float.infinity
        for p in pts where p.x.isFinite && p.y.isFinite {
            x0 = min(x0, p.x); y0 = min(y0, p.y); x1 = max(x1, p.x); y1 = max(y1, p.y)
        }
        guard x0 <= x1, y0 <= y1 else { return PixelBox(x0: 0, y0: 0, x1: 0, y1: 0) }
        let r = max(lineWidth, 1) / 2 + 2
        return PixelBox(covering: Rect(x: x0 - r, y: y0 - r, width: x1 - x0 + 2 * r, height: y1 - y0 + 2 * r))
            .intersection(drawable)
    }

    /// A filled anti-aliased polygon.
    public mutating func fillPolygon(_ pts: [Point], _ color: RGBA) {
        let xs = pts.map(\.x), ys = pts.map(\.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return }
        let box = PixelBox(covering: Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)).intersection(drawable)
        if box.isEmpty { return }
        var mask = CoverageMask(box: box)
        mask.addPolygon(pts)
        fill(mask, color)
    }
}
