/// Where every part of a confusion picture goes, worked out before anything is drawn so that
/// the canvas is as wide as its content (matrix, colour bar and their labels) and no text
/// overlaps another, for 2 classes as for 100 (matplotlib's tight layout, by hand).
public struct ConfusionLayout: Sendable {
    public var width: Float
    public var height: Float
    /// The matrix, `cell` pixels a side per class.
    public var grid: Rect
    public var cell: Float
    public var title: TitleLines?
    /// The box the title's lines are drawn in (centred on the canvas).
    public var titleBox: Rect?
    /// The gradient of the colour bar, as tall as the matrix.
    public var bar: Rect
    /// The colour bar's label, turned 90°, beside its tick labels.
    public var barLabelBox: Rect
    /// "true class" (turned) left of the row names and "predicted class" under the column names.
    public var trueLabelBox: Rect
    public var predictedLabelBox: Rect
    /// Class names: left of each row, under each column (turned).
    public var rowNameBoxes: [Rect]
    public var columnNameBoxes: [Rect]
    public var nameFont: Float
    public var names: [String]

    /// Smallest side of the matrix at scale 1: two classes get cells big enough for their numbers
    /// and a colour bar long enough for its label, as matplotlib's default figure would give.
    static let minimumGridSide: Float = 280

    public init(_ d: ConfusionData, bar: Colorbar, theme t: Theme) {
        let n = d.counts.count, s = t.scale
        let pad = 14 * s, gap = 16 * s
        let nameFont = t.px(n > 30 ? 7 : 9), names = d.classNames.map { n > 30 ? "" : $0 }
        self.nameFont = nameFont; self.names = names
        let nameW = (names.map { t.text.measure($0, size: nameFont) }.max() ?? 0) + 6 * s
        let labelH = t.text.lineHeight(size: t.labelFont)
        let barLabelLength = bar.label.map { t.text.measure($0, size: t.labelFont) } ?? 0
        let trueLength = t.text.measure("true class", size: t.labelFont)
        let minimumGrid = max(Self.minimumGridSide * s, barLabelLength + 8 * s, trueLength + 8 * s)
        cell = max((max(14, min(72, 560 / Float(n))) * s).rounded(), (minimumGrid / Float(n)).rounded(.up))
        let gridW = cell * Float(n)
        let barW = bar.width(height: gridW, theme: t)
        let contentW = pad + labelH + 6 * s + nameW + gridW + gap + barW + pad
        if let text = d.title {
            title = TitleLines.fit(text, width: contentW - 2 * pad, size: t.titleFont, t: t)
        }
        let titleH = title.map { $0.height(t) + 10 * s } ?? 0
        // The title is set into the content's width, so the content decides the canvas width.
        width = contentW.rounded(.up)
        let left = pad + labelH + 6 * s + nameW
        let top = pad + titleH
        grid = Rect(x: left, y: top, width: gridW, height: gridW)
        height = (top + gridW + nameW + labelH + 8 * s + pad).rounded(.up)
        let canvasW = width
        titleBox = title.map { Rect(x: (canvasW - $0.width) / 2, y: pad, width: $0.width, height: $0.height(t)) }
        self.bar = Rect(x: left + gridW + gap, y: top, width: Colorbar.barWidth(t), height: gridW)
        let barLabelX = left + gridW + gap + barW - labelH
        barLabelBox = Rect(x: barLabelX, y: grid.midY - barLabelLength / 2, width: labelH, height: barLabelLength)
        trueLabelBox = Rect(x: left - nameW - 6 * s - labelH, y: grid.midY - trueLength / 2, width: labelH, height: trueLength)
        let predictedLength = t.text.measure("predicted class", size: t.labelFont)
        predictedLabelBox = Rect(x: grid.midX - predictedLength / 2, y: top + gridW + nameW + 6 * s,
                                 width: predictedLength, height: labelH)
        let cellSize = cell, grid = self.grid
        rowNameBoxes = names.enumerated().map { i, name in
            let w = t.text.measure(name, size: nameFont), h = t.text.lineHeight(size: nameFont)
            return Rect(x: grid.minX - 4 * s - w, y: grid.minY + (Float(i) + 0.5) * cellSize - h / 2, width: w, height: h)
        }
        columnNameBoxes = names.enumerated().map { i, name in
            let w = t.text.measure(name, size: nameFont), h = t.text.lineHeight(size: nameFont)
            return Rect(x: grid.minX + (Float(i) + 0.5) * cellSize - h / 2, y: grid.maxY + 4 * s, width: h, height: w)
        }
    }
}
