import Foundation
import Testing
import NNMPlot
@testable import NNMRender

/// The value field of a two-input regression model: its colours follow the model's prediction.
@Suite struct ValueFieldTests {
    /// A non-monotone "model", so the colour order cannot come from position alone.
    static func f(_ x: Double, _ y: Double) -> Float { Float(sin(3 * x) + y) }

    /// Where on the washed viridis map (0...256) a field pixel's colour lies.
    static func mapPosition(_ c: RGBA) -> Int {
        let map = Colormap.viridis.washed(0.75)
        func distance(_ i: Int) -> Float {
            let m = map.color(at: Float(i) / 256)
            return (m.r - c.r) * (m.r - c.r) + (m.g - c.g) * (m.g - c.g) + (m.b - c.b) * (m.b - c.b)
        }
        return (0...256).min { distance($0) < distance($1) } ?? 0
    }

    @Test func colourFollowsThePredictionOrdering() throws {
        let extent = Extent(xMin: -1, xMax: 1, yMin: -1, yMax: 1)
        var input = BoundaryInput(points: [], classCount: 1, evaluate: { $0.map { Self.f($0.x, $0.y) } }, title: "value field")
        input.valueLabel = "predicted y"
        let t = Fixture.theme()
        let canvas = try renderBoundary(input, options: BoundaryOptions(width: 600, height: 500, extent: extent), theme: t)
        let probe = FieldPlot(extent: extent, background: .scalar(try ScalarGrid(width: 2, height: 2, values: [-2, -1, 1, 2]),
                                                                 .viridis, ColorRange(lo: -2, hi: 2)),
                              labels: AxesLabels(title: "value field", x: "x₁", y: "x₂"), colorbarLabel: "predicted y")
        let box = FieldChart.plotBox(probe, width: 600, height: 500, theme: t)
        let samples: [(Double, Double)] = [(-0.8, -0.7), (0.5, -0.6), (-0.5, 0.1), (0.1, 0.2), (0.6, 0.5), (-0.2, 0.8), (0.7, 0.9)]
        let measured = samples.map { s -> (prediction: Float, position: Int) in
            let px = Int(box.minX + Float((s.0 + 1) / 2) * box.width), py = Int(box.maxY - Float((s.1 + 1) / 2) * box.height)
            return (Self.f(s.0, s.1), Self.mapPosition(canvas.pixel(px, py)))
        }
        let ordered = measured.sorted { $0.prediction < $1.prediction }
        for (low, high) in zip(ordered, ordered.dropFirst()) {
            #expect(low.position < high.position, "prediction \(low.prediction) at map \(low.position), \(high.prediction) at \(high.position)")
        }
        // The ends of the map are used: the colour range is the field's own.
        #expect(ordered.first!.position < 80 && ordered.last!.position > 176, "\(ordered)")
    }

    @Test func colourRangeSpansFieldAndTargets() {
        #expect(valueRange([1, 3, .nan, -1]) == ColorRange(lo: -1, hi: 3))
        #expect(valueRange([2, 2]) == ColorRange(lo: 1.5, hi: 2.5))
    }
}
