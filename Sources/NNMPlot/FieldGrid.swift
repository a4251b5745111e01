/// One small field of a `FieldGridChart`: a caption and its values over the shared extent.
public struct FieldTile {
    public var caption: String
    public var grid: ScalarGrid
    public init(caption: String, grid: ScalarGrid) { self.caption = caption; self.grid = grid }
}

/// Small multiples of fields over one extent: TensorFlow Playground's per-neuron thumbnails,
/// one map per hidden unit showing where in the input plane it fires. Each tile uses its own
/// symmetric range (a ReLU unit and a tanh unit have different scales), so the diverging colours
/// show the sign and shape of each unit's response; the caption carries the range.
public enum FieldGridChart {
    /// `text` shortened with "…" until it fits `width` pixels: the longest prefix that fits,
    /// found by bisection (a label from a file's metadata may be a megabyte long).
    static func fit(_ text: String, width: Float, size: Float, t: Theme) -> String {
        if t.text.measure(text, size: size) <= width { return text }
        let characters = Array(text)
        var fits = 0, tooLong = characters.count   // prefix lengths: fits + "…" fits, tooLong does not
        while tooLong - fits > 1 {
            let middle = (fits + tooLong) / 2
            if t.text.measure(String(characters[..<middle]) + "…", size: size) <= width { fits = middle } else { tooLong = middle }
        }
        return String(characters[..<fits]) + "…"
    }

    public static func render(_ tiles: [FieldTile], tileSize: Int = 96, columns: Int? = nil, title: String? = nil,
                              colormap: Colormap = .diverging, theme t: Theme) throws -> Canvas {
        guard !tiles.isEmpty, tiles.count <= 1024 else {
            throw PlotError.invalidData("a field grid needs 1...1024 tiles, got \(tiles.count)")
        }
        let n = tiles.count
        var cols = columns ?? 1
        if columns == nil { while cols * cols < n { cols += 1 } }
        cols = max(1, min(n, cols))
        let rows = (n + cols - 1) / cols
        let side = Int((Float(max(16, min(1024, tileSize))) * t.scale).rounded())
        let capSize = t.px(8)
        let capLine = t.text.lineHeight(size: capSize)
        let capH = Int((2 * capLine).rounded(.up)) + 2
        let gap = Int(t.px(8).rounded()), pad = Int(t.px(12).rounded())
        let titleH = title == nil ? 0 : Int((t.text.lineHeight(size: t.titleFont) + t.px(t.titlePadPt)).rounded(.up))
        let W = 2 * pad + cols * side + (cols - 1) * gap
        let H = 2 * pad + titleH + rows * (side + capH) + (rows - 1) * gap
        var canvas = try Canvas(width: W, height: H, background: t.background)
        if let title {
            canvas.drawText(title, at: Point(Float(W) / 2, Float(pad)), size: t.titleFont, color: t.textColor,
                            h: .center, v: .top, using: t.text)
        }
        let lut = (0..<256).map { colormap.color(at: Float($0) / 255).bytes }
        for (k, tile) in tiles.enumerated() {
            let x0 = pad + (k % cols) * (side + gap), y0 = pad + titleH + (k / cols) * (side + capH + gap)
            let range = ColorRange.symmetric(tile.grid.values)
            let g = tile.grid
            let su = Float(g.width) / Float(side), sv = Float(g.height) / Float(side)
            canvas.withRows(PixelBox(x0: x0, y0: y0, x1: x0 + side, y1: y0 + side)) { y, xa, xb, p, off in
                let v = (Float(y - y0) + 0.5) * sv - 0.5
                var i = off
                for x in xa..<xb {
                    let f = range.normalized(g.bilinear((Float(x - x0) + 0.5) * su - 0.5, v))
                    let c = lut[f.isFinite ? Int(max(0, min(1, f)) * 255 + 0.5) : 127]
                    p[i] = c.0; p[i + 1] = c.1; p[i + 2] = c.2; p[i + 3] = 255
                    i += 4
                }
            }
            canvas.strokeRect(Rect(x: Float(x0), y: Float(y0), width: Float(side), height: Float(side)),
                              width: t.px(0.6), RGBA(0, 0, 0, 0.5))
            let caption = fit(tile.caption, width: Float(side + gap - 2), size: capSize, t: t)
            canvas.drawText(caption, at: Point(Float(x0) + Float(side) / 2, Float(y0 + side) + 2), size: capSize,
                            color: t.textColor, h: .center, v: .top, using: t.text)
            canvas.drawText("±" + NiceTicks.shortest(Double(range.hi)), at: Point(Float(x0) + Float(side) / 2, Float(y0 + side) + 2 + capLine),
                            size: capSize, color: RGBA(0.35, 0.35, 0.35), h: .center, v: .top, using: t.text)
        }
        return canvas
    }
}
