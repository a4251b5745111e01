import Testing
@testable import NNMPlot

/// The confusion picture's layout for few and many classes: the canvas is as wide as its
/// content, the colour bar's label stays beside the bar, the title fits inside the canvas.
@Suite struct ConfusionLayoutTests {
    static let longTitle = "circles (1000 samples, noise 0.05) test split · 200 samples · accuracy 97.00 %"

    static func data(_ n: Int, title: String?) -> ConfusionData {
        let counts = (0..<n).map { r in (0..<n).map { c in r == c ? 50 + r : (r + c) % 3 } }
        return ConfusionData(counts: counts, classNames: (0..<n).map { "class \($0)" }, title: title)
    }

    /// The smallest box holding every pixel that differs from the background.
    static func ink(_ c: Canvas, rows: Range<Int>? = nil) -> PixelBox? {
        var box: PixelBox?
        for y in rows ?? 0..<c.height {
            for x in 0..<c.width where Support.distance(c.pixel(x, y), .white) > 8 {
                box = box.map { PixelBox(x0: min($0.x0, x), y0: min($0.y0, y), x1: max($0.x1, x + 1), y1: max($0.y1, y + 1)) }
                    ?? PixelBox(x0: x, y0: y, x1: x + 1, y1: y + 1)
            }
        }
        return box
    }

    @Test(arguments: [2, 3, 10])
    func theCanvasHasNoWideEmptyMargin(classes n: Int) throws {
        let t = Support.theme()
        for title in [Self.longTitle, nil] {
            let (canvas, cells) = try ConfusionChart.render(Self.data(n, title: title), theme: t)
            try Support.demo(canvas, "confusion-\(n)\(title == nil ? "-untitled" : "")")
            let box = try #require(Self.ink(canvas))
            // The padding is 14 px; a few pixels more for glyph side bearings.
            #expect(box.x0 <= 20 && canvas.width - box.x1 <= 20, "\(n) classes: ink \(box) on a \(canvas.width) px canvas")
            #expect(canvas.height - box.y1 <= 20, "\(n) classes: ink \(box) on a \(canvas.height) px canvas")
            // Beside the matrix too (not only under a wide title): the rows of the matrix reach
            // to the right edge with the colour bar and its label.
            let rows = Int(cells[0][0].minY)..<Int(cells[n - 1][0].maxY)
            let besideMatrix = try #require(Self.ink(canvas, rows: rows))
            #expect(canvas.width - besideMatrix.x1 <= 20, "\(n) classes: matrix rows end at \(besideMatrix.x1) of \(canvas.width) px")
            // Nothing runs off the top edge (a colour-bar label longer than the bar would).
            #expect(box.y0 >= 6, "\(n) classes, title \(title != nil): ink from row \(box.y0)")
        }
    }

    /// Untitled, nothing is drawn above the matrix but the top tick label of the colour bar:
    /// the bar's label is no taller than the bar.
    @Test(arguments: [2, 3, 10])
    func theColourBarLabelStaysBesideTheBar(classes n: Int) throws {
        let t = Support.theme()
        let (canvas, cells) = try ConfusionChart.render(Self.data(n, title: nil), theme: t)
        let top = Int(cells[0][0].minY.rounded(.down))
        let above = Self.ink(canvas, rows: 0..<max(0, top - Int(t.text.lineHeight(size: t.tickFont) / 2) - 2))
        #expect(above == nil, "\(n) classes: ink above the matrix at \(String(describing: above))")
    }

    static func overlap(_ a: Rect, _ b: Rect) -> Bool {
        a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
    }

    static func inside(_ a: Rect, width: Float, height: Float) -> Bool {
        a.minX >= 0 && a.minY >= 0 && a.maxX <= width && a.maxY <= height
    }

    /// Every text box and the matrix lie inside the canvas, and none overlaps another; the
    /// canvas is no wider than the content (the colour bar's label ends one padding from the edge).
    @Test(arguments: [2, 3, 10])
    func noTextOverlapsAndTheTitleFitsTheCanvas(classes n: Int) throws {
        let t = Support.theme()
        let bar = Colorbar(colormap: ConfusionChart.blues, range: ColorRange(lo: 0, hi: 1),
                           label: "share of the true class (row)", ticks: [0, 0.25, 0.5, 0.75, 1])
        for title in [Self.longTitle, "idx test split · 500 samples · accuracy 92.20 %"] {
            let l = ConfusionLayout(Self.data(n, title: title), bar: bar, theme: t)
            let titleBox = try #require(l.titleBox)
            let named: [(String, Rect)] = [("title", titleBox), ("matrix", l.grid), ("bar", l.bar), ("bar label", l.barLabelBox),
                                           ("true class", l.trueLabelBox), ("predicted class", l.predictedLabelBox)]
                + l.rowNameBoxes.map { ("row name", $0) } + l.columnNameBoxes.map { ("column name", $0) }
            for (name, box) in named {
                #expect(Self.inside(box, width: l.width, height: l.height), "\(n) classes: \(name) \(box) outside \(l.width)×\(l.height)")
            }
            for i in named.indices {
                for j in named.indices where j > i {
                    #expect(!Self.overlap(named[i].1, named[j].1), "\(n) classes: \(named[i].0) \(named[i].1) overlaps \(named[j].0) \(named[j].1)")
                }
            }
            #expect(l.width - l.barLabelBox.maxX <= 15, "\(n) classes: \(l.width - l.barLabelBox.maxX) px right of the content")
            // Wrapped, not cut: every word of the title is on one of its lines, at a readable size.
            let lines = try #require(l.title)
            let words = title.split(separator: " ").filter { $0 != "·" }
            #expect(lines.lines.joined(separator: " ").split(separator: " ").filter { $0 != "·" } == words)
            #expect(lines.lines.count <= 2 && lines.size >= t.titleFont * 0.8)
            #expect(lines.lines.allSatisfy { t.text.measure($0, size: lines.size) <= l.width - 28 })
        }
    }

    @Test func aShortTitleStaysOnOneLineAndALongOneIsSplitAtASeparator() {
        let t = Support.theme()
        let short = TitleLines.fit("idx test split · 500 samples", width: 600, size: t.titleFont, t: t)
        #expect(short.lines == ["idx test split · 500 samples"] && short.size == t.titleFont)
        let long = TitleLines.fit(Self.longTitle, width: 420, size: t.titleFont, t: t)
        #expect(long.lines == ["circles (1000 samples, noise 0.05) test split", "200 samples · accuracy 97.00 %"], "\(long.lines)")
        let absurd = TitleLines.fit(String(repeating: "word ", count: 2000), width: 300, size: t.titleFont, t: t)
        #expect(absurd.lines.count == TitleLines.maxLines && absurd.lines.last?.hasSuffix("…") == true)
        #expect(absurd.width <= 300)
    }
}
