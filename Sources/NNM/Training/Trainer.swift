import NNMFormat

/// Trains a ``Sequential`` network on labelled data with mini-batch gradient descent.
///
/// Each epoch visits the training samples in an order shuffled by
/// `SeededRandom(seed: configuration.seed, stream: .shuffle)` (see spec/training.md), in batches
/// of `batchSize` (when one batch holds them all, in their stored order, unshuffled); after each
/// batch the optimizer steps the weights. The loss is checked after every batch: NaN or infinity
/// stops training with ``TrainingError/diverged(epoch:batch:loss:learningRate:optimizer:)``.
///
/// Reading the code: ``fit(_:on:validation:continuing:keptEpoch:progress:)`` is the epoch loop
/// (train, validate, record, report, maybe stop). One epoch's batches run in `EpochRunner`; how a
/// batch goes forward and back (layer by layer or on the narrow kernels) is `TrainingStep`,
/// chosen once per run; the order and reading of batches is `TrainingBatches`; keeping the best
/// weights is `EarlyStopping`.
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration

    public init(_ configuration: TrainingConfiguration = TrainingConfiguration()) {
        self.configuration = configuration
    }

    /// Trains `model` in place.
    ///
    /// - Parameters:
    ///   - training: the samples to learn from: a ``Dataset`` in memory, a stream such as
    ///     ``IDXStream`` that is read batch by batch, or a ``SampleSource`` of your own. Unfitted ``Standardize`` layers are
    ///     fitted on them first.
    ///   - validation: optional held-out samples, evaluated after each epoch and used for early
    ///     stopping.
    ///   - history: the history of earlier training to continue (when resuming).
    ///   - keptEpoch: the epoch of `history` whose weights `model` holds (a file's
    ///     `train.best_epoch` when it was saved with early stopping); `nil` means the last one.
    ///     With patience, a resumed run starts early stopping from these weights, so it never
    ///     keeps weights worse on validation than the ones it was given.
    ///   - continuation: a stored ``TrainingState`` to continue (see ``TrainingContinuation``).
    ///     An exact one whose part-done last epoch is completed replaces that epoch of
    ///     `history`; one that stored the weights training continues from (the file keeping
    ///     better ones) trains those, the given ones being early stopping's best so far.
    ///   - progress: called after every batch and once more at the end of each epoch.
    ///   - shouldStop: asked after every batch and every epoch (a Ctrl-C flag, a deadline):
    ///     when it returns true before the planned epochs are done, training stops there. A
    ///     stop inside an epoch still validates and records that epoch (over the batches
    ///     trained), so the history describes the weights returned;
    ///     ``TrainingResult/interruption`` says where it stopped. Asked too while unfitted
    ///     ``Standardize`` layers are fitted, before the first batch: a stop there throws
    ///     ``TrainingError/interruptedBeforeTraining`` (nothing was trained).
    /// - Throws: ``TrainingError``, ``LossError`` or ``ModelError`` when settings, data and
    ///   network do not fit, ``DataError`` (or a source's own error) when a source cannot be
    ///   read, or when training diverges (the model is then left unusable: do not save it).
    public func fit(
        _ model: inout Sequential, on training: some SampleSource, validation: (any SampleSource)? = nil,
        continuing history: TrainingHistory? = nil, keptEpoch: Int? = nil,
        from continuation: TrainingContinuation? = nil,
        progress: ((TrainingProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil
    ) throws -> TrainingResult {
        let (plan, validation) = try prepare(&model, training: training, validation: validation, shouldStop: shouldStop)
        var recorder = HistoryRecorder(continuing: history, task: plan.isRegression ? .regression : .classification)
        var epochs = EpochRunner(model: model, training: training, plan: plan, configuration: configuration,
                                 continuation: continuation)
        defer { epochs.finish() }
        var progress = ProgressReporter(progress, epochs: configuration.epochs, batchCount: epochs.batchCount,
                                        task: plan.isRegression ? .regression : .classification)
        var stopping = try earlyStopping(from: model, validation: validation, plan: plan,
                                         recordedEpochs: recorder.epochCount, keptEpoch: keptEpoch,
                                         exact: continuation?.mode == .exact, partial: epochs.completesPartialEpoch)
        Self.takeUpStoredWeights(&model, continuation)
        if epochs.completesPartialEpoch { recorder.dropLastEpoch() }
        var snapshots = SnapshotRecorder(count: configuration.snapshotCount, plannedEpochs: configuration.plannedEpochs)
        var epochsRun = 0
        var stoppedEarly = false
        var interruption: ModelFile.Interruption?
        var lastValidation: Evaluation?
        for epoch in 1 ..< configuration.epochs + 1 {
            let trained = try epochs.trainEpoch(
                &model, epoch: epoch, number: recorder.epochCount + 1, progress: &progress, shouldStop: shouldStop)
            epochsRun = epoch
            let validated = try validation.map { data in
                let result = try Trainer.evaluate(model, on: data, plan: plan)
                guard result.loss.isFinite else {
                    throw epochs.divergence(epoch: recorder.epochCount + 1, batch: epochs.batchCount, loss: result.loss)
                }
                return result
            }
            lastValidation = validated
            recorder.append(trainLoss: trained.loss, trainAccuracy: trained.accuracy, validation: validated)
            snapshots.epochDone(epoch, historyEpoch: recorder.epochCount, model: model)
            progress.epochDone(epoch: epoch, loss: trained.loss, accuracy: trained.accuracy, validation: validated)
            if let validated, stopping?.shouldStop(after: recorder.epochCount, loss: validated.loss, model: model) == true {
                stoppedEarly = epoch < configuration.epochs
                break
            }
            if trained.batches < epochs.batchCount || (epoch < configuration.epochs && shouldStop?() == true) {
                interruption = ModelFile.Interruption(epoch: recorder.epochCount, batch: trained.batches)
                break
            }
        }
        snapshots.runEnded(historyEpoch: recorder.epochCount, model: model)
        // Whether the weights returned are not the last epoch's: early stopping kept earlier
        // (or the loaded) ones.
        let keepsOther = stopping.map { $0.best != nil && !$0.keptLatest } ?? false
        let state = epochs.state(of: model, storesWeights: keepsOther)
        if let best = stopping?.best { model = best.model }
        return TrainingResult(
            history: recorder.history, epochsRun: epochsRun, stoppedEarly: stoppedEarly,
            bestEpoch: stopping?.best?.epoch, lossPlan: plan, interruption: interruption,
            trainingState: state, plannedEpochs: epochs.plannedEpochs, snapshots: snapshots.taken,
            finalValidation: keepsOther ? nil : lastValidation)
    }

    /// When an exact continuation stored the weights training continues from (the file keeps
    /// earlier, better ones), training goes on from those.
    private static func takeUpStoredWeights(_ model: inout Sequential, _ continuation: TrainingContinuation?) {
        guard let continuation, continuation.mode == .exact else { return }
        let names = model.trainableTensorNames
        let stored = names.compactMap { continuation.state.buffer($0, .weights) }
        guard stored.count == names.count, !names.isEmpty else { return }
        model.setTrainableValues(stored)
    }

    /// Checks settings, data and network against each other and fits unfitted ``Standardize``
    /// layers on `training`. Returns the loss plan and the validation data (nil when empty).
    private func prepare(
        _ model: inout Sequential, training: some SampleSource, validation: (any SampleSource)?,
        shouldStop: (() -> Bool)?
    ) throws -> (LossPlan, (any SampleSource)?) {
        try configuration.validate()
        if let targets = training.targets {
            try Trainer.check(training, fits: model)
            guard training.sampleCount > 0 else { throw TrainingError.emptyTrainingData }
            let validation = validation.flatMap { $0.sampleCount > 0 ? $0 : nil }
            if let validation {
                try Trainer.check(validation, fits: model)
                guard validation.isRegression else {
                    throw TrainingError.inconsistentData("validation data has class labels, training data numeric targets")
                }
            }
            try model.fitStandardization(on: training, shouldStop: shouldStop)
            model.fitTargetScaling(on: targets)
            return (try (configuration.loss ?? .meanSquaredError).regressionPlan(for: model), validation)
        }
        guard model.lastLayerKind != .rescale else { throw LossError.regressionNeedsTargets }
        let plan = try (configuration.loss ?? Loss.defaultLoss(for: model))
            .plan(for: model, classCount: training.classCount)
        try Trainer.check(training, fits: model)
        guard training.sampleCount > 0 else { throw TrainingError.emptyTrainingData }
        let validation = validation.flatMap { $0.sampleCount > 0 ? $0 : nil }
        if let validation {
            try Trainer.check(validation, fits: model)
            guard validation.classCount == training.classCount else {
                throw TrainingError.inconsistentData(
                    "validation data has \(validation.classCount) classes, training data \(training.classCount)")
            }
        }
        try model.fitStandardization(on: training, shouldStop: shouldStop)
        return (plan, validation)
    }

    /// Early stopping for this run; nil without patience. Resuming with patience and validation
    /// data, the weights given are the ones to beat (spec/training.md §3): their validation loss,
    /// evaluated now, at `keptEpoch` when it is one of the `recordedEpochs`, else the last.
    private func earlyStopping(
        from model: Sequential, validation: (any SampleSource)?, plan: LossPlan, recordedEpochs: Int, keptEpoch: Int?,
        exact: Bool, partial: Bool
    ) throws -> EarlyStopping? {
        // Keeping the best weights without patience is early stopping that never stops.
        guard let patience = configuration.patience ?? (configuration.keepsBestWeights && validation != nil ? Int.max : nil)
        else { return nil }
        guard let validation, recordedEpochs > 0 else { return EarlyStopping(patience: patience) }
        let loaded = try Trainer.evaluate(model, on: validation, plan: plan)
        let epoch = keptEpoch.flatMap { (1...recordedEpochs).contains($0) ? $0 : nil } ?? recordedEpochs
        // An exact continuation carries on the count of epochs without a better loss, as the
        // run that never stopped would have.
        return EarlyStopping(patience: patience, loaded: .init(loss: loaded.loss, model: model, epoch: epoch),
                             epochsSinceLoaded: exact ? max(0, recordedEpochs - (partial ? 1 : 0) - epoch) : 0)
    }

    /// Throws unless `data` has the network's input width and labels in range.
    static func check(_ data: some SampleSource, fits model: Sequential) throws {
        guard data.featureCount == model.inputCount else {
            throw ModelError.inputWidthMismatch(expected: model.inputCount, found: data.featureCount)
        }
        guard data.labels.count == data.sampleCount else {
            throw TrainingError.inconsistentData("the data has \(data.sampleCount) samples but \(data.labels.count) labels")
        }
        for (sample, label) in data.labels.enumerated() where label < 0 || label >= data.classCount {
            throw LossError.labelOutOfRange(sample: sample, label: label, classCount: data.classCount)
        }
    }

    static func countCorrect(_ output: Matrix, labels: [Int]) -> Int {
        var correct = 0
        let width = output.columns
        output.storage.withUnsafeBufferPointer { y in
            labels.withUnsafeBufferPointer { l in
                let rows = min(output.rows, l.count)
                if width == 1 {
                    correct = Kernels.binaryCorrect(rows: rows, outputs: y.baseAddress, labels: l.baseAddress)
                } else {
                    for row in 0..<rows {
                        correct += Sequential.classIndex(y, start: row * width, width: width) == l[row] ? 1 : 0
                    }
                }
            }
        }
        return correct
    }
}
