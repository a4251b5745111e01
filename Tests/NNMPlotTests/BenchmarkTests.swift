import Foundation
import Testing
@testable import NNMPlot

/// Timing of the issue-5 target picture (a 1000×1000 decision boundary). Runs only with
/// `NNMPLOT_BENCH=1`, and means something only in a release build:
/// `NNMPLOT_BENCH=1 swift test -c release --filter BenchmarkTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NNMPLOT_BENCH"] != nil))
struct BenchmarkTests {
    @Test func boundary1000() throws {
        let t = Support.theme()
        let pts = DemoData.moons(1000)
        let e = Extent.around(xs: pts.map(\.x), ys: pts.map(\.y), margin: 0.5, relative: 0)
        var times: [Double] = []
        var bytes = 0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            var plot = FieldPlot(extent: e, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])),
                                 points: pts, labels: AxesLabels(title: "moons", x: "x₁", y: "x₂"), cornerText: ["accuracy 0.97"])
            let size = FieldChart.plotSize(plot, width: 1000, height: 1000, theme: t)
            plot.background = .probability(try ScalarGrid.sample(width: size.width, height: size.height, extent: e,
                                                                 DemoData.moonsProbability))
            let t1 = DispatchTime.now().uptimeNanoseconds
            let c = try FieldChart.render(plot, width: 1000, height: 1000, theme: t)
            let t2 = DispatchTime.now().uptimeNanoseconds
            let png = try PNG.encode(c)
            let t3 = DispatchTime.now().uptimeNanoseconds
            print("sample \((t1 - start) / 1_000_000) ms, render \((t2 - t1) / 1_000_000) ms, encode \((t3 - t2) / 1_000_000) ms")
            bytes = png.count
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        print("boundary 1000×1000: \(times.map { Int($0) }) ms, \(bytes) bytes")
        #expect(bytes > 0)
    }
}
