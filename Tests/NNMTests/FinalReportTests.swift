import NNMFormat
import Testing
@testable import NNM

/// The report at the end of a run evaluates each part once: the validation figures come from
/// the last epoch's validation pass when those weights are kept, and the test part's confusion
/// matrix and ROC AUC from its one evaluation pass. The same figures, bit for bit, as
/// evaluating everything from scratch.
@Suite struct FinalReportTests {
    /// Loss bits, accuracy bits (NaN for a regression) and regression metrics.
    static func bits(_ evaluation: Evaluation?) -> [UInt64] {
        guard let evaluation else { return [] }
        let metrics = evaluation.regression.map { [$0.meanSquaredError, $0.meanAbsoluteError, $0.r2] } ?? []
        return ([evaluation.loss, evaluation.accuracy] + metrics).map(\.bitPattern) + [UInt64(evaluation.sampleCount)]
    }

    static func expectSameFigures(_ report: SplitReport, _ fresh: SplitReport) {
        #expect(bits(report.train) == bits(fresh.train))
        #expect(bits(report.validation) == bits(fresh.validation))
        #expect(bits(report.test) == bits(fresh.test))
        #expect(report.testConfusion == fresh.testConfusion)
        #expect(report.testROCAUC?.bitPattern == fresh.testROCAUC?.bitPattern)
    }

    @Test(arguments: [DatasetChoice.moons, .blobs])
    func aRunsReportHasTheFiguresOfAFreshOne(dataset: DatasetChoice) throws {
        var settings = TrainingSettings()
        settings.dataset = dataset
        settings.dataOptions.samples = 300
        settings.epochs = 4
        let session = try TrainingSession(settings)
        let outcome = try session.run()
        let network = outcome.model.network
        let validation = try #require(outcome.result.finalValidation)
        #expect(Self.bits(validation) == Self.bits(outcome.report.validation))
        // The last epoch's validation figures are the history's last entry too.
        #expect(outcome.model.history?.series.first { $0.name == "val_loss" }?.values.last == Float(validation.loss))
        Self.expectSameFigures(outcome.report, try SplitReport(model: network, split: session.split, plan: outcome.result.lossPlan))

        // The confusion matrix and ROC AUC against the network's own predictions of the test part.
        let test = try session.split.test.materialized()
        let outputs = try network.predict(test.features)
        let expected = try ConfusionMatrix(predictions: Sequential.classes(of: outputs), labels: test.labels,
                                           classCount: test.classCount, classNames: test.classNames)
        #expect(outcome.report.testConfusion == expected)
        if test.classCount == 2 {
            let width = outputs.columns
            let scores = (0..<outputs.rows).map { outputs.storage[$0 * width + (width == 1 ? 0 : 1)] }
            let auc = try ClassificationMetrics.rocAUC(scores: scores, labels: test.labels)
            #expect(outcome.report.testROCAUC?.bitPattern == auc.bitPattern)
        } else {
            #expect(outcome.report.testROCAUC == nil)
        }
    }

    /// A regression run with early stopping: when the kept weights are the last epoch's the
    /// report reuses that epoch's validation figures; when they are an earlier epoch's it
    /// evaluates them. Either way the figures are a fresh report's. (With these seeds: 0.003
    /// keeps epoch 12 of 12, 0.02 epoch 8 of 11, 2 epoch 2 of 5.)
    @Test(arguments: [Float(0.003), 0.02, 2])
    func earlyStoppingReportsTheKeptWeights(learningRate: Float) throws {
        let directory = try DataTestDirectory()
        var settings = TrainingSettings()
        settings.dataset = .csv(path: try directory.write("sine.csv", RegressionTests.sineCSV(rows: 200)))
        settings.epochs = 12
        settings.patience = 3
        settings.learningRate = learningRate
        let session = try TrainingSession(settings)
        let outcome = try session.run()
        let history = try #require(outcome.model.history)
        let best = try #require(outcome.result.bestEpoch)
        if best == history.epochCount {
            #expect(Self.bits(outcome.result.finalValidation) == Self.bits(outcome.report.validation))
        } else {
            #expect(outcome.result.finalValidation == nil)
        }
        Self.expectSameFigures(
            outcome.report, try SplitReport(model: outcome.model.network, split: session.split, plan: outcome.result.lossPlan))
        _ = directory
    }

    /// A resumed run that finishes a partly trained epoch with early stopping: when the finished
    /// epoch does not beat the loaded (part-epoch) weights, those are returned under the same
    /// epoch number, and the report must describe them, not the finished epoch's weights.
    @Test func aResumedPartEpochReportsTheWeightsReturned() throws {
        var plan = TrainingSettings()
        plan.dataset = .moons
        plan.dataOptions.samples = 200
        plan.dataOptions.noise = 0.4
        plan.epochs = 4
        plan.patience = 50
        plan.learningRate = 0.2
        var loadedKept = 0
        // 5 batches an epoch, 4 questions inside it and one after: questions 16–19 stop inside
        // epoch 4, after batches 1–4.
        for stop in 16...19 {
            let stopped = try TrainingSession(plan).run(shouldStop: InterruptionTests.Countdown(after: stop).ask)
            #expect(stopped.result.interruption?.epoch == 4)
            var resume = TrainingSettings()
            resume.resume = try NNMModel(bytes: try stopped.model.modelFile().encoded())
            let session = try TrainingSession(resume)
            let continued = try session.run()
            if continued.result.finalValidation == nil { loadedKept += 1 }
            Self.expectSameFigures(continued.report, try SplitReport(
                model: continued.model.network, split: session.split, plan: continued.result.lossPlan))
        }
        #expect(loadedKept > 0, "no case kept the loaded weights: the test does not reach its point")
    }

    /// A test part narrower or wider than the network is an error, as predicting it always was.
    @Test func aTestPartOfAnotherWidthIsAnError() throws {
        let network = try Architecture.classifier(inputCount: 2, hidden: [3], classCount: 2, standardizes: false)
        let plan = try Loss.defaultLoss(for: network).plan(for: network, classCount: 2)
        let two = Dataset(features: Matrix(rows: 4, columns: 2, storage: [Float](repeating: 0.5, count: 8)),
                          labels: [0, 1, 0, 1], classCount: 2)
        let three = Dataset(features: Matrix(rows: 4, columns: 3, storage: [Float](repeating: 0.5, count: 12)),
                            labels: [0, 1, 0, 1], classCount: 2)
        #expect(throws: ModelError.inputWidthMismatch(expected: 2, found: 3)) {
            try SplitReport(model: network, split: DatasetSplit(train: two, validation: two, test: three), plan: plan)
        }
        #expect(try SplitReport(model: network, split: DatasetSplit(train: two, validation: two, test: two), plan: plan)
            .testConfusion != nil)
    }

    /// Without validation data there is nothing to reuse.
    @Test func noValidationPartNoFinalValidation() throws {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 100
        settings.epochs = 2
        settings.validationFraction = 0
        let outcome = try TrainingSession(settings).run()
        #expect(outcome.result.finalValidation == nil && outcome.report.validation == nil)
    }
}
