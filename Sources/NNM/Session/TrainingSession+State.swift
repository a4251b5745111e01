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
}
