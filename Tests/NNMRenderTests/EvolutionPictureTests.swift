import Foundation
import NNM
import NNMFormat
import NNMPlot
import Testing
@testable import NNMRender

/// `nnm-render evolution`: each panel's colours are its own snapshot's predictions, computed
/// here by an independent forward pass (plain Double arithmetic over the snapshot's values, not
/// NNM's layers); a model without snapshots is refused with how to get them.
@Suite struct EvolutionPictureTests {
    static func trained() throws -> NNMModel {
        var settings = TrainingSettings()
        settings.dataOptions.samples = 300
        settings.epochs = 30
        settings.snapshots = 4
        return try TrainingSession(settings).run().model
    }

    /// P(class 1) of the 2-16-16-1 ReLU/sigmoid network whose tensors, in table order, are `v`.
    static func forward(_ v: [Float], _ x: Double, _ y: Double) -> Double {
        var at = 0
        func layer(_ input: [Double], outputs: Int, relu: Bool) -> [Double] {
            let inputs = input.count
            let weights = v[at ..< at + outputs * inputs].map(Double.init)
            let bias = v[at + outputs * inputs ..< at + outputs * inputs + outputs].map(Double.init)
            at += outputs * inputs + outputs
            return (0..<outputs).map { o in
                let sum = (0..<inputs).reduce(bias[o]) { $0 + weights[o * inputs + $1] * input[$1] }
                return relu ? max(0, sum) : sum
            }
        }
        let z = layer(layer(layer([x, y], outputs: 16, relu: true), outputs: 16, relu: true), outputs: 1, relu: false)[0]
        return 1 / (1 + exp(-z))
    }

    @Test func eachPanelsColoursFollowItsSnapshotsPredictions() throws {
        let model = try Self.trained()
        let snapshots = try #require(model.weightSnapshots)
        #expect(snapshots.epochs == [1, 3, 10, 30])
        let theme = Fixture.theme()
        let options = EvolutionOptions(width: 800)
        let (canvas, _) = try EvolutionPicture.render(model, options: options, theme: theme)
        let base = try BoundaryFromModel.input(for: model).input
        let shared = try EvolutionPicture.sharedPlot(model, base: base, options: options, count: 4)
        let boxes = FieldSmallMultiplesChart.panelBoxes(shared, count: 4, width: 800, theme: theme)
        let map = Colormap.probability.washed(shared.fieldOpacity)
        let e = shared.extent
        var centres: [RGBA] = []
        var checked = 0
        for (snapshot, box) in zip(snapshots.snapshots, boxes) {
            let w = Int(box.width), h = Int(box.height)
            // Corners and centre of the circles' plot hold no points: the field shows there.
            let pixels: [(Int, Int)] = [(3, 3), (6, 4), (w - 5, 3), (3, h - 5), (w - 5, h - 5), (w / 2, h / 2), (w / 2 + 3, h / 2 - 2)]
            for (j, i) in pixels {
                let x: Double = e.xMin + (Double(j) + 0.5) * (e.xMax - e.xMin) / Double(w)
                let y: Double = e.yMax - (Double(i) + 0.5) * (e.yMax - e.yMin) / Double(h)
                let p: Double = Self.forward(snapshot.values, x, y)
                // The 0.5 contour is drawn over the field: a pixel it may cross shows the line.
                guard abs(p - 0.5) > 0.05 else { continue }
                checked += 1
                let want: RGBA = map.color(at: Float(p))
                let got: RGBA = canvas.pixel(Int(box.minX) + j, Int(box.minY) + i)
                let off: Float = max(abs(want.r - got.r), abs(want.g - got.g), abs(want.b - got.b))
                #expect(off < 0.03, "epoch \(snapshot.epoch) at (\(x), \(y)): \(got) for \(want)")
            }
            centres.append(canvas.pixel(Int(box.minX) + w / 2, Int(box.minY) + h / 2))
        }
        #expect(checked >= 20, "only \(checked) pixels away from the contour")
        // The panels differ: epoch 1's centre is pale, the trained network's saturated red.
        #expect(abs(centres[0].b - centres[3].b) > 0.2, "\(centres)")
    }

    @Test func theDistributionPanelsAreOneRowPerLinearLayer() throws {
        let model = try Self.trained()
        let canvas = try WeightsOverTimePicture.render(model, width: 700, theme: Fixture.theme())
        #expect(canvas.width == 700 && canvas.height > 400)
        let numpy: [Float] = [1, 1.28, 1.64, 2.24, 3, 3.76, 4.36, 4.72, 5]   // np.percentile(…, [0, 7, 16, 31, 50, 69, 84, 93, 100])
        #expect(zip(DistributionChart.quantiles(of: [4, 1, 3, 2, 5]), numpy).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func aModelWithoutSnapshotsIsRefusedWithHowToGetThem() throws {
        var settings = TrainingSettings()
        settings.dataOptions.samples = 100
        settings.epochs = 2
        let model = try TrainingSession(settings).run().model
        #expect(throws: RenderError.noSnapshots) { _ = try EvolutionPicture.render(model, theme: Fixture.theme()) }
        #expect(throws: RenderError.noSnapshots) { _ = try WeightsOverTimePicture.render(model, theme: Fixture.theme()) }
        #expect(RenderError.noSnapshots.description.contains("--snapshots N"))
        // A wider model without snapshots: the missing snapshots are the reason given, not the
        // input count (it said "a decision boundary needs at least 2 inputs; this one has 4").
        let wide = NNMModel(network: try Architecture.network(spec: "linear:3,relu,linear:1,sigmoid", inputCount: 4))
        #expect(throws: RenderError.noSnapshots) { _ = try EvolutionPicture.render(wide, theme: Fixture.theme()) }
        #expect(RenderError.evolutionNeedsTwoInputs(inputs: 4).description.contains("exactly 2 inputs"))
        let outcomes = renderAll(model, theme: Fixture.theme())
        let skipped: [PictureKind] = outcomes.compactMap { o -> PictureKind? in
            if case let .skipped(kind, _) = o { return kind }
            return nil
        }
        #expect(skipped.contains(PictureKind.evolution) && skipped.contains(PictureKind.weightsOverTime))
    }
}
