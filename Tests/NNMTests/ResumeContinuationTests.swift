import NNMFormat
import Testing
import NNM

/// Resuming from the stored training state (spec/training.md §3a): an exact continuation
/// writes the bytes of a run that never stopped — at an epoch boundary, inside an epoch after
/// a Ctrl-C, and with early stopping's kept weights — and a changed run records a segment.
@Suite struct ResumeContinuationTests {
    static func settings(epochs: Int = 6, optimizer: OptimizerKind? = nil) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 200
        settings.epochs = epochs
        settings.optimizer = optimizer
        return settings
    }

    static func bytes(_ outcome: TrainingOutcome) throws -> [UInt8] { try outcome.model.modelFile().encoded() }

    /// The model as a resumed run gets it: written and read back.
    static func reloaded(_ outcome: TrainingOutcome) throws -> NNMModel { try NNMModel(bytes: try bytes(outcome)) }

    @Test(arguments: [OptimizerKind.adam, .momentum, .nesterov, .sgd])
    func aRunStoppedInsideAnEpochResumesToTheSameBytes(optimizer: OptimizerKind) throws {
        let whole = try TrainingSession(Self.settings(optimizer: optimizer)).run()
        // 5 batches an epoch, 4 questions inside it and one after: the 12th question is after
        // batch 2 of epoch 3.
        let stopped = try TrainingSession(Self.settings(optimizer: optimizer))
            .run(shouldStop: InterruptionTests.Countdown(after: 12).ask)
        #expect(stopped.result.interruption == ModelFile.Interruption(epoch: 3, batch: 2))
        let state = try #require(try Self.reloaded(stopped).trainingState)
        #expect(state.planEpochs == 6 && state.planEpochsDone == 2 && state.batchesDone == 2)
        var resume = TrainingSettings()
        resume.resume = try Self.reloaded(stopped)
        let session = try TrainingSession(resume)
        #expect(session.configuration.epochs == 4, "the rest of the plan, the part-done epoch included")
        #expect(session.resumeDecision?.continuation?.mode == .exact)
        let continued = try session.run()
        #expect(continued.model.history?.epochCount == 6)
        #expect(continued.model.metadata[MetadataKey.interruptedEpoch] == nil)
        #expect(try Self.bytes(continued) == Self.bytes(whole))
    }

    @Test func earlyStoppingsKeptWeightsAndCountCarryOver() throws {
        var plan = Self.settings(epochs: 30)
        plan.patience = 50
        plan.dataOptions.noise = 0.4
        let whole = try TrainingSession(plan).run()
        var first = plan
        first.stopAfterEpochs = 18
        let stopped = try TrainingSession(first).run()
        let best = try #require(stopped.result.bestEpoch)
        let state = try #require(stopped.model.trainingState)
        #expect(state.buffers.contains { $0.slot == .weights } == (best != 18))
        var resume = TrainingSettings()
        resume.resume = try Self.reloaded(stopped)
        let continued = try TrainingSession(resume).run()
        #expect(continued.result.bestEpoch == whole.result.bestEpoch)
        #expect(try Self.bytes(continued) == Self.bytes(whole))
    }

    @Test func aFileWithoutStateResumesAsBeforeAndRecordsASegment() throws {
        var first = Self.settings(epochs: 3)
        first.savesTrainingState = false
        let saved = try TrainingSession(first).run()
        #expect(saved.model.trainingState == nil)
        var resume = TrainingSettings()
        resume.resume = try Self.reloaded(saved)
        resume.epochs = 2
        let session = try TrainingSession(resume)
        #expect(session.resumeDecision?.continuation == nil)
        #expect(session.resumeDecision?.summary.contains("no optimizer state") == true)
        let continued = try session.run()
        #expect(ModelFile.segments(from: continued.model.metadata)
            == [ModelFile.Segment(firstEpoch: 4, change: "no optimizer state in the file")])
    }

    /// A data file is judged by its recorded size and SHA-256, not its path: the same bytes
    /// given anew under another path (a copy, `./`, another directory) continue exactly; one
    /// changed cell is a change.
    @Test func theSameDataUnderAnotherPathContinuesExactly() throws {
        let directory = try DataTestDirectory()
        var random = SeededRandom(seed: 5, stream: 1)
        let rows = (0..<120).map { _ in
            let a = random.uniform(), b = random.uniform()
            return "\(a),\(b),\(a > b ? "up" : "down")\n"
        }
        let text = "a,b,label\n" + rows.joined()
        let original = try directory.write("points.csv", Array(text.utf8))
        let copy = try directory.write("copy-of-points.csv", Array(text.utf8))
        var first = TrainingSettings()
        first.dataset = .csv(path: original)
        first.epochs = 3
        first.stopAfterEpochs = 2
        let saved = try Self.reloaded(try TrainingSession(first).run())
        func decision(_ path: String) throws -> ResumeDecision? {
            var resume = TrainingSettings()
            resume.resume = saved
            resume.dataset = .csv(path: path)
            resume.epochs = 1
            return try TrainingSession(resume).resumeDecision
        }
        for path in [copy, directory.path + "/./points.csv"] {
            let same = try decision(path)
            #expect(same?.continuation?.mode == .exact && same?.changes == [], "\(path): \(same?.changes ?? [])")
        }
        let changed = try directory.write("changed.csv", Array(("a,b,label\n0.5,0.25,up\n" + rows.dropFirst().joined()).utf8))
        let other = try decision(changed)
        #expect(other?.continuation?.mode == .optimizerOnly)
        #expect(other?.changes.contains { $0.contains("file_sha256") } == true, "\(other?.changes ?? [])")
    }

    @Test func changedDataAndRateAreASegmentThatKeepsTheMoments() throws {
        let saved = try TrainingSession(Self.settings(epochs: 3)).run()
        var resume = TrainingSettings()
        resume.resume = try Self.reloaded(saved)
        resume.dataset = .circles
        resume.dataOptions.samples = 200
        resume.learningRate = 0.001
        resume.epochs = 2
        let session = try TrainingSession(resume)
        #expect(session.resumeDecision?.continuation?.mode == .optimizerOnly)
        let continued = try session.run()
        let segments = ModelFile.segments(from: continued.model.metadata)
        #expect(segments.count == 1)
        #expect(segments.first?.firstEpoch == 4)
        #expect(segments.first?.change.contains("dataset moons → circles") == true)
        #expect(segments.first?.change.contains("lr 0.01 → 0.001") == true)
        // A second change appends segment 2 and keeps segment 1.
        var again = TrainingSettings()
        again.resume = try Self.reloaded(continued)
        again.epochs = 1
        again.batchSize = 16
        let third = try TrainingSession(again).run()
        #expect(ModelFile.segments(from: third.model.metadata).map(\.firstEpoch) == [4, 6])
    }

    @Test func theStoredStateReadsBackAsWritten() throws {
        let outcome = try TrainingSession(Self.settings(epochs: 2)).run()
        let state = try #require(outcome.model.trainingState)
        #expect(state.optimizer == .adam && state.stepCount == 10 && state.buffers.count == 12)
        let file = try ModelFile(bytes: try Self.bytes(outcome))
        #expect(file.version == FormatVersion(major: 1, minor: 1))
        #expect(file.trainingState == state)
        var without = Self.settings(epochs: 2)
        without.savesTrainingState = false
        let plain = try ModelFile(bytes: try Self.bytes(try TrainingSession(without).run()))
        #expect(plain.version == FormatVersion(major: 1, minor: 0) && plain.trainingState == nil)
    }
}
