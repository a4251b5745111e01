import Testing
@testable import NNMPlot

/// Defects found by trying the pictures (issue 14, deliverable 6), each pinned by a test.
@Suite struct PictureDefectTests {
    @Test(arguments: [2, 3, 6, 7, 11, 16, 25, 30, 784])
    func unitAxesTickOnlyWholeUnits(count: Int) {
        let t = Theme(text: TextRenderer(face: nil))
        for length: Float in [40, 120, 400, 1200] {
            let axis = HeatmapChart.indexAxis(count: count, length: length, t: t, horizontal: true)
            #expect(axis.ticks.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= Double(count - 1) }, "\(count) units, \(length) px: \(axis.ticks)")
            #expect(!axis.ticks.isEmpty)
        }
    }

    @Test func classColoursDoNotRepeatUpTo40Classes() {
        for n in [10, 12, 20, 40] {
            let colours = (0..<n).map { RGBA.classColor($0, of: n).bytes }
            #expect(Set(colours.map { "\($0)" }).count == n, "\(n) classes")
        }
        #expect(RGBA.classColor(3, of: 12) == RGBA.tab10[3])
    }

    @Test func aNarrowFirstLayerFillsTheWidth() throws {
        let t = Theme(text: TextRenderer(face: nil))
        let narrow = try MatrixData(rows: 16, cols: 2, values: (0..<32).map { Float($0) - 16 })
        let panel = HeatmapPanel(title: "layers.0.weight", matrix: narrow, bias: [Float](repeating: 0.5, count: 16))
        let layout = HeatmapChart.FigureLayout([panel], width: 1000, hasTitle: false, theme: t)
        let plan = HeatmapChart.plan(panel, ranges: (ColorRange(lo: -16, hi: 16), ColorRange(lo: -1, hi: 1)), top: 0,
                                     layout: layout, colormap: .diverging, sharedRange: false, maxPanelHeight: 420)
        #expect(plan.matW >= 4 * Float(plan.sy) * 2 - 1, "cells up to four times wider than tall")
        #expect(plan.biasBar != nil, "the bias strip's own scale has its own colour bar")
    }

    @Test func dashesAreSymmetricAndInkTheMiddle() {
        let d = NetworkDiagramChart.dashes(from: Point(0, 0), to: Point(100, 0), dash: 7, gap: 4)
        #expect(d.contains { $0.0.x <= 50 && $0.1.x >= 50 })
        #expect(d.allSatisfy { $0.0.x >= 0 && $0.1.x <= 100 && $0.1.x > $0.0.x })
    }

    /// A small loss panel put its legend over the "resume 1" label at the top (the label's
    /// corners were only some of the points the legend avoided): a label the legend covers
    /// now steps down below it, beside its line.
    @Test func aMarkerLabelTheLegendWouldCoverStepsBelowIt() throws {
        let t = Support.theme()
        let x = AxisScale.linear(dataLo: 1, dataHi: 70, length: 200, fontPx: t.tickFont, horizontal: true, integerTicks: true)
        let y = AxisScale.linear(dataLo: 0, dataHi: 0.7, length: 240, fontPx: t.tickFont, horizontal: false, integerTicks: false)
        let ax = Axes(box: Rect(x: 60, y: 40, width: 200, height: 240), x: x, y: y)
        let markers = [VerticalMarker(x: 30.5, label: "resume 1")]
        let canvas = try Canvas(width: 300, height: 300)
        let free = try #require(canvas.markerLabels(markers, in: ax, theme: t).first)
        #expect(free.ground.minY < ax.box.minY + 10, "at the top when nothing is in the way")
        let legend = Rect(x: ax.box.minX + 7, y: ax.box.minY + 7, width: free.ground.maxX - ax.box.minX, height: 45)
        #expect(free.ground.overlaps(legend))
        let moved = try #require(canvas.markerLabels(markers, in: ax, theme: t, clearOf: legend).first)
        #expect(!moved.ground.overlaps(legend))
        #expect(moved.ground.minY >= legend.maxY && moved.ground.maxY <= ax.box.maxY)
        #expect(moved.anchor.x == free.anchor.x, "still beside its line")

        // Two covered neighbours keep their steps, so they do not print over each other.
        let two = [VerticalMarker(x: 30.5, label: "resume 1"), VerticalMarker(x: 32.5, label: "resume 2")]
        let pair = canvas.markerLabels(two, in: ax, theme: t, clearOf: legend)
        #expect(pair.count == 2)
        #expect(pair.allSatisfy { !$0.ground.overlaps(legend) && $0.ground.maxY <= ax.box.maxY })
        #expect(!pair[0].ground.overlaps(pair[1].ground))
    }

    /// A legend row's entry wider than the whole row ran off the picture (a compare label of
    /// 120 characters): it is cut with "…" to the row.
    @Test func aLegendEntryWiderThanItsRowIsCut() {
        let t = Support.theme()
        let long = LegendEntry(label: String(repeating: "layers=4-16-16-3, ", count: 12), sample: .line(.black, width: 1))
        let short = LegendEntry(label: "lr=0.01", sample: .line(.black, width: 1))
        let rows = LegendRows([short, long], maxWidth: 400, theme: t)
        #expect(rows.labels[0] == "lr=0.01")
        #expect(rows.labels[1].hasSuffix("…") && rows.widths[1] <= 400)
        #expect((0..<rows.rows.count).allSatisfy { rows.rowWidth($0) <= 400 })
    }

    /// Sixteen 2×2 images made a 278-pixel picture under a 300-pixel title, cut at both edges:
    /// the picture widens for its title, up to the asked width.
    @Test func aFewSmallImagesLeaveRoomForTheirTitle() throws {
        let t = Support.theme()
        let title = "layers.1.weight: 16 units as 2×2 images"
        let tiles = (0..<16).map { k in (0..<4).map { Float($0 + k) - 8 } }
        let canvas = try ImageGridChart.render(tiles: tiles, tileRows: 2, tileCols: 2, title: title, width: 1000, theme: t)
        #expect(Float(canvas.width) >= t.text.measure(title, size: t.titleFont) + 2 * t.px(12))
        let narrow = try ImageGridChart.render(tiles: tiles, tileRows: 2, tileCols: 2, title: title, width: 200, theme: t)
        #expect(narrow.width < canvas.width)
    }

    /// The legend counted only the data points it would hide, so it sat on a ROC curve of three
    /// points (its whole top edge one segment) and on a loss spike: the segments count too.
    @Test func theLegendAvoidsTheLineBetweenDataPoints() {
        let pts = LineChart.alongSegments([Point(0, 100), Point(0, 0), Point(100, 0)], every: 4)
        #expect(pts.first == Point(0, 100) && pts.last == Point(100, 0))
        #expect(pts.contains { abs($0.x - 50) < 2.5 && $0.y == 0 }, "a point in the middle of the top edge")
        #expect(pts.count >= 50 && pts.count <= 60)
        let dense = (0..<100).map { Point(Float($0), 0) }
        #expect(LineChart.alongSegments(dense, every: 4).count == dense.count)
        // A ROC curve of three points: the legend no longer takes the upper right corner.
        let area = Rect(x: 0, y: 0, width: 400, height: 300)
        let roc = LineChart.alongSegments([Point(0, 300), Point(0, 8), Point(400, 8)], every: 4)
        #expect([.lowerLeft, .lowerRight].contains(Boxes.best((150, 50), in: area, pad: 7, avoiding: roc)))
        #expect(Boxes.best((150, 50), in: area, pad: 7, avoiding: [Point(0, 300), Point(0, 8), Point(400, 8)]) == .upperRight, "as it was")
    }

    /// Cutting a title with "…" removed one character at a time and measured the rest each
    /// time: a label of 200 000 characters from a file's metadata took minutes. Bisection
    /// gives the same longest prefix.
    @Test func cuttingAVeryLongLabelIsQuickAndFits() {
        let t = Support.theme()
        let long = String(repeating: "lr=0.05, hidden=32, ", count: 10_000)
        let cut = FieldGridChart.fit(long, width: 300, size: 12, t: t)
        #expect(cut.hasSuffix("…") && t.text.measure(cut, size: 12) <= 300)
        let longer = String(cut.dropLast()) + String(long[long.index(long.startIndex, offsetBy: cut.count - 1)]) + "…"
        #expect(t.text.measure(longer, size: 12) > 300, "the longest prefix that fits")
        #expect(FieldGridChart.fit("short", width: 300, size: 12, t: t) == "short")
    }
}
