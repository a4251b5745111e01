import NNM
import NNMFormat
import NNMPlot
import Testing
@testable import NNMRender

@Suite struct ComparisonPictureTests {
    let theme = Theme(text: FontFile.renderer().renderer)

    func run(lr: Float, epochs: Int = 6) throws -> NNMModel {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 200
        settings.learningRate = lr
        settings.epochs = epochs
        return try TrainingSession(settings).run().model
    }

    /// Pixels of tab10 colour `i` (exactly, as a line's core is drawn).
    func count(_ c: Canvas, colour i: Int) -> Int {
        let (r, g, b, _) = RGBA.cycle(i).bytes
        var n = 0
        for y in 0..<c.height { for x in 0..<c.width where c.pixel(x, y).bytes == (r, g, b, 255) { n += 1 } }
        return n
    }

    @Test(arguments: [2, 3]) func oneSeriesPerFileGiven(runs: Int) throws {
        let models = try (0..<runs).map { (path: "run\($0).nnm", model: try run(lr: [0.01, 0.05, 0.002][$0])) }
        let panels = try comparePanels(models, options: CompareOptions())
        #expect(panels.allSatisfy { $0.series.count == runs })
        #expect(panels[0].series.map(\.name) == ["lr=0.01", "lr=0.05", "lr=0.002"].prefix(runs).map { $0 })
        let canvas = try renderCompare(models, options: CompareOptions(), theme: theme)
        for i in 0..<runs { #expect(count(canvas, colour: i) > 50, "run \(i) drawn") }
        #expect(count(canvas, colour: runs) == 0, "no series beyond the files given")
    }

    @Test func rocAreaAgreesWithTheMetricsAndTheCurvesEndRight() throws {
        let model = try run(lr: 0.01)
        let e = try HeldOutEvaluation.of(model)
        let scores = (0..<e.labels.count).map { e.probabilities[2 * $0 + 1] }
        let curves = try ScoreCurves(scores: scores, labels: e.labels)
        #expect(abs(curves.auc - (try ClassificationMetrics.rocAUC(scores: scores, labels: e.labels))) < 1e-12)
        #expect(curves.falsePositiveRate.last == 1 && curves.truePositiveRate.last == 1)
        #expect(curves.recall.last == 1)
        // Points of one class (a --data file may hold one): not applicable, said so.
        #expect(throws: RenderError.curvesNeedBothClasses(positives: 2, negatives: 0)) {
            _ = try ScoreCurves(scores: [0.4, 0.9], labels: [1, 1])
        }
        #expect(RenderError.curvesNeedBothClasses(positives: 2, negatives: 0).meansNotApplicable)
        // Ties count half: two equal scores, one of each class.
        #expect(try ScoreCurves(scores: [0.5, 0.5], labels: [0, 1]).auc == 0.5)
        #expect(e.counts.flatMap { $0 }.reduce(0, +) == e.labels.count)
    }
}

@Suite struct ModelDiffTests {
    func file(_ w: [Float], epochs: Int = 3, lr: Double = 0.01) -> ModelFile {
        let history = TrainingHistory(series: [HistorySeries(name: "train_loss", values: (0..<epochs).map { 1 / Float($0 + 1) })])
        return ModelFile(layers: [LayerRecord(kind: .linear, inputs: 2, outputs: 1), LayerRecord(kind: .sigmoid, inputs: 1, outputs: 1)],
                         tensors: [Tensor(name: "layers.0.weight", shape: [1, 2], values: w), Tensor(name: "layers.0.bias", shape: [1], values: [0])],
                         metadata: ["train.lr": .double(lr)], history: history)
    }

    @Test func identicalOneWeightChangedResumedAndReshaped() throws {
        #expect(try ModelDiff(file([1, 2]), file([1, 2])).identical)
        let one = try ModelDiff(file([1, 2]), file([1, 2.5]))
        #expect(!one.identical && one.tensors[0].changed == 1 && one.tensors[0].maxAbsDelta == 0.5 && one.tensors[1].changed == 0)
        let resumed = try ModelDiff(file([1, 2]), file([1, 2], epochs: 5))
        #expect(resumed.history.hasPrefix("B continues A"))
        let other = try ModelDiff(file([1, 2], lr: 0.01), file([1, 2], lr: 0.05))
        #expect(other.metadata.map(\.key) == ["train.lr"])
        var wide = file([1, 2, 3, 4])
        wide.layers[0] = LayerRecord(kind: .linear, inputs: 2, outputs: 2)
        wide.tensors[0].shape = [2, 2]
        let reshaped = try ModelDiff(file([1, 2]), wide)
        #expect(reshaped.layersDiffer && reshaped.tensors[0].note != nil)
    }

    @Test func tableLabelsRunsByWhatDiffers() {
        let runs = [RunSummary(file([1, 2], lr: 0.01), path: "a.nnm"), RunSummary(file([1, 2], lr: 0.05), path: "b.nnm")]
        #expect(RunSummary.labels(runs) == ["lr=0.01", "lr=0.05"])
        #expect(RunSummary.labels([runs[0], runs[0]]) == ["a.nnm", "a.nnm"])
        let csv = RunTable.render(runs, style: .csv).split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("file,layers,activations"))

        // A data file is labelled by its name, not by its size, digest and path (a label of 120
        // characters ran off the picture); files told apart only by those keep the long form.
        func trained(on name: String, sha: String) -> RunSummary {
            var f = file([1, 2])
            f.dataset = DatasetRecipe(generator: "csv", parameters: [
                "file_name": .string(name), "file_path": .string("/data/" + name), "file_bytes": .double(4009),
                "file_sha256": .string(sha)], seed: 1, validationFraction: 0.1, testFraction: 0.2)
            return RunSummary(f, path: name + ".nnm")
        }
        #expect(RunSummary.labels([trained(on: "iris.csv", sha: "aa"), trained(on: "wine.csv", sha: "bb")])
            == ["dataset=csv(file_name=iris.csv)", "dataset=csv(file_name=wine.csv)"])
        let sameName = RunSummary.labels([trained(on: "iris.csv", sha: "aa"), trained(on: "iris.csv", sha: "bb")])
        #expect(sameName[0] != sameName[1] && sameName[0].contains("file_sha256=aa"))
    }
}

@Suite struct TitleCutTests {
    @Test func aCutAutomaticTitleKeepsTheAccuracy() throws {
        let theme = Theme(text: FontFile.renderer().renderer)
        var input = BoundaryInput(points: [ScatterPoint(x: 0, y: 0, label: 0), ScatterPoint(x: 1, y: 1, label: 1)], classCount: 2,
                                  evaluate: { $0.map { Float($0.x) } },
                                  title: "a data set with a very long name indeed (5000 samples, noise 0.05) · accuracy train 99.00 %, test 97.00 %")
        input.titleSuffix = "accuracy train 99.00 %, test 97.00 %"
        let plot = FieldPlot(extent: Extent(xMin: 0, xMax: 1, yMin: 0, yMax: 1),
                             background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])))
        for width in [320, 480, 720] {
            let title = fittingTitle(input, plot: plot, width: width, height: 300, theme: theme)
            #expect(title.hasSuffix("test 97.00 %"), "\(width): \(title)")
        }
    }
}
