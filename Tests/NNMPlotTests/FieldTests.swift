import Testing
@testable import NNMPlot

@Suite struct FieldTests {
    /// A model whose answer is known: P(class 1) = 1 right of x = 0, 0 left of it.
    @Test func classColoursInTheRightRegions() throws {
        let t = Support.theme()
        let e = Extent(xMin: -2, xMax: 2, yMin: -2, yMax: 2)
        var plot = FieldPlot(extent: e, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 1, 0, 1])),
                             labels: AxesLabels(title: "half plane", x: "x", y: "y"))
        let size = FieldChart.plotSize(plot, width: 400, height: 400, theme: t)
        plot.background = .probability(try ScalarGrid.sample(width: size.width, height: size.height, extent: e) { x, _ in
            x > 0 ? 1 : 0
        })
        let c = try FieldChart.render(plot, width: 400, height: 400, theme: t)
        #expect(c.width == 400 && c.height == 400)
        let box = FieldChart.plotBox(plot, width: 400, height: 400, theme: t)
        let left = c.pixel(Int(box.minX + box.width * 0.2), Int(box.midY))
        let right = c.pixel(Int(box.minX + box.width * 0.8), Int(box.midY))
        #expect(left.b > left.r + 0.15, "class 0 side is blue: \(left)")
        #expect(right.r > right.b + 0.15, "class 1 side is red: \(right)")
        // The 0.5 contour is drawn dark down the middle.
        let mid = c.pixel(Int(box.midX.rounded(.down)), Int(box.midY))
        #expect(mid.r < 0.5 && mid.b < 0.5, "contour at x = 0: \(mid)")
    }

    @Test func pointsAreDrawnInClassColours() throws {
        let t = Support.theme()
        let e = Extent(xMin: -1, xMax: 1, yMin: -1, yMax: 1)
        let g = try ScalarGrid(width: 2, height: 2, values: [0.5, 0.5, 0.5, 0.5])
        let plot = FieldPlot(extent: e, background: .probability(g), contourLevel: nil,
                             points: [ScatterPoint(x: -0.5, y: 0, label: 0), ScatterPoint(x: 0.5, y: 0, label: 1, isTest: true)])
        let c = try FieldChart.render(plot, width: 500, height: 500, theme: t)
        let box = FieldChart.plotBox(plot, width: 500, height: 500, theme: t)
        let p0 = c.pixel(Int(box.minX + box.width * 0.25), Int(box.midY))
        let p1 = c.pixel(Int(box.minX + box.width * 0.75), Int(box.midY))
        try Support.demo(c, "points-test")
        #expect(p0.b > 0.5 && p0.r < 0.3, "\(p0)")
        #expect(p1.r > 0.6 && p1.b < 0.3, "\(p1)")
    }

    @Test func marchingSquaresFindsACircle() throws {
        let g = try ScalarGrid.sample(width: 41, height: 41, extent: Extent(xMin: -1, xMax: 1, yMin: -1, yMax: 1)) { x, y in
            Float(x * x + y * y)
        }
        let segs = MarchingSquares.segments(g, level: 0.25)
        #expect(segs.count > 30)
        // Every endpoint is about 0.5 from the centre (in grid units: 0.5 / (2/41)).
        for (a, _) in segs {
            let r = ((a.x - 20) * (a.x - 20) + (a.y - 20) * (a.y - 20)).squareRoot() * 2 / 41
            #expect(abs(r - 0.5) < 0.03)
        }
    }

    @Test func badGridsAreErrors() {
        #expect(throws: PlotError.self) { try ScalarGrid(width: 3, height: 3, values: [1, 2]) }
        #expect(throws: PlotError.self) { try ClassGrid(width: 2, height: 2, classCount: 3, probabilities: []) }
        #expect(throws: PlotError.self) { try MatrixData(rows: 2, cols: 2, values: [1]) }
    }
}
