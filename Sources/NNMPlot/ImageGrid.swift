/// Small images in a grid: each hidden unit's incoming weights reshaped to the input's picture
/// (the classic MNIST first-layer view). One symmetric colour range for all tiles, as
/// scikit-learn's MNIST-filters example, so tiles compare.
public enum ImageGridChart {
    /// Colour of the gaps between tiles (and of the thin frame around them).
    public static let separator = RGBA(0.45, 0.45, 0.45)

    /// `tiles[k]` holds `tileRows × tileCols` values, row-major. `width` is a target in pixels at
    /// scale 1; tiles are drawn at a whole-pixel scale (at least 1) that fits it.
    public static func render(tiles: [[Float]], tileRows: Int, tileCols: Int, title: String? = nil,
                              colormap: Colormap = .diverging, width: Int = 800, theme t: Theme) throws -> Canvas {
        guard !tiles.isEmpty, tiles.count <= 4096, tileRows >= 1, tileCols >= 1, tileRows * tileCols <= 1 << 20,
              tiles.allSatisfy({ $0.count == tileRows * tileCols }) else {
            throw PlotError.invalidData("\(tiles.count) tiles do not each hold \(tileRows)×\(tileCols) values")
        }
        let range = ColorRange.symmetric(tiles.joined())
        let n = tiles.count
        var cols = 1
        while cols * cols < n { cols += 1 }
        let rows = (n + cols - 1) / cols
        let pad = t.px(12)
        let bar = Colorbar(colormap: colormap, range: range, label: "weight")
        let barW = bar.width(height: 300, theme: t)
        let gap = max(1, Int(t.px(2).rounded()))
        let avail = Float(width) * t.scale - 2 * pad - barW - t.px(16)
        var s = Int((avail - Float((cols - 1) * gap)) / Float(cols * tileCols))
        s = max(1, min(s, Int(t.px(12))))
        let tileW = tileCols * s, tileH = tileRows * s
        let gridW = cols * tileW + (cols - 1) * gap, gridH = rows * tileH + (rows - 1) * gap
        let titleH: Float = title == nil ? t.px(4) : t.text.lineHeight(size: t.titleFont) + t.px(t.titlePadPt)
        let contentW = 2 * pad + Float(gridW) + t.px(16) + barW
        // A few small tiles make a narrow picture: it widens for its title (up to the asked
        // width, past which the title is cut with "…"), the grid and bar centred under it.
        let titleW = title.map { t.text.measure($0, size: t.titleFont) + 2 * pad } ?? 0
        let W = Int(max(contentW, min(titleW, Float(width) * t.scale)).rounded(.up))
        let H = Int((pad + titleH + Float(max(gridH, Int(t.px(80)))) + pad).rounded(.up))
        var canvas = try Canvas(width: W, height: H, background: t.background)
        let x0 = Int((pad + (Float(W) - contentW) / 2).rounded()), y0 = Int((pad + titleH).rounded())
        if let title {
            let shown = FieldGridChart.fit(title, width: Float(W) - 2 * pad, size: t.titleFont, t: t)
            // Over the grid, moved inward as far as the title needs to stay whole.
            let half = t.text.measure(shown, size: t.titleFont) / 2
            let centre = min(max(Float(x0) + Float(gridW) / 2, pad + half), Float(W) - pad - half)
            canvas.drawText(shown, at: Point(centre, Float(y0) - t.px(t.titlePadPt)), size: t.titleFont,
                            color: t.textColor, h: .center, v: .bottom, using: t.text)
        }
        // Mid-grey under the grid shows through the gaps: a white gap would vanish against the
        // near-white (near-zero) tiles, and every tile's edge should stay visible.
        let filled = (n + cols - 1) / cols
        for r in 0..<filled {
            let inRow = min(cols, n - r * cols)
            let y = y0 + r * (tileH + gap)
            canvas.fillPixels(PixelBox(x0: x0 - gap, y0: y - gap, x1: x0 + inRow * (tileW + gap), y1: y + tileH + gap),
                              ImageGridChart.separator)
        }
        for (k, tile) in tiles.enumerated() {
            let gx = x0 + (k % cols) * (tileW + gap), gy = y0 + (k / cols) * (tileH + gap)
            guard let m = try? MatrixData(rows: tileRows, cols: tileCols, values: tile) else { continue }
            HeatmapChart.drawMatrix(m, scale: s, at: Rect(x: Float(gx), y: Float(gy), width: Float(tileW), height: Float(tileH)),
                                    colormap: colormap, range: range, canvas: &canvas)
        }
        canvas.drawColorbar(bar, x: Float(x0 + gridW) + t.px(16), top: Float(y0),
                            bottom: Float(y0) + Float(max(gridH, Int(t.px(80)))), theme: t)
        return canvas
    }
}
