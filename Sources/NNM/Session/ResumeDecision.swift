import NNMFormat

/// How a resumed run takes up its file (spec/training.md §3a): continuing the stored training
/// state exactly, keeping only the optimizer's buffers, or starting the optimizer afresh (a
/// file without the state, or another optimizer), and what changed — a new history segment.
public struct ResumeDecision: Sendable {
    /// What the run continues from the stored state; nil when it starts the optimizer afresh.
    public var continuation: TrainingContinuation?
    /// The changes against the resumed run (`dataset circles → moons`, `lr 0.01 → 0.001`).
    public var changes: [String]
    /// The epochs the resumed file's history already holds.
    public var previousEpochs: Int

    /// True when the run records a new segment: anything but an exact continuation.
    public var startsSegment: Bool { continuation?.mode != .exact }

    /// What the run header says about the resume, in words.
    public var summary: String {
        let changed = changes.isEmpty ? "" : "; changed: " + changes.joined(separator: ", ")
        switch continuation?.mode {
        case .exact?:
            return "optimizer state, schedule and shuffle continued exactly"
        case .optimizerOnly?:
            return "optimizer state continued, schedule and shuffle started afresh" + changed
        case nil:
            return changes.contains(Self.noState)
                ? "the file has no optimizer state: optimizer, schedule and shuffle started afresh" + changed
                : "optimizer, schedule and shuffle started afresh" + changed
        }
    }

    /// The change recorded when the file has no state to continue.
    static let noState = "no optimizer state in the file"

    /// The segment this run starts, for the file's metadata (nil for an exact continuation).
    var segment: ModelFile.Segment? {
        guard startsSegment else { return nil }
        return ModelFile.Segment(firstEpoch: previousEpochs + 1,
                                 change: changes.isEmpty ? "optimizer started afresh" : changes.joined(separator: "; "))
    }
}

extension TrainingSession {
    /// Compares the run about to start with the resumed file and decides what of its stored
    /// state carries over: everything when nothing that shapes the weights changed (data,
    /// split, seed, optimizer and its settings, schedule, batch size, loss, patience), only the
    /// optimizer's buffers when the optimizer is the same, else nothing.
    static func resumeDecision(
        _ resume: NNMModel, recipe: DataRecipe, configuration: TrainingConfiguration, batchCount: Int,
        savedStateUsable: Bool = true
    ) -> ResumeDecision {
        let previous = resume.history?.epochCount ?? 0
        var changes = dataChanges(from: resume.datasetRecipe, to: DatasetRecipe(recipe))
        changes += hyperparameterChanges(from: resume.metadata, to: configuration)
        guard let state = resume.trainingState, savedStateUsable else {
            return ResumeDecision(continuation: nil, changes: [ResumeDecision.noState] + changes, previousEpochs: previous)
        }
        guard state.optimizer.kind == configuration.optimizer else {
            return ResumeDecision(continuation: nil, changes: changes, previousEpochs: previous)
        }
        let partial = state.batchesDone > 0 ? 1 : 0
        let fitsHistory = previous >= Int(state.planEpochsDone) + partial
        if changes.isEmpty, Int(state.batchesPerEpoch) == batchCount, fitsHistory {
            var decision = ResumeDecision(continuation: .init(state: state, mode: .exact), changes: [], previousEpochs: previous)
            let needed = Int(state.planEpochsDone) + configuration.epochs
            if configuration.schedule != .constant, needed > Int(state.planEpochs) {
                decision.continuation?.mode = .optimizerOnly
                decision.changes = ["\(configuration.schedule.rawValue) schedule planned afresh for \(configuration.epochs) epochs "
                    + "(the file's plan of \(state.planEpochs) had \(Int(state.planEpochs) - Int(state.planEpochsDone)) left)"]
            }
            return decision
        }
        if changes.isEmpty { changes = ["batches per epoch \(state.batchesPerEpoch) → \(batchCount)"] }
        return ResumeDecision(continuation: .init(state: state, mode: .optimizerOnly), changes: changes, previousEpochs: previous)
    }

    /// The data's changes: another generator or file, other parameters, seed or split.
    static func dataChanges(from old: DatasetRecipe?, to new: DatasetRecipe) -> [String] {
        guard let old else { return ["dataset \(new.generator) (the file recorded none)"] }
        if old.generator != new.generator { return ["dataset \(old.generator) → \(new.generator)"] }
        var changes: [String] = []
        if old.seed != new.seed { changes.append("seed \(old.seed) → \(new.seed)") }
        if old.validationFraction != new.validationFraction || old.testFraction != new.testFraction {
            changes.append("split \(old.validationFraction)/\(old.testFraction) → \(new.validationFraction)/\(new.testFraction)")
        }
        let keys = Set(old.parameters.keys).union(new.parameters.keys).sorted()
        let moved = pathKeysOfUnchangedFiles(old.parameters, new.parameters)
        for key in keys where old.parameters[key] != new.parameters[key] && !moved.contains(key) {
            changes.append("\(new.generator) \(key) \(shown(old.parameters[key])) → \(shown(new.parameters[key]))")
        }
        return changes
    }

    /// The path and name keys (and the digest key, whose case may differ) of data files both
    /// recipes record with the same size and SHA-256:
    /// the same bytes, moved, copied or named another way (`./moons.csv`, a resume from another
    /// directory), which changes nothing the weights see.
    static func pathKeysOfUnchangedFiles(_ old: [String: MetadataValue], _ new: [String: MetadataValue]) -> Set<String> {
        let digestSuffix = "_sha256"
        var keys: Set<String> = []
        func digest(_ value: MetadataValue?) -> String? {
            if case .string(let text)? = value { text.lowercased() } else { nil }
        }
        for key in old.keys where key.hasSuffix(digestSuffix) {
            guard let recorded = digest(old[key]), recorded == digest(new[key]) else { continue }
            let prefix = String(key.dropLast(digestSuffix.count))
            guard let size = old[prefix + "_bytes"], new[prefix + "_bytes"] == size else { continue }
            keys.formUnion([prefix + "_path", prefix + "_name", key])  // the digest: at most its case differs
        }
        return keys
    }

    /// The hyperparameters whose recorded value differs from this run's.
    static func hyperparameterChanges(from metadata: [String: MetadataValue], to configuration: TrainingConfiguration) -> [String] {
        var now = configuration.metadata(loss: configuration.loss ?? .meanSquaredError)
        if configuration.loss == nil { now[MetadataKey.loss] = nil }
        let compared: [(String, String)] = [
            (MetadataKey.optimizer, "optimizer"), (MetadataKey.learningRate, "lr"), (MetadataKey.schedule, "lr schedule"),
            (MetadataKey.momentum, "momentum"), (MetadataKey.weightDecay, "weight decay"),
            (MetadataKey.batchSize, "batch size"), (MetadataKey.loss, "loss"), (MetadataKey.patience, "patience"),
            (MetadataKey.keepBest, "keep best"),
        ]
        return compared.compactMap { key, label in
            metadata[key] == now[key] ? nil : "\(label) \(shown(metadata[key])) → \(shown(now[key]))"
        }
    }

    /// A metadata value as the change list shows it.
    static func shown(_ value: MetadataValue?) -> String {
        switch value {
        case nil: "none"
        case .bool(let b)?: "\(b)"
        case .int(let i)?: "\(i)"
        case .double(let d)?: "\(d)"
        case .string(let s)?: s
        case .ints(let a)?: a.map(String.init).joined(separator: ",")
        case .doubles(let a)?: a.map { "\($0)" }.joined(separator: ",")
        }
    }
}
