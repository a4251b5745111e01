/// What the inspector says about resuming: the history's segments (spec/training.md §8) and the
/// stored training state (the `trst` section, spec §10a).
extension ModelFile {
    /// One line per recorded segment: `  segment 1 from epoch 201: dataset circles → moons`.
    var segmentLines: [String] {
        ModelFile.segments(from: metadata).enumerated().map { index, segment in
            "  segment \(index + 1) from epoch \(segment.firstEpoch): \(escapeForDisplay(segment.change))"
        }
    }

    /// `  optimizer state: adam, 4200 steps, schedule at epoch 150 of 200 (cosine): --resume continues it exactly`.
    var trainingStateLine: String? {
        guard let s = trainingState else { return nil }
        var text = "  optimizer state: \(s.optimizer.name), \(s.stepCount) steps, schedule at epoch \(s.planEpochsDone)"
        if s.batchesDone > 0 { text += " + \(s.batchesDone) of \(s.batchesPerEpoch) batches" }
        text += " of \(s.planEpochs)"
        if case .string(let schedule)? = metadata["train.lr_schedule"] { text += " (\(escapeForDisplay(schedule)))" }
        if s.buffers.contains(where: { $0.slot == .weights }) { text += ", with the weights training continues from" }
        return text + ": --resume continues it exactly"
    }

    /// The segments and state for `--json`.
    var resumeJSON: (segments: JSONValue, state: JSONValue) {
        let segments = JSONValue.array(ModelFile.segments(from: metadata).map {
            .object(["first_epoch": .int(Int64($0.firstEpoch)), "change": .string($0.change)])
        })
        guard let s = trainingState else { return (segments, .null) }
        let state = JSONValue.object([
            "optimizer": .string(s.optimizer.name), "step_count": .int(Int64(clamping: s.stepCount)),
            "plan_epochs": .int(Int64(s.planEpochs)), "plan_epochs_done": .int(Int64(s.planEpochsDone)),
            "batches_per_epoch": .int(Int64(s.batchesPerEpoch)), "batches_done": .int(Int64(s.batchesDone)),
            "buffers": .int(Int64(s.buffers.count)),
            "stores_weights": .bool(s.buffers.contains { $0.slot == .weights }),
        ])
        return (segments, state)
    }
}

extension TrainingState.Optimizer {
    /// The name `nnm-train --optimizer` takes.
    public var name: String {
        switch self {
        case .sgd: "sgd"
        case .momentum: "momentum"
        case .nesterov: "nesterov"
        case .adam: "adam"
        }
    }
}
