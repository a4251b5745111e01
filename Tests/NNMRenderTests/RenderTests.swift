import Foundation
import NNM
import Testing
import NNMFormat
import NNMPlot
@testable import NNMRender

enum Fixture {
    static func theme() -> Theme { Theme(text: FontFile.renderer().renderer) }

    static func weights(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(s >> 11) / Double(1 << 53) - 0.5) * 0.3
        }
    }

    /// A 784 → 100 → 10 classifier with a 30-epoch history.
    static func mnistLike(history: Bool = true) -> ModelFile {
        let layers = [LayerRecord(kind: .linear, inputs: 784, outputs: 100), LayerRecord(kind: .relu, inputs: 100, outputs: 100),
                      LayerRecord(kind: .linear, inputs: 100, outputs: 10), LayerRecord(kind: .softmax, inputs: 10, outputs: 10)]
        let tensors = [
            Tensor(name: "layers.0.weight", shape: [100, 784], values: weights(78_400, seed: 1)),
            Tensor(name: "layers.0.bias", shape: [100], values: weights(100, seed: 2)),
            Tensor(name: "layers.2.weight", shape: [10, 100], values: weights(1000, seed: 3)),
            Tensor(name: "layers.2.bias", shape: [10], values: weights(10, seed: 4)),
        ]
        let n = 30
        let h = TrainingHistory(series: [
            HistorySeries(name: "train_loss", values: (0..<n).map { Float(2.3 * exp(-Double($0) / 6) + 0.05) }),
            HistorySeries(name: "val_loss", values: (0..<n).map { $0 % 7 == 3 ? .nan : Float(2.3 * exp(-Double($0) / 7) + 0.1) }),
            HistorySeries(name: "train_accuracy", values: (0..<n).map { Float(1 - 0.9 * exp(-Double($0) / 5)) }),
            HistorySeries(name: "val_accuracy", values: (0..<n).map { Float(0.97 - 0.87 * exp(-Double($0) / 6)) }),
        ])
        return ModelFile(layers: layers, tensors: tensors, history: history ? h : nil)
    }

    static func write(_ c: Canvas, _ name: String) throws -> PNG.Decoded {
        let dir = NSTemporaryDirectory() + "nnmrender-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try PictureFile.write(c, to: dir + "/\(name).png")
        if let demo = ProcessInfo.processInfo.environment["NNMPLOT_DEMO_DIR"] { try PictureFile.write(c, to: demo + "/render-\(name).png") }
        return try PNGFile.read(dir + "/\(name).png")
    }
}

@Suite struct RenderTests {
    @Test func lossPictureHasTheAskedSize() throws {
        let c = try renderLoss(Fixture.mnistLike(), options: LossOptions(width: 1000, height: 400, smoothing: 0.6), theme: Fixture.theme())
        let d = try Fixture.write(c, "loss")
        #expect(d.width == 1000 && d.height == 400)
        let log = try renderLoss(Fixture.mnistLike(), options: LossOptions(logY: true), theme: Fixture.theme())
        _ = try Fixture.write(log, "loss-log")
    }

    @Test func noHistoryIsAClearError() {
        #expect(throws: RenderError.noHistory) { try renderLoss(Fixture.mnistLike(history: false), theme: Fixture.theme()) }
        var f = Fixture.mnistLike()
        f.history = TrainingHistory(series: [HistorySeries(name: "learning_rate", values: [0.1, 0.1])])
        #expect(throws: RenderError.noLossSeries(available: ["learning_rate"])) { try renderLoss(f, theme: Fixture.theme()) }
        #expect(RenderError.noHistory.description.contains("no training history"))
    }

    @Test func weightsOfEveryLinearLayer() throws {
        let c = try renderWeights(Fixture.mnistLike(), options: WeightOptions(width: 1000), theme: Fixture.theme())
        let d = try Fixture.write(c, "weights")
        #expect(d.width >= 784 && d.height > 150)
    }

    @Test func weightsAsImages() throws {
        let c = try renderWeights(Fixture.mnistLike(), options: WeightOptions(asImages: (28, 28)), theme: Fixture.theme())
        _ = try Fixture.write(c, "weights-images")
        #expect(throws: RenderError.self) {
            try renderWeights(Fixture.mnistLike(), options: WeightOptions(asImages: (5, 5)), theme: Fixture.theme())
        }
    }

    @Test func modelWithoutLinearOrWithBadTensors() throws {
        let noLinear = ModelFile(layers: [LayerRecord(kind: .standardize, inputs: 2, outputs: 2)],
                                 tensors: [Tensor(name: "layers.0.mean", shape: [2], values: [0, 0]),
                                           Tensor(name: "layers.0.scale", shape: [2], values: [1, 1])])
        #expect(throws: RenderError.noLinearLayer) { try renderWeights(noLinear, theme: Fixture.theme()) }
        // Tensors that disagree with their layer never reach a picture: the model does not load.
        let missing = ModelFile(layers: [LayerRecord(kind: .linear, inputs: 2, outputs: 3)], tensors: [])
        let unloaded = try #require(throws: ModelLoadError.self) { try renderWeights(missing, theme: Fixture.theme()) }
        #expect(unloaded.description.contains("layers.0.weight"))
        let wrong = ModelFile(layers: [LayerRecord(kind: .linear, inputs: 2, outputs: 3)],
                              tensors: [Tensor(name: "layers.0.weight", shape: [2, 3], values: [Float](repeating: 0, count: 6))])
        let misshapen = try #require(throws: ModelLoadError.self) { try renderWeights(wrong, theme: Fixture.theme()) }
        #expect(misshapen.description.contains("layers.0.weight"))
    }

    /// A "model" whose answer is known: class 1 exactly where x > 0.
    @Test func boundaryHasClassColoursInTheRightRegions() throws {
        var pts: [ScatterPoint] = []
        for i in 0..<40 {
            let x = Double(i % 8) - 3.5, y = Double(i / 8) - 2
            pts.append(ScatterPoint(x: x, y: y, label: x > 0 ? 1 : 0, isTest: i % 3 == 0))
        }
        let input = BoundaryInput(points: pts, classCount: 2, evaluate: { xy in xy.map { $0.x > 0 ? 0.98 : 0.02 } },
                                  cornerText: ["test accuracy 1.00"], title: "half planes")
        let t = Fixture.theme()
        let c = try renderBoundary(input, options: BoundaryOptions(width: 600, height: 500), theme: t)
        let d = try Fixture.write(c, "boundary")
        #expect(d.width == 600 && d.height == 500)
        // Sample between points, left and right of x = 0, at y = 2.4 (above the top row of points).
        let e = Extent.around(xs: pts.map(\.x), ys: pts.map(\.y), relative: 0.1)
        var probe = FieldPlot(extent: e, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])),
                              points: pts, labels: AxesLabels(title: "half planes", x: "x₁", y: "x₂"), cornerText: ["x"])
        probe.classNames = nil
        let box = FieldChart.plotBox(probe, width: 600, height: 500, theme: t)
        let y = Int(box.minY + 3)
        let left = c.pixel(Int(box.minX + box.width * 0.3), y), right = c.pixel(Int(box.minX + box.width * 0.7), y)
        #expect(left.b > left.r + 0.15, "\(left)")
        #expect(right.r > right.b + 0.15, "\(right)")
    }

    @Test func boundaryWithThreeClassesAndBadOutput() throws {
        var pts: [ScatterPoint] = []
        for i in 0..<30 { pts.append(ScatterPoint(x: cos(Double(i)) * 2, y: sin(Double(i)) * 2, label: i % 3)) }
        let good = BoundaryInput(points: pts, classCount: 3, evaluate: { xy in
            xy.flatMap { p -> [Float] in
                let a = atan2(p.y, p.x) + .pi
                let k = min(2, Int(a / (2 * .pi / 3)))
                return (0..<3).map { $0 == k ? 0.9 : 0.05 }
            }
        }, title: "three sectors")
        let fitted = try renderBoundary(good, theme: Fixture.theme())
        #expect(fitted.width == 720 && fitted.height > 500 && fitted.height < 900)
        _ = try Fixture.write(fitted, "boundary-3")
        let bad = BoundaryInput(points: pts, classCount: 2, evaluate: { _ in [0.5] }, title: "bad")
        #expect(throws: RenderError.self) { try renderBoundary(bad, theme: Fixture.theme()) }
    }
}

@Suite struct FittedBoundaryTests {
    @Test func wideDataGetsAShorterPicture() throws {
        var pts: [ScatterPoint] = []
        for i in 0..<20 { pts.append(ScatterPoint(x: Double(i) / 5 - 2, y: sin(Double(i)) * 0.5, label: i % 2)) }
        let input = BoundaryInput(points: pts, classCount: 2, evaluate: { xy in xy.map { Float(1 / (1 + exp(-4 * $0.y))) } },
                                  cornerText: ["accuracy 0.50"], title: "wide data")
        let c = try renderBoundary(input, theme: Fixture.theme())
        #expect(c.width == 720 && c.height < 500, "a 4.6 × 1.2 extent should not get a square canvas: \(c.height)")
        _ = try Fixture.write(c, "boundary-wide")
    }
}

@Suite struct AspectTests {
    static func input(_ pts: [ScatterPoint], names: [String]? = nil) -> BoundaryInput {
        BoundaryInput(points: pts, classCount: 2, evaluate: { xy in xy.map { Float(1 / (1 + exp(-$0.x))) } },
                      title: "aspect", classNames: names)
    }

    /// x in ±3, y in 100...400: equal aspect would make a sliver a few pixels wide.
    @Test func differentlyScaledFeaturesFillThePlot() throws {
        var pts: [ScatterPoint] = []
        for i in 0..<100 { pts.append(ScatterPoint(x: Double(i % 10) * 0.6 - 3, y: 100 + Double(i) * 3, label: i % 2)) }
        let theme = Fixture.theme()
        let plot = FieldPlot(extent: boundaryExtent(pts, margin: 0.1), background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])), points: pts)
        #expect(!plot.usesEqualAspect)
        let box = FieldChart.plotBox(plot, width: 720, height: 720, theme: theme)
        #expect(box.width > 450 && box.height > 450, "\(box)")
        let c = try renderBoundary(Self.input(pts), options: BoundaryOptions(width: 720, height: 720), theme: theme)
        #expect(c.width == 720 && c.height == 720)
        let d = try renderBoundary(Self.input(pts), theme: theme)
        #expect(d.height <= 720)
        _ = try Fixture.write(c, "boundary-scaled")
    }

    /// Comparable ranges keep equal aspect.
    @Test func comparableRangesKeepEqualAspect() throws {
        let e = Extent(xMin: -2, xMax: 2, yMin: -1, yMax: 1)
        let plot = FieldPlot(extent: e, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])))
        #expect(plot.usesEqualAspect)
        let box = FieldChart.plotBox(plot, width: 720, height: 720, theme: Fixture.theme())
        #expect(abs(box.width / box.height - 2) < 0.05)
    }

    /// Three nearly collinear points: a picture, not a strip.
    @Test func fewPointsGetAMinimumExtent() throws {
        let pts = [ScatterPoint(x: -0.8, y: 0.03, label: 1), ScatterPoint(x: 0.84, y: -0.02, label: 1), ScatterPoint(x: 1.05, y: 0.05, label: 0)]
        let e = boundaryExtent(pts, margin: 0.1)
        #expect((e.xMax - e.xMin) / (e.yMax - e.yMin) <= FieldPlot.maxEqualAspectRatio + 1e-9)
        #expect(e.yMin < -0.02 && e.yMax > 0.05)
        let c = try renderBoundary(Self.input(pts), theme: Fixture.theme())
        #expect(c.height >= 280)
    }

    @Test func namedClassesLabelTheColourBar() {
        #expect(probabilityLabel(Self.input([], names: ["hi", "lo"])) == "P(lo)")
        #expect(probabilityLabel(Self.input([], names: ["0", "1"])) == nil)
        #expect(probabilityLabel(Self.input([])) == nil)
    }
}

@Suite struct MinimumSizeTests {
    @Test func sizesTooSmallToReadAreRefusedNamingTheMinimum() throws {
        let theme = Fixture.theme()
        #expect(throws: RenderError.sizeTooSmall(picture: "loss", width: 300, height: 120, minimumWidth: 520, minimumHeight: 260)) {
            try renderLoss(Fixture.mnistLike(), options: LossOptions(width: 300, height: 120), theme: theme)
        }
        let input = AspectTests.input([ScatterPoint(x: 0, y: 0, label: 0), ScatterPoint(x: 1, y: 1, label: 1)])
        #expect(throws: RenderError.sizeTooSmall(picture: "boundary", width: 200, height: 150, minimumWidth: 320, minimumHeight: 240)) {
            try renderBoundary(input, options: BoundaryOptions(width: 200, height: 150), theme: theme)
        }
        let c = try renderLoss(Fixture.mnistLike(), options: LossOptions(width: 520, height: 260), theme: theme)
        #expect(c.width == 520 && c.height == 260)
        #expect(try renderBoundary(input, options: BoundaryOptions(width: 320, height: 240), theme: theme).height == 240)
    }

    /// Weights pictures take their height from the layers, so only the width can be too small:
    /// below 720 the layers' statistics lines are cut.
    @Test func weightsNarrowerThanTheirStatisticsAreRefused() throws {
        let theme = Fixture.theme()
        #expect(throws: RenderError.sizeTooSmall(picture: "weights", width: 300, height: 0, minimumWidth: 720, minimumHeight: 64)) {
            _ = try renderWeights(Fixture.mnistLike(), options: WeightOptions(width: 300), theme: theme)
        }
        #expect(try renderWeights(Fixture.mnistLike(), options: WeightOptions(width: 720), theme: theme).width >= 720)
    }
}

@Suite struct SingleSeriesLossTests {
    /// Only `train_loss` recorded (the reference picture's case): one panel, no accuracy panel.
    @Test func trainLossOnly() throws {
        let n = 9000
        let loss = (0..<n).map { e -> Float in
            let t = Double(e) / Double(n)
            return Float(0.05 + 0.63 / (1 + exp(12 * (t - 0.42))) + (e < 20 ? 0.03 * Double(20 - e) / 20 : 0))
        }
        let network = try Architecture.network(spec: "linear:1,sigmoid", inputCount: 2)
        let file = network.modelFile(history: TrainingHistory(series: [HistorySeries(name: "train_loss", values: loss)]))
        let c = try renderLoss(file, theme: Fixture.theme())
        #expect(c.width == 800 && c.height == 450)
        _ = try Fixture.write(c, "loss-9000")
    }
}
