import NNMFormat

extension TrainingSession {
    /// The state the saved file keeps: the run's, unless the settings say not to, or it
    /// would not fit one section (16 MiB: Adam's two moments of more than about 2 million
    /// parameters), which ``stateOmittedBecauseTooLarge(_:)`` reports.
    func storedState(_ state: TrainingState?) -> TrainingState? {
        guard settings.savesTrainingState, let state, Self.stateFits(state) else { return nil }
        return state
    }

    /// True when `state` fits the format's section limit.
    static func stateFits(_ state: TrainingState) -> Bool {
        UInt64(ModelFile.trainingStatePayloadLength(state)) <= FormatLimits.maxTablePayload
    }

    /// The segments the file records: the resumed file's, and this run's when it starts one.
    func segmentMetadata() -> [String: MetadataValue] {
        let earlier = settings.resume.map { ModelFile.segments(from: $0.metadata) } ?? []
        var metadata: [String: MetadataValue] = [:]
        for (index, segment) in earlier.enumerated() {
            for (key, value) in ModelFile.segmentMetadata(segment, index: index + 1) { metadata[key] = value }
        }
        if let segment = resumeDecision?.segment {
            for (key, value) in ModelFile.segmentMetadata(segment, index: earlier.count + 1) { metadata[key] = value }
        }
        return metadata
    }

    /// Refuses a snapshot count out of range, one with a resumed model, and one whose
    /// section would not fit (checked before training, so no run is wasted).
    static func checkSnapshots(_ settings: TrainingSettings, network: Sequential) throws {
        let count = settings.snapshots
        guard count != 0 else { return }
        guard (0...WeightSnapshots.maxSnapshots).contains(count) else {
            throw TrainingSessionError.snapshotCountOutOfRange(requested: count, maximum: WeightSnapshots.maxSnapshots)
        }
        guard settings.resume == nil else { throw TrainingSessionError.snapshotsWithResume }
        let parameters = network.parameterCount
        let fitting = WeightSnapshots.mostThatFit(parameterCount: parameters)
        guard count <= fitting else {
            throw TrainingSessionError.snapshotsTooLarge(requested: count, parameterCount: parameters, fitting: fitting)
        }
    }

    /// The `snap` section's content: each snapshot's tensors in the file's table order.
    static func weightSnapshots(_ taken: [TrainedSnapshot]) throws -> WeightSnapshots? {
        guard !taken.isEmpty else { return nil }
        return WeightSnapshots(try taken.map { snapshot in
            let tensors = snapshot.network.modelFile(metadata: [:], history: nil, dataset: nil).tensors
            return WeightSnapshots.Snapshot(epoch: snapshot.epoch, values: try tensors.flatMap { try $0.values() })
        })
    }
}
