/// Keeps the network's weights at the epochs ``SnapshotSchedule`` picks (`--snapshots N`),
/// and at the last epoch a run trains when it ends before its plan (early stopping,
/// `--stop-after`, an interruption), so that the last snapshot is always the end of the run.
struct SnapshotRecorder {
    private let wanted: Set<Int>
    private(set) var taken: [TrainedSnapshot] = []

    /// `count` snapshots over a run planned for `plannedEpochs`; none for `count` 0.
    init(count: Int, plannedEpochs: Int) {
        wanted = Set(SnapshotSchedule.epochs(count: count, over: plannedEpochs))
    }

    var isEnabled: Bool { !wanted.isEmpty }

    /// After epoch `epoch` of the run (`historyEpoch` counted over the file's history).
    mutating func epochDone(_ epoch: Int, historyEpoch: Int, model: Sequential) {
        if wanted.contains(epoch) { taken.append(TrainedSnapshot(epoch: historyEpoch, network: model)) }
    }

    /// When the run ended: the last epoch trained is recorded if it was not already.
    mutating func runEnded(historyEpoch: Int, model: Sequential) {
        guard isEnabled, historyEpoch > 0, taken.last?.epoch != historyEpoch else { return }
        taken.append(TrainedSnapshot(epoch: historyEpoch, network: model))
    }
}

/// The network as it stood at the end of one epoch (`--snapshots`).
public struct TrainedSnapshot: Sendable {
    /// 1-based, counted over the file's history.
    public var epoch: Int
    public var network: Sequential
}
