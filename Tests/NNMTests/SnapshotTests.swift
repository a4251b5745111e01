import NNMFormat
import Testing
@testable import NNM

/// `--snapshots N` (spec/training.md §7a): which epochs, and that each snapshot holds exactly the
/// weights a run stopped at that epoch saves.
@Suite struct SnapshotTests {
    @Test func logSpacedEpochsAsTheSpecLists() {
        #expect(SnapshotSchedule.epochs(count: 8, over: 200) == [1, 2, 5, 10, 21, 44, 94, 200])
        #expect(SnapshotSchedule.epochs(count: 6, over: 50) == [1, 2, 5, 10, 23, 50])
        #expect(SnapshotSchedule.epochs(count: 8, over: 30) == [1, 2, 3, 4, 7, 11, 18, 30])
        #expect(SnapshotSchedule.epochs(count: 12, over: 10) == Array(1...10))
        #expect(SnapshotSchedule.epochs(count: 1, over: 200) == [200])
        #expect(SnapshotSchedule.epochs(count: 2, over: 200) == [1, 200])
        #expect(SnapshotSchedule.epochs(count: 0, over: 200) == [])
    }

    @Test func everyChoiceHasNStrictlyIncreasingEpochsFromFirstToLast() {
        for epochs in [2, 3, 7, 64, 65, 200, 1000, 1 << 22] {
            for count in [2, 3, 5, 8, 16, 63, 64] {
                let chosen = SnapshotSchedule.epochs(count: count, over: epochs)
                #expect(chosen.count == min(count, epochs))
                #expect(chosen.first == 1 && chosen.last == epochs)
                #expect(zip(chosen, chosen.dropFirst()).allSatisfy { $0 < $1 }, "\(count) of \(epochs): \(chosen)")
            }
        }
        // Log-spaced: the picks' gaps never shrink by more than rounding.
        let chosen = SnapshotSchedule.epochs(count: 16, over: 10_000)
        let gaps = zip(chosen, chosen.dropFirst()).map { $1 - $0 }
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $1 + 1 >= $0 }, "\(chosen)")
    }

    static func circles(epochs: Int = 12) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.dataOptions.samples = 150
        settings.epochs = epochs
        return settings
    }

    static func values(_ network: Sequential) throws -> [Float] {
        try network.modelFile(metadata: [:], history: nil, dataset: nil).tensors.flatMap { try $0.values() }
    }

    @Test func aSnapshotHoldsTheBitsOfARunStoppedAtItsEpoch() throws {
        var settings = Self.circles()
        settings.snapshots = 5
        let outcome = try TrainingSession(settings).run()
        let snapshots = try #require(outcome.model.weightSnapshots)
        #expect(snapshots.epochs == [1, 2, 3, 6, 12])
        #expect(try snapshots.snapshots.last?.values == Self.values(outcome.model.network))
        for epoch in [1, 3, 6] {
            var stopped = Self.circles()
            stopped.stopAfterEpochs = epoch
            let run = try TrainingSession(stopped).run()
            let snapshot = try #require(snapshots.snapshots.first { $0.epoch == epoch })
            #expect(snapshot.values.map(\.bitPattern) == (try Self.values(run.model.network)).map(\.bitPattern), "epoch \(epoch)")
        }
    }

    @Test func sameSettingsSameBytesAndTheSectionMakesOnlyTheDifference() throws {
        var settings = Self.circles(epochs: 6)
        settings.snapshots = 4
        let first = try TrainingSession(settings).run().model.modelFile()
        let again = try TrainingSession(settings).run().model.modelFile()
        #expect(try first.encoded() == again.encoded())
        settings.snapshots = 0
        var plain = try TrainingSession(settings).run().model.modelFile()
        #expect(plain.weightSnapshots == nil)
        plain.weightSnapshots = first.weightSnapshots
        #expect(try plain.encoded() == first.encoded())
    }

    @Test func aRunStoppedEarlyRecordsItsLastEpoch() throws {
        var settings = Self.circles(epochs: 40)
        settings.snapshots = 6
        settings.stopAfterEpochs = 7
        let outcome = try TrainingSession(settings).run()
        #expect(outcome.model.weightSnapshots?.epochs == [1, 2, 4, 7])
    }

    @Test func refusals() throws {
        var tooMany = Self.circles()
        tooMany.snapshots = 65
        #expect(throws: TrainingSessionError.snapshotCountOutOfRange(requested: 65, maximum: 64)) { try TrainingSession(tooMany) }
        let model = try TrainingSession(Self.circles(epochs: 2)).run().model
        var resumed = TrainingSettings()
        resumed.resume = model
        resumed.snapshots = 3
        #expect(throws: TrainingSessionError.snapshotsWithResume) { try TrainingSession(resumed) }
        var large = Self.circles()
        large.network = .classifier(hidden: [300, 300], activation: .relu)
        large.snapshots = 64
        #expect(throws: TrainingSessionError.snapshotsTooLarge(requested: 64, parameterCount: 91_501, fitting: 45)) {
            try TrainingSession(large)
        }
    }
}
