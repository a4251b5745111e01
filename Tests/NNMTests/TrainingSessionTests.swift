import NNMFormat
import Testing
@testable import NNM

/// `TrainingSession` decides what `nnm-train` decided: defaults, resume rules, and every
/// refusal before the first epoch.
@Suite struct TrainingSessionTests {
    static func moons(epochs: Int = 3) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 120
        settings.epochs = epochs
        return settings
    }

    @Test func defaultsAreNNMTrainDefaults() throws {
        var settings = TrainingSettings()
        settings.dataOptions.samples = 100
        let session = try TrainingSession(settings)
        #expect(session.recipe.source == .circles(samples: 100, noise: 0.05, factor: 0.8))
        #expect(session.recipe.seed == 42)
        #expect(session.configuration.schedule == .cosine)
        #expect(session.configuration.epochs == TrainingConfiguration.defaultEpochs)
        #expect(Architecture.spec(of: session.initialNetwork) == "linear:16,relu,linear:16,relu,linear:1,sigmoid")
    }

    @Test func aRunRecordsEverythingItsFileNeeds() throws {
        let outcome = try TrainingSession(Self.moons()).run()
        let metadata = outcome.model.metadata
        #expect(metadata[MetadataKey.producer] == .string(TrainingSettings.defaultProducer))
        #expect(metadata[MetadataKey.epochsRun] == .int(3))
        #expect(metadata[MetadataKey.schedule] == .string("cosine"))
        #expect(metadata[MetadataKey.testAccuracy] != nil)
        #expect(outcome.model.history?.epochCount == 3)
        #expect(try outcome.model.recipe?.source.kind == .moons)
        // The same settings train the same bytes.
        let again = try TrainingSession(Self.moons()).run()
        #expect(try again.model.modelFile().encoded() == (try outcome.model.modelFile().encoded()))
    }

    @Test func resumingContinuesTheRecordedDataAndHyperparameters() throws {
        var first = Self.moons()
        first.optimizer = .momentum
        first.momentum = 0.5
        first.seed = 9
        let trained = try TrainingSession(first).run().model
        var next = TrainingSettings()
        next.resume = trained
        next.epochs = 2
        let session = try TrainingSession(next)
        #expect(session.recipe.source.kind == .moons && session.recipe.seed == 9)
        #expect(session.configuration.optimizer == .momentum && session.configuration.momentum == 0.5)
        let outcome = try session.run()
        #expect(outcome.model.history?.epochCount == 5)
    }

    /// Data given anew to a resumed model (`--dataset`, e.g. a moved file) keeps the recorded
    /// split: rows held out for the test figures are not trained on after a resume.
    @Test func resumingWithDataGivenAnewKeepsTheRecordedSplit() throws {
        var first = Self.moons()
        first.validationFraction = 0
        first.testFraction = 0.3
        first.seed = 7
        let trained = try TrainingSession(first).run().model
        var next = TrainingSettings()
        next.resume = trained
        next.dataset = .moons
        next.dataOptions = first.dataOptions
        next.epochs = 1
        let session = try TrainingSession(next)
        #expect(session.recipe.validationFraction == 0 && session.recipe.testFraction == 0.3 && session.recipe.seed == 7)
        var overridden = next
        overridden.testFraction = 0.1
        #expect(try TrainingSession(overridden).recipe.testFraction == 0.1)
    }

    @Test func refusalsComeBeforeTraining() throws {
        let trained = try TrainingSession(Self.moons()).run().model
        var dataWithoutDataset = TrainingSettings()
        dataWithoutDataset.resume = trained
        dataWithoutDataset.dataOptions.noise = 0.3
        #expect(throws: TrainingSessionError.dataChangeNeedsDataset) { try TrainingSession(dataWithoutDataset) }

        var newShape = TrainingSettings()
        newShape.resume = trained
        newShape.network = .classifier(hidden: [4], activation: .relu)
        #expect(throws: TrainingSessionError.networkFixedByResume) { try TrainingSession(newShape) }

        let bare = NNMModel(network: trained.network)
        var noRecipe = TrainingSettings()
        noRecipe.resume = bare
        #expect(throws: TrainingSessionError.resumedModelHasNoDataset) { try TrainingSession(noRecipe) }

        var patience = Self.moons()
        patience.patience = 3
        patience.validationFraction = 0
        #expect(throws: TrainingSessionError.patienceNeedsValidation) { try TrainingSession(patience) }

        var momentum = Self.moons()
        momentum.momentum = 0.9
        #expect(throws: TrainingSessionError.momentumUnused(optimizer: .adam)) { try TrainingSession(momentum) }

        var huge = Self.moons()
        huge.network = .classifier(hidden: [65536, 65536], activation: .relu)
        #expect(throws: (any Error).self) { try TrainingSession(huge) }

        #expect(throws: TrainingSessionError.historyTooLong(
            previousEpochs: TrainingSession.maximumHistoryEpochs, epochs: 1, maximum: TrainingSession.maximumHistoryEpochs)) {
            try TrainingSession.checkHistoryFits(previousEpochs: TrainingSession.maximumHistoryEpochs, epochs: 1)
        }
    }

    @Test func aBatchTooLargeForMemoryIsRefusedWithItsSize() throws {
        let network = try Architecture.network(spec: "linear:60000,relu,linear:1,sigmoid", inputCount: 2)
        #expect(throws: TrainingSessionError.self) { try TrainingSession.checkBatchFits(network, batchSize: 20_000) }
        try TrainingSession.checkBatchFits(network, batchSize: 32)
    }
}
