/// A confusion matrix as a picture: one cell per (true, predicted) pair, shaded by the share of
/// its row (how a true class was classified), with the count and the share printed in it
/// (scikit-learn's ConfusionMatrixDisplay, with both numbers).
public struct ConfusionData: Sendable {
    /// `counts[true][predicted]`.
    public var counts: [[Int]]
    public var classNames: [String]
    public var title: String?
    public init(counts: [[Int]], classNames: [String], title: String? = nil) {
        self.counts = counts; self.classNames = classNames; self.title = title
    }
}

public enum ConfusionChart {
    /// White to dark blue (ColorBrewer Blues, 9 classes): a share of 0 is white paper.
    public static let blues = Colormap(name: "Blues", anchors: [
        0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b,
    ].map { RGBA(hex: $0) })

    /// Most classes whose cells still carry numbers; beyond, the shading alone.
    public static let maxAnnotatedClasses = 20

    /// The share of row `r` in cell (r, c); 0 for an empty row.
    public static func share(_ d: ConfusionData, _ r: Int, _ c: Int) -> Float {
        let total = d.counts[r].reduce(0, +)
        return total > 0 ? Float(d.counts[r][c]) / Float(total) : 0
    }

    /// The picture and the box of cell (r, c) at `cells[r][c]`.
    public static func render(_ d: ConfusionData, theme t: Theme) throws -> (Canvas, cells: [[Rect]]) {
        let n = d.counts.count
        guard n >= 2, n <= 1024, d.counts.allSatisfy({ $0.count == n }), d.classNames.count == n else {
            throw PlotError.invalidData("a confusion matrix needs n×n counts (2 ≤ n ≤ 1024) and n names")
        }
        let bar = Colorbar(colormap: blues, range: ColorRange(lo: 0, hi: 1), label: "share of the true class (row)",
                           ticks: [0, 0.25, 0.5, 0.75, 1])
        let l = ConfusionLayout(d, bar: bar, theme: t)
        var canvas = try Canvas(width: Int(l.width), height: Int(l.height), background: t.background)
        if let title = l.title, let box = l.titleBox {
            let lineH = t.text.lineHeight(size: title.size)
            for (i, line) in title.lines.enumerated() {
                canvas.drawText(line, at: Point(l.width / 2, box.minY + Float(i) * lineH), size: title.size,
                                color: t.textColor, h: .center, v: .top, using: t.text)
            }
        }
        var cells: [[Rect]] = []
        for r in 0..<n {
            cells.append((0..<n).map { c in
                Rect(x: l.grid.minX + Float(c) * l.cell, y: l.grid.minY + Float(r) * l.cell, width: l.cell, height: l.cell).snapped
            })
            for c in 0..<n { drawCell(d, r, c, in: cells[r][c], annotate: n <= maxAnnotatedClasses, canvas: &canvas, theme: t) }
            canvas.drawText(l.names[r], at: Point(l.rowNameBoxes[r].maxX, cells[r][0].midY), size: l.nameFont,
                            color: t.textColor, h: .right, v: .center, using: t.text)
            canvas.drawText(l.names[r], at: Point(cells[0][r].midX, l.columnNameBoxes[r].minY), size: l.nameFont,
                            color: t.textColor, h: .center, v: .top, vertical: true, using: t.text)
        }
        canvas.strokeRect(l.grid.snapped, width: t.px(t.spineWidthPt), t.textColor)
        canvas.drawText("true class", at: Point(l.trueLabelBox.minX, l.grid.midY), size: t.labelFont, color: t.textColor,
                        h: .left, v: .center, vertical: true, using: t.text)
        canvas.drawText("predicted class", at: Point(l.grid.midX, l.predictedLabelBox.minY), size: t.labelFont,
                        color: t.textColor, h: .center, v: .top, using: t.text)
        canvas.drawColorbar(bar, x: l.bar.minX, top: l.grid.minY, bottom: l.grid.maxY, theme: t)
        return (canvas, cells)
    }

    /// A cell shaded by its row share, with "count" over "share %" (white on dark cells).
    static func drawCell(_ d: ConfusionData, _ r: Int, _ c: Int, in rect: Rect, annotate: Bool, canvas: inout Canvas, theme t: Theme) {
        let f = share(d, r, c)
        canvas.fillPixels(PixelBox(covering: rect), blues.color(at: f))
        guard annotate else { return }
        let ink: RGBA = f > 0.55 ? .white : RGBA(0.1, 0.1, 0.1)
        let big = t.px(rect.height > 40 * t.scale ? 10 : 7.5), small = t.px(rect.height > 40 * t.scale ? 8 : 6.5)
        let share = NiceTicks.format(Double(f) * 100, decimals: 1) + " %"
        if rect.height > 28 * t.scale {
            canvas.drawText(String(d.counts[r][c]), at: Point(rect.midX, rect.midY - 1), size: big, color: ink, h: .center, v: .bottom, using: t.text)
            canvas.drawText(share, at: Point(rect.midX, rect.midY + 1), size: small, color: ink, h: .center, v: .top, using: t.text)
        } else {
            canvas.drawText(String(d.counts[r][c]), at: Point(rect.midX, rect.midY), size: small, color: ink, h: .center, v: .center, using: t.text)
        }
    }
}
