import Foundation
import Testing
@testable import NNMPlot

/// The faults found by looking at the sample pictures, each pinned down so it cannot return:
/// washed-out weights, a colour bar with a lone tick, a legend running off a small picture,
/// tile gaps that vanish.
@Suite struct ReadabilityTests {
    /// Small weights (±0.15) next to large biases (±1): the weights keep the full colour range.
    @Test func weightRangeComesFromTheWeightsAlone() throws {
        let m = try MatrixData(rows: 1, cols: 2, values: [0.15, -0.1])
        let panel = HeatmapPanel(title: "w", matrix: m, bias: [1.0])
        let r = HeatmapChart.ranges([panel], shared: false)
        #expect(r[0].weights == ColorRange(lo: -0.15, hi: 0.15))
        #expect(r[0].bias == ColorRange(lo: -1, hi: 1))
        // Shared: one range for all matrices, another for all biases.
        let other = HeatmapPanel(title: "v", matrix: try MatrixData(rows: 1, cols: 1, values: [0.5]), bias: [-2])
        let s = HeatmapChart.ranges([panel, other], shared: true)
        #expect(s.allSatisfy { $0.weights == ColorRange(lo: -0.5, hi: 0.5) && $0.bias == ColorRange(lo: -2, hi: 2) })

        // The 0.15 cell is painted with the darkest red, over its whole (large) cell.
        let c = try HeatmapChart.render([panel], width: 400, theme: Support.theme())
        let darkest = Colormap.diverging.color(at: 1)
        var n = 0
        for y in 0..<c.height { for x in 0..<c.width where Support.distance(c.pixel(x, y), darkest) < 3 { n += 1 } }
        #expect(n > 600, "the max weight's cell should be saturated, found \(n) pixels")
    }

    /// Every colour bar shows its two ends and midpoint, however short.
    @Test func shortColourBarStillShowsItsScale() {
        let t = Support.theme()
        let bar = Colorbar(colormap: .diverging, range: ColorRange(lo: -1.8, hi: 1.8))
        let short = bar.tickSet(height: Colorbar.minimumHeight(t), theme: t)
        #expect(short.values == [Double(Float(-1.8)), 0, Double(Float(1.8))])
        #expect(short.labels == ["−1.8", "0", "1.8"])
        for h in stride(from: Float(10), through: 500, by: 7) {
            #expect(bar.tickSet(height: h, theme: t).values.count >= 3, "bar \(h) px tall")
        }
    }

    /// Fixed ticks (0, 0.25 … 1) on a short bar thin out to 0, 0.5, 1; a tall bar keeps all five.
    @Test func fixedTicksThinOutOnAShortBar() {
        let t = Support.theme()
        let bar = Colorbar(colormap: .probability, range: ColorRange(lo: 0, hi: 1), ticks: [0, 0.25, 0.5, 0.75, 1])
        #expect(bar.tickSet(height: 400, theme: t).values == [0, 0.25, 0.5, 0.75, 1])
        #expect(bar.tickSet(height: 50, theme: t).values == [0, 0.5, 1])
        #expect(bar.tickSet(height: 50, theme: t).labels == ["0.0", "0.5", "1.0"])
    }

    /// A 1×16 panel is tall enough for its colour bar's three labels and its row label.
    @Test func oneRowPanelIsTallEnough() throws {
        let t = Support.theme()
        let m = try MatrixData(rows: 1, cols: 16, values: (0..<16).map { Float($0) / 8 - 1 })
        let c = try HeatmapChart.render([HeatmapPanel(title: "layers.4.weight", subtitle: "1×16", matrix: m, bias: [0.1])],
                                        width: 1000, theme: t)
        #expect(Float(c.height) >= Colorbar.minimumHeight(t) + t.text.lineHeight(size: t.titleFont) * 2)
    }

    /// Wrapped legend rows fit the width, are balanced, and one row is used when there is room.
    @Test func legendWrapsToTheWidth() {
        let t = Support.theme()
        let entries = ["class 0", "class 1", "class 2", "class 3", "train", "test"].map {
            LegendEntry(label: $0, sample: .patch(.black))
        }
        #expect(LegendRows(entries, maxWidth: 2000, theme: t).rows.count == 1)
        for w: Float in [300, 384, 200] {
            let rows = LegendRows(entries, maxWidth: w, theme: t)
            #expect(rows.rows.count >= 2)
            #expect(rows.rows.flatMap { $0 } == Array(entries.indices), "every entry once, in order")
            for r in rows.rows.indices { #expect(rows.rowWidth(r) <= w) }
            let counts = rows.rows.map(\.count)
            #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 2, "balanced rows, got \(counts)")
        }
    }

    /// At 320 and 400 px wide the legend of a 4-class picture stays inside the picture.
    @Test func smallBoundaryPictureKeepsItsLegendInside() throws {
        let t = Support.theme()
        let e = Extent(xMin: -1, xMax: 1, yMin: -1, yMax: 1)
        let pts = (0..<40).map { i in ScatterPoint(x: Double(i % 7) / 4 - 0.8, y: Double(i % 5) / 3 - 0.6, label: i % 4, isTest: i % 3 == 0) }
        let probs = (0..<(16 * 4)).map { Float($0 % 4 == 0 ? 1 : 0) }
        let plot = FieldPlot(extent: e, background: .classes(try ClassGrid(width: 4, height: 4, classCount: 4, probabilities: probs)),
                             points: pts, labels: AxesLabels(title: "four", x: "x₁", y: "x₂"))
        for side in [320, 400] {
            let c = try FieldChart.render(plot, width: side, height: side, theme: t)
            let box = FieldChart.plotBox(plot, width: side, height: side, theme: t)
            for y in 0..<Int(box.minY) {
                for x in [0, 1, c.width - 2, c.width - 1] {
                    #expect(Support.distance(c.pixel(x, y), .white) < 1, "\(side) px: ink at the edge (\(x), \(y))")
                }
            }
        }
    }

    /// Near-zero (near-white) tiles are still separated: the gaps are grey.
    @Test func imageGridGapsAreGrey() throws {
        let tiles = [[Float]](repeating: [Float](repeating: 0, count: 16), count: 4)
        let c = try ImageGridChart.render(tiles: tiles, tileRows: 4, tileCols: 4, width: 300, theme: Support.theme())
        var grey = 0
        for y in 0..<c.height { for x in 0..<c.width where Support.distance(c.pixel(x, y), ImageGridChart.separator) < 2 { grey += 1 } }
        // 2×2 tiles: at least one vertical and one horizontal gap across the grid.
        #expect(grey >= 2 * 4 * 10)
    }

    /// A short axis gets at least two ticks (not a lone "0").
    @Test func shortAxisHasTwoTicks() {
        for length: Float in stride(from: 20, through: 200, by: 5) {
            let s = AxisScale.linear(dataLo: -1.5, dataHi: 1.5, margin: 0, length: length, fontPx: 10, horizontal: true)
            #expect(s.ticks.count >= 2, "axis \(length) px")
        }
    }
}
