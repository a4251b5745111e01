import Testing
@testable import NNMPlot

@Suite struct TextTests {
    @Test func titlePixelsExistWhereTheTitleIsDrawn() throws {
        let t = Support.theme()
        #expect(t.text.face != nil, "DejaVu Sans is installed on this machine")
        let with = LinePanel(labels: AxesLabels(title: "A TITLE", x: "x", y: "y"),
                             series: [Series(name: nil, x: [0, 1], y: [0, 1], color: .cycle(0))], legend: false)
        var without = with
        without.labels.title = nil
        let a = try LineChart.render([with], width: 400, height: 300, theme: t)
        let b = try LineChart.render([without], width: 400, height: 300, theme: t)
        // The title sits centred above the plot box, in the top band of the picture.
        func darkPixels(_ c: Canvas) -> Int {
            var n = 0
            for y in 0..<30 { for x in 150..<250 where c.pixel(x, y).r < 0.5 { n += 1 } }
            return n
        }
        #expect(darkPixels(a) > darkPixels(b) + 40)
    }

    @Test func measuringGrowsWithText() {
        let t = Support.theme()
        let one = t.text.measure("0", size: 14), three = t.text.measure("000", size: 14)
        #expect(one > 4 && abs(three - 3 * one) < 0.01)
        #expect(t.text.measure("0", size: 28) > 1.8 * one)
    }

    @Test func kerningTightensAV() {
        let t = Support.theme()
        let pair = t.text.measure("AV", size: 28), apart = t.text.measure("A", size: 28) + t.text.measure("V", size: 28)
        #expect(pair < apart - 0.5)
    }

    @Test func verticalTextIsTallerThanWide() throws {
        let t = Support.theme()
        var c = try Canvas(width: 100, height: 200)
        c.drawText("vertical label", at: Point(50, 100), size: 14, h: .center, v: .center, vertical: true, using: t.text)
        var xs: [Int] = [], ys: [Int] = []
        for y in 0..<200 { for x in 0..<100 where c.pixel(x, y).r < 0.5 { xs.append(x); ys.append(y) } }
        let w = (xs.max() ?? 0) - (xs.min() ?? 0), h = (ys.max() ?? 0) - (ys.min() ?? 0)
        #expect(h > 3 * w && h > 60)
        #expect(abs(Double((ys.max() ?? 0) + (ys.min() ?? 0)) / 2 - 100) < 6, "centred on the anchor")
    }

    @Test func noFontStillGivesAPicture() throws {
        #expect(FontFace(bytes: []) == nil)
        #expect(FontFace(bytes: Array("not a font".utf8)) == nil)
        let renderer = TextRenderer(face: nil)
        let t = Theme(text: renderer)
        let p = LinePanel(labels: AxesLabels(title: "title", x: "x", y: "y"),
                          series: [Series(name: "a", x: [0, 1, 2], y: [1, 0, 2], color: .cycle(0))])
        let c = try LineChart.render([p], width: 320, height: 240, theme: t)
        #expect(c.width == 320 && c.height == 240)
        #expect(c.pixels.contains(0x1f) || c.pixels.contains(0x77), "the line is still drawn")
    }
}
