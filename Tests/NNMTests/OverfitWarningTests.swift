import NNMFormat
import Testing
import NNM

/// The overfit warning's rule and `--keep-best` (spec/training.md §7).
@Suite struct OverfitWarningTests {
    static func history(_ validation: [Float]) -> TrainingHistory {
        TrainingHistory(series: [HistorySeries(name: "val_loss", values: validation)])
    }

    @Test func warnsOnlyWhenTheLastLossIsThreeTimesAnEarlyMinimum() {
        let falling: [Float] = [0.5, 0.4, 0.3, 0.2]
        let rising: [Float] = falling + (4..<40).map { (epoch: Int) -> Float in 0.2 + 0.02 * Float(epoch) }
        let warning = OverfitWarning.check(Self.history(rising), keptEpoch: nil)
        #expect(warning?.bestEpoch == 4)
        #expect(warning?.description.contains("--keep-best keeps epoch 4's") == true)
        // Kept weights are not the last: nothing to warn about.
        #expect(OverfitWarning.check(Self.history(rising), keptEpoch: 4) == nil)
        // 1.8× (circles' default run) and a minimum too recent do not warn.
        #expect(OverfitWarning.check(Self.history([0.1] + [Float](repeating: 0.18, count: 30)), keptEpoch: nil) == nil)
        #expect(OverfitWarning.check(Self.history([Float](repeating: 0.5, count: 30) + [0.1, 0.4]), keptEpoch: nil) == nil)
        #expect(OverfitWarning.check(Self.history([.nan, .nan]), keptEpoch: nil) == nil)
    }

    @Test func keepBestKeepsTheLowestValidationEpochAndSaysSo() throws {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 200
        settings.dataOptions.noise = 0.4
        settings.epochs = 30
        settings.keepsBestWeights = true
        let outcome = try TrainingSession(settings).run()
        let losses = try #require(outcome.model.history?["val_loss"])
        let best = try #require(outcome.result.bestEpoch)
        #expect(losses[best - 1] == losses.min())
        #expect(outcome.model.metadata[MetadataKey.keepBest] == .bool(true))
        #expect(outcome.result.epochsRun == 30, "keeping the best never stops early")
        settings.keepsBestWeights = nil
        #expect(try TrainingSession(settings).run().result.bestEpoch == nil, "off by default")
    }
}
