import Testing
@testable import NNMPlot

/// Hostile numbers must give a picture or a typed error, never a crash or a hang.
@Suite struct RobustnessTests {
    @Test func lineChartWithNaNInfinityAndHugeValues() throws {
        let t = Support.theme()
        let weird: [[Double]] = [
            [.nan, .nan, .nan],
            [1, .infinity, -.infinity, 2],
            [-1e308, 1e308, 0],
            [5, 5, 5],
            [],
        ]
        for ys in weird {
            let p = LinePanel(labels: AxesLabels(title: "t", x: "x", y: "y"),
                              series: [Series(name: "s", x: ys.indices.map(Double.init), y: ys, color: .cycle(0), highlight: .minimum)],
                              logY: false)
            _ = try LineChart.render([p], width: 300, height: 200, theme: t)
            var log = p
            log.logY = true
            _ = try LineChart.render([log], width: 300, height: 200, theme: t)
        }
        #expect(throws: PlotError.self) { try LineChart.render([], width: 300, height: 200, theme: t) }
    }

    @Test func heatmapAndFieldWithNaN() throws {
        let t = Support.theme()
        let m = try MatrixData(rows: 2, cols: 3, values: [.nan, 1, -1, .infinity, 0, 0.5])
        _ = try HeatmapChart.render([HeatmapPanel(title: "nan", matrix: m, bias: [.nan, 1])], width: 400, theme: t)
        let g = try ScalarGrid(width: 3, height: 3, values: [0, .nan, 1, 0, 0.5, 1, .infinity, 0, 1])
        let plot = FieldPlot(extent: Extent(xMin: 0, xMax: 1, yMin: 0, yMax: 1), background: .probability(g),
                             points: [ScatterPoint(x: .nan, y: 0, label: 0), ScatterPoint(x: 0.5, y: 0.5, label: 7)])
        _ = try FieldChart.render(plot, width: 300, height: 300, theme: t)
        let bad = FieldPlot(extent: Extent(xMin: 1, xMax: 1, yMin: 0, yMax: .nan), background: .probability(g))
        #expect(throws: PlotError.self) { try FieldChart.render(bad, width: 300, height: 300, theme: t) }
    }

    @Test func tinyAndHugeCanvasRequests() throws {
        let t = Support.theme()
        let p = LinePanel(labels: AxesLabels(), series: [Series(name: nil, x: [0, 1], y: [0, 1], color: .black)])
        _ = try LineChart.render([p], width: 8, height: 8, theme: t)
        #expect(throws: PlotError.self) { try LineChart.render([p], width: 90_000, height: 90_000, theme: t) }
    }
}
