import NNMFormat
import Testing
import NNM

/// The library's cancellation hook: `shouldStop`, asked after every batch and epoch.
@Suite struct InterruptionTests {
    static func settings(epochs: Int = 5) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 200
        settings.epochs = epochs
        return settings
    }

    /// A `shouldStop` that says yes from its `n`th question on.
    final class Countdown: @unchecked Sendable {
        var asked = 0
        let after: Int
        init(after: Int) { self.after = after }
        func ask() -> Bool { asked += 1; return asked >= after }
    }

    @Test func aStopInsideAnEpochRecordsThatEpochAndWhere() throws {
        // 140 training samples in batches of 32: 5 batches an epoch, 4 questions inside it and
        // one after it. The 7th question is after batch 2 of epoch 2.
        let countdown = Countdown(after: 7)
        let outcome = try TrainingSession(Self.settings()).run(shouldStop: countdown.ask)
        #expect(outcome.result.interruption == ModelFile.Interruption(epoch: 2, batch: 2))
        #expect(outcome.result.epochsRun == 2)
        #expect(outcome.model.history?.epochCount == 2)
        #expect(outcome.model.metadata[MetadataKey.interruptedEpoch] == .int(2))
        #expect(outcome.model.metadata[MetadataKey.interruptedBatch] == .int(2))
        #expect(ModelFile.interruption(from: outcome.model.metadata) == ModelFile.Interruption(epoch: 2, batch: 2))
        // The file says so, and reads back.
        let again = try NNMModel(bytes: try outcome.model.modelFile().encoded())
        #expect(ModelFile.interruption(from: again.metadata)?.epoch == 2)
    }

    @Test func aStopBetweenEpochsRecordsAWholeEpoch() throws {
        let countdown = Countdown(after: 5)  // the question after epoch 1
        let outcome = try TrainingSession(Self.settings()).run(shouldStop: countdown.ask)
        #expect(outcome.result.interruption == ModelFile.Interruption(epoch: 1, batch: 5))
    }

    @Test func withoutAStopNothingChanges() throws {
        let plain = try TrainingSession(Self.settings(epochs: 2)).run()
        let asked = try TrainingSession(Self.settings(epochs: 2)).run(shouldStop: { false })
        #expect(plain.result.interruption == nil && asked.result.interruption == nil)
        #expect(try plain.model.modelFile().encoded() == asked.model.modelFile().encoded())
        #expect(plain.model.metadata[MetadataKey.interruptedEpoch] == nil)
    }

    @Test func aStopAfterTheLastEpochIsNoInterruption() throws {
        let countdown = Countdown(after: 1000)
        let outcome = try TrainingSession(Self.settings(epochs: 2)).run(shouldStop: countdown.ask)
        #expect(outcome.result.interruption == nil)
        // Asked after each batch but the last of an epoch, and after each epoch but the last.
        #expect(countdown.asked == 2 * 4 + 1)
    }

    /// A model that standardizes its inputs (every CSV or IDX model) first fits the
    /// standardization over the whole training part — two passes, a while for millions of
    /// images — and asks there too: a stop then ends the run before any training, with
    /// nothing to save. Asked and never stopping, the run keeps its bits.
    @Test func aStopWhileTheStandardizationIsFittedTrainsNothing() throws {
        let (directory, images, labels) = try IDXStreamTests.files(count: 600)
        var settings = TrainingSettings()
        settings.dataset = .idx(images: images, labels: labels)
        settings.epochs = 2
        let session = try TrainingSession(settings)
        #expect(throws: TrainingError.interruptedBeforeTraining) { try session.run(shouldStop: { true }) }
        // 420 training rows, held as bytes: one question in each of the fit's two passes (one
        // block of rows each), then one after every batch. A stop at the second pass still
        // trains nothing; the third question comes after the first batch.
        let countdown = Countdown(after: 2)
        #expect(throws: TrainingError.interruptedBeforeTraining) { try session.run(shouldStop: countdown.ask) }
        #expect(countdown.asked == 2)
        let third = try session.run(shouldStop: Countdown(after: 3).ask)
        #expect(third.result.interruption == ModelFile.Interruption(epoch: 1, batch: 1))
        let plain = try session.run()
        let asked = try session.run(shouldStop: { false })
        #expect(try plain.model.modelFile().encoded() == asked.model.modelFile().encoded())
        _ = directory
    }

    @Test func untrustedEntriesAreNoInterruption() {
        #expect(ModelFile.interruption(from: [MetadataKey.interruptedEpoch: .int(3)]) == nil)
        #expect(ModelFile.interruption(from: [MetadataKey.interruptedEpoch: .int(0), MetadataKey.interruptedBatch: .int(1)]) == nil)
        #expect(ModelFile.interruption(from: [MetadataKey.interruptedEpoch: .string("3"), MetadataKey.interruptedBatch: .int(1)]) == nil)
    }
}
