import Foundation
import NNMFormat
import Testing
@testable import NNM

/// Regression end to end in the library: `--task auto`'s rule, the Rescale layer and its
/// fitting, the loss on standardized targets, a session that learns, and the file it writes.
@Suite struct RegressionTests {
    /// `y = sin x1 + 0.5·x2²` on a seeded grid-free sample, as CSV text with a header.
    static func sineCSV(rows: Int = 400) -> String {
        var random = SeededRandom(seed: 7, stream: .split)
        var text = "x1,x2,y\n"
        for _ in 0..<rows {
            let a = random.uniform() * 6 - 3, b = random.uniform() * 6 - 3
            text += "\(Float(a)),\(Float(b)),\(Float(sin(a) + 0.5 * b * b))\n"
        }
        return text
    }

    @Test func autoTaskFollowsTheLabels() throws {
        #expect(try Dataset.inferTask(labels: ["a", "b", "1.5"], path: "f", column: 2) == .classification)
        #expect(try Dataset.inferTask(labels: ["1", "2", "2.5"], path: "f", column: 2) == .regression)
        #expect(try Dataset.inferTask(labels: (0..<100).map { String($0 % 3) }, path: "f", column: 2) == .classification)
        // 100 distinct integers in 100 rows: either could be meant, so the user must say.
        #expect {
            try Dataset.inferTask(labels: (0..<100).map(String.init), path: "f.csv", column: 2)
        } throws: { "\($0)".contains("--task") }
        // 30 distinct integers in 3000 rows: classes.
        #expect(try Dataset.inferTask(labels: (0..<3000).map { String($0 % 30) }, path: "f", column: 2) == .classification)
    }

    @Test func aRegressionCSVHasTargetsNotClasses() throws {
        let data = try Dataset.parseCSV(Array(Self.sineCSV(rows: 10).utf8), path: "s.csv",
                                        format: CSVFormat(task: .regression))
        #expect(data.targets?.count == 10)
        #expect(data.classCount == 1)
        #expect(data.labelName == "y")
        #expect(throws: DataError.self) {
            try Dataset.parseCSV(Array("a,y\n1,2\n3,x\n".utf8), path: "s.csv", format: CSVFormat(task: .regression))
        }
    }

    @Test func rescaleFitsMeanAndStandardDeviationAndMapsBack() throws {
        var layer = try Rescale(outputCount: 1)
        layer.fit(targets: [1, 2, 3, 4])
        #expect(layer.shift == [2.5])
        #expect(layer.scale == [Float((1.25).squareRoot())])
        let y = layer(try Matrix([[0], [1], [-2]]))
        #expect(y.storage == [2.5, 2.5 + Float((1.25).squareRoot()), 2.5 - 2 * Float((1.25).squareRoot())])
    }

    @Test func theLossComparesWithStandardizedTargets() throws {
        let plan = LossPlan(loss: .meanSquaredError, fusesLastLayer: true,
                            targetScaling: TargetScaling(scale: [2], shift: [10]))
        var gradient = Matrix.empty
        // Targets 12 and 6 standardize to 1 and −2; values 1.5 and −2 → errors 0.5 and 0.
        let sum = plan.evaluate(try Matrix([[1.5], [-2]]), targets: [12, 6], gradient: &gradient, computesGradient: true)
        #expect(sum == 0.25)
        #expect(gradient.storage == [0.5, 0])
    }

    @Test func aSessionLearnsAndWritesA11File() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("sine.csv", Self.sineCSV())
        var settings = TrainingSettings()
        settings.dataset = .csv(path: path)
        settings.epochs = 30
        let session = try TrainingSession(settings)
        #expect(Architecture.spec(of: session.initialNetwork) == "standardize,linear:16,relu,linear:16,relu,linear:1,rescale")
        let outcome = try session.run()
        let test = try #require(outcome.report.test?.regression)
        #expect(test.r2 > 0.9, "test R² \(test.r2)")
        #expect(outcome.model.isRegression)
        #expect(outcome.model.history?.series.map(\.name) == ["train_loss", "train_r2", "val_loss", "val_r2", "val_rmse", "val_mae"])
        let bytes = try outcome.model.modelFile().encoded()
        #expect(bytes[10] == 1 && bytes[11] == 0, "header minor 1")
        // The saved model predicts in the target's units: its test MSE is the report's.
        let file = try directory.write("sine.nnm", bytes)
        let loaded = try NNMModel(contentsOf: URL(fileURLWithPath: file))
        let split = try #require(try loaded.recipe).makeSplit()
        let predictions = try loaded.predict(split.test.features).storage
        let again = try #require(RegressionMetrics(predictions: predictions, targets: split.test.targets ?? []))
        #expect(again == test)
    }

    /// A new regression run with validation data stops early by default; `patience` 0 turns
    /// that off (it was refused, so the default could not be undone), and a negative one is refused.
    @Test func patienceZeroTurnsTheRegressionDefaultOff() throws {
        let directory = try DataTestDirectory()
        var settings = TrainingSettings()
        settings.dataset = .csv(path: try directory.write("sine.csv", Self.sineCSV()))
        #expect(try TrainingSession(settings).configuration.patience == TrainingSettings.defaultRegressionPatience)
        settings.patience = 0
        #expect(try TrainingSession(settings).configuration.patience == nil)
        settings.patience = 5
        #expect(try TrainingSession(settings).configuration.patience == 5)
        settings.patience = -1
        #expect(throws: (any Error).self) { try TrainingSession(settings) }
    }

    /// 1.1 only for what 1.1 added (spec §13): a classifier without its training state is 1.0,
    /// with it (the default) 1.1; a regression model is 1.1 either way (its Rescale layer).
    @Test(arguments: [(false, false, 0), (false, true, 1), (true, false, 1), (true, true, 1)] as [(Bool, Bool, UInt8)])
    func theMinorVersionSaysWhat11AddedIsUsed(regression: Bool, savesState: Bool, minor: UInt8) throws {
        let directory = try DataTestDirectory()
        var settings = TrainingSettings()
        if regression {
            settings.dataset = .csv(path: try directory.write("sine.csv", Self.sineCSV(rows: 60)))
        } else {
            settings.dataset = .moons
            settings.dataOptions.samples = 60
        }
        settings.epochs = 1
        settings.savesTrainingState = savesState
        let model = try TrainingSession(settings).run().model
        let bytes = try model.modelFile().encoded()
        #expect(model.isRegression == regression)
        #expect(bytes[10] == minor && bytes[11] == 0)
        #expect((try ModelFile(bytes: bytes).trainingState != nil) == savesState)
    }

    @Test func regressionOnClassesIsRefused() throws {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.task = .regression
        #expect(throws: DataError.self) { try TrainingSession(settings) }
    }
}
