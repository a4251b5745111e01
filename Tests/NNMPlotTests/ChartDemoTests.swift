import Foundation
import Testing
@testable import NNMPlot

/// Renders every chart kind with realistic data; checks sizes and key pixels. With
/// `NNMPLOT_DEMO_DIR` set, also writes the PNGs there to look at.
@Suite struct ChartDemoTests {
    @Test func weightHeatmaps() throws {
        let t = Support.theme()
        let w0 = try MatrixData(rows: 100, cols: 784, values: DemoData.weights(rows: 100, cols: 784))
        let w1 = try MatrixData(rows: 10, cols: 100, values: DemoData.weights(rows: 10, cols: 100, seed: 9))
        let panels = [
            HeatmapPanel(title: "layers.0.weight", subtitle: "100×784 · min −0.35 · max 0.33", matrix: w0,
                         bias: DemoData.weights(rows: 100, cols: 1, seed: 4)),
            HeatmapPanel(title: "layers.2.weight", subtitle: "10×100", matrix: w1, bias: DemoData.weights(rows: 10, cols: 1, seed: 5)),
        ]
        let c = try HeatmapChart.render(panels, width: 1000, theme: t)
        #expect(c.width >= 784 && c.height > 100)
        try Support.demo(c, "weights")
        let small = try MatrixData(rows: 3, cols: 2, values: [0.5, -0.2, 0.1, 0.9, -1.0, 0.0])
        let c2 = try HeatmapChart.render([HeatmapPanel(title: "layers.4.weight", matrix: small, bias: [0.1, -0.3, 0.2])], width: 640, theme: t)
        try Support.demo(c2, "weights-small")
    }

    @Test func imageGrid() throws {
        let t = Support.theme()
        var tiles: [[Float]] = []
        for k in 0..<16 {
            tiles.append((0..<784).map { i in
                let r = Double(i / 28) - 13.5, c = Double(i % 28) - 13.5
                return Float(sin((r * cos(Double(k)) + c * sin(Double(k))) / 3) * exp(-(r * r + c * c) / 120))
            })
        }
        let c = try ImageGridChart.render(tiles: tiles, tileRows: 28, tileCols: 28, title: "layers.0.weight as 28×28 images", theme: t)
        #expect(c.width > 200)
        try Support.demo(c, "weights-images")
    }

    @Test func probabilityField() throws {
        let t = Support.theme()
        let pts = DemoData.moons(300)
        let e = Extent.around(xs: pts.map(\.x), ys: pts.map(\.y), margin: 0.3, relative: 0)
        var plot = FieldPlot(extent: e, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])),
                             points: pts, labels: AxesLabels(title: "moons · MLP 2-16-16-1", x: "x₁", y: "x₂"),
                             cornerText: ["test accuracy 0.97"])
        let size = FieldChart.plotSize(plot, width: 640, height: 640, theme: t)
        plot.background = .probability(try ScalarGrid.sample(width: size.width, height: size.height, extent: e,
                                                             DemoData.moonsProbability))
        let c = try FieldChart.render(plot, width: 640, height: 640, theme: t)
        #expect(c.width == 640 && c.height == 640)
        try Support.demo(c, "boundary")
    }

    @Test func classField() throws {
        let t = Support.theme()
        let centres = [(0.0, 1.0), (-0.9, -0.5), (0.9, -0.5)]
        var r = DemoRandom(state: 11)
        var pts: [ScatterPoint] = []
        for i in 0..<150 {
            let k = i % 3
            pts.append(ScatterPoint(x: centres[k].0 + 0.35 * r.normal(), y: centres[k].1 + 0.35 * r.normal(), label: k, isTest: i % 4 == 0))
        }
        let e = Extent(xMin: -2, xMax: 2, yMin: -1.8, yMax: 2)
        let pointsXY = ScalarGrid.samplePoints(width: 120, height: 114, extent: e)
        var probs: [Float] = []
        for (x, y) in pointsXY {
            let s = centres.map { exp(-4 * ((x - $0.0) * (x - $0.0) + (y - $0.1) * (y - $0.1))) }
            let z = s.reduce(0, +)
            probs += s.map { Float($0 / z) }
        }
        let g = try ClassGrid(width: 120, height: 114, classCount: 3, probabilities: probs)
        let plot = FieldPlot(extent: e, background: .classes(g), points: pts,
                             labels: AxesLabels(title: "blobs · 3 classes", x: "x₁", y: "x₂"), cornerText: ["accuracy 0.95"])
        let c = try FieldChart.render(plot, width: 640, height: 560, theme: t)
        try Support.demo(c, "classes")
    }
}

@Suite struct HighDPITests {
    /// Scale 2 doubles every pixel dimension; a coarse grid is upscaled bilinearly.
    @Test func boundaryAtScale2FromACoarseGrid() throws {
        let t = Support.theme(scale: 2)
        let pts = DemoData.moons(1000, seed: 3)
        let e = Extent.around(xs: pts.map(\.x), ys: pts.map(\.y), margin: 0.5, relative: 0)
        let g = try ScalarGrid.sample(width: 100, height: 100, extent: e, DemoData.moonsProbability)
        let plot = FieldPlot(extent: e, background: .probability(g), points: pts,
                             labels: AxesLabels(title: "MLP(16,16) decision boundary on moons", x: "x₁", y: "x₂"),
                             cornerText: ["test accuracy 0.97"])
        let c = try FieldChart.render(plot, width: 500, height: 500, theme: t)
        #expect(c.width == 1000 && c.height == 1000)
        try Support.demo(c, "boundary-2x")
    }
}

@Suite struct FieldGridTests {
    @Test func neuronThumbnails() throws {
        let t = Support.theme()
        let e = Extent(xMin: -6, xMax: 6, yMin: -6, yMax: 6)
        var tiles: [FieldTile] = []
        for k in 0..<8 {
            let a = Double(k) * 0.7, b = Double(k) - 4
            let g = try ScalarGrid.sample(width: 50, height: 50, extent: e) { x, y in Float(tanh((cos(a) * x + sin(a) * y - b) / 2)) }
            tiles.append(FieldTile(caption: k == 7 ? "a very long caption that cannot fit" : "layer 0 · unit \(k)", grid: g))
        }
        let c = try FieldGridChart.render(tiles, title: "hidden units over the input plane", theme: t)
        #expect(c.width > 3 * 96 && c.height > 3 * 96, "8 tiles in a 3 × 3 grid")
        // A unit's tile is negative on one side, positive on the other: both ends of the map show.
        let x0 = Int(t.px(12).rounded()), y0 = Int((t.px(12) + t.text.lineHeight(size: t.titleFont) + t.px(t.titlePadPt)).rounded(.up))
        var sawRed = false, sawBlue = false
        for y in y0..<(y0 + 96) { for x in x0..<(x0 + 96) {
            let p = c.pixel(x, y)
            if p.r > p.b + 0.3 { sawRed = true }
            if p.b > p.r + 0.3 { sawBlue = true }
        } }
        #expect(sawRed && sawBlue)
        try Support.demo(c, "neurons")
    }
}
