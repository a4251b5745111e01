import NNMFormat

/// One run's training epochs: each batch read, stepped forward and back by the run's
/// ``TrainingStep``, and the optimizer's update at the scheduled learning rate.
///
/// What lives across epochs lives here: the step strategy, the batches and their order, the
/// optimizer (with its moments), the schedule's plan and position, and the buffers. A run
/// that continues a stored ``TrainingState`` starts from it (``TrainingContinuation``), and
/// ``state(of:)`` stores where this run stands for the next one.
struct EpochRunner<Source: SampleSource> {
    private var step: TrainingStep
    private var batches: TrainingBatches<Source>
    private var optimizer: Optimizer
    private var workspace: Workspace
    private let schedule: LearningRateSchedule
    private let optimizerKind: OptimizerKind
    private let baseRate: Double
    /// Epochs the schedule is planned for, and complete epochs of that plan trained.
    private let planEpochs: Int
    private var planEpochsDone: Int
    private var totalSteps: Int { planEpochs * batches.batchCount }
    private var stepsTaken: Int
    /// A part-done epoch: the one this run starts by completing, or the one it stopped in.
    private var partial: PartialEpoch?
    /// Index of the network's output in `workspace.activations`.
    private let top: Int
    /// Regression: the variance of the standardized training targets, the denominator of the
    /// running R² (1 when the final Rescale was fitted on these targets); nil for classes.
    private let standardizedTargetVariance: Double?

    init(model: Sequential, training: Source, plan: LossPlan, configuration: TrainingConfiguration,
         continuation: TrainingContinuation? = nil) {
        step = TrainingStep(model: model, plan: plan, usesFusedKernels: configuration.usesFusedKernels)
        let exact = continuation?.mode == .exact ? continuation?.state : nil
        batches = TrainingBatches(training, batchSize: configuration.batchSize, seed: configuration.seed,
                                  generator: exact.flatMap { SeededRandom(stateWords: $0.shuffleState) })
        optimizer = configuration.makeOptimizer()
        workspace = Workspace(layerCount: model.layers.count)
        schedule = configuration.schedule
        optimizerKind = configuration.optimizer
        baseRate = Double(optimizer.learningRate)
        top = model.layers.count
        if let scaling = plan.targetScaling, let targets = training.targets, let scale = scaling.scale.first {
            let deviation = TargetStatistics(targets).standardDeviation / Double(scale)
            standardizedTargetVariance = deviation * deviation
        } else {
            standardizedTargetVariance = nil
        }
        partial = continuation?.partialEpoch
        planEpochsDone = exact.map { Int($0.planEpochsDone) } ?? 0
        // A plan too short for the epochs asked for is lengthened: the schedule then runs as
        // if the whole plan had been for the longer total (spec/training.md §6).
        planEpochs = max(exact.map { Int($0.planEpochs) } ?? configuration.plannedEpochs,
                         planEpochsDone + configuration.epochs)
        stepsTaken = planEpochsDone * batches.batchCount + (partial?.batches ?? 0)
        if let state = continuation?.state {
            Self.restore(&optimizer, from: state, model: model)
        }
    }

    /// Puts the stored buffers and step count into `optimizer` (same rule: the session checked).
    /// A buffer the state lacks (or of another size) starts at zero, as a fresh one would.
    private static func restore(_ optimizer: inout Optimizer, from state: TrainingState, model: Sequential) {
        let counts = model.trainableValues.map(\.count)
        func buffers(_ slot: TrainingState.Slot, kept: Bool) -> [[Float]] {
            zip(model.trainableTensorNames, counts).map { name, count in
                guard kept else { return [] }
                let stored = state.buffer(name, slot)
                return stored?.count == count ? stored ?? [] : [Float](repeating: 0, count: count)
            }
        }
        let kind = optimizer.kind
        optimizer.restore(stepCount: Int(clamping: state.stepCount),
                          first: buffers(.firstMoment, kept: kind != .sgd),
                          second: buffers(.secondMoment, kept: kind == .adam))
    }

    /// The epoch's second figure: accuracy, or for regression the R² of the running loss.
    private func figure(loss: Double, correct: Int, seen: Int) -> Double {
        guard let variance = standardizedTargetVariance else { return Double(correct) / Double(seen) }
        return variance > 0 ? 1 - loss / variance : .nan
    }

    var batchCount: Int { batches.batchCount }
    var path: TrainingStep.Path { step.path }
    /// The epochs the schedule was planned for (`train.epochs`).
    var plannedEpochs: Int { planEpochs }
    /// True when this run starts by completing a part-done epoch.
    var completesPartialEpoch: Bool { partial != nil }

    /// Trains `model` on the batches of one epoch: all of them, unless `shouldStop` (asked
    /// after each batch but the last) says to stop. Returns the epoch's loss (the batch sums
    /// added in batch order, over the samples seen), accuracy, and the batches trained. The
    /// first epoch of a run continuing a part-done one starts after its trained batches.
    /// - Parameter number: the epoch's number in the whole history, for a divergence report.
    /// - Throws: ``TrainingError/diverged(epoch:batch:loss:learningRate:optimizer:)``, or the
    ///   source's error when its rows cannot be read.
    mutating func trainEpoch(
        _ model: inout Sequential, epoch: Int, number: Int, progress: inout ProgressReporter,
        shouldStop: (() -> Bool)? = nil
    ) throws -> (loss: Double, accuracy: Double, batches: Int) {
        batches.startEpoch()
        var sums = partial ?? PartialEpoch(batches: 0, lossSum: 0, correct: 0, seen: 0)
        partial = nil
        for batch in sums.batches..<batches.batchCount {
            let done = try trainBatch(batch, &model, epochNumber: number)
            sums.lossSum += done.loss
            sums.correct += done.correct
            sums.seen += done.samples
            sums.batches = batch + 1
            let loss = sums.lossSum / Double(sums.seen)
            progress.batchDone(epoch: epoch, batch: batch + 1, samples: done.samples,
                               loss: loss, accuracy: figure(loss: loss, correct: sums.correct, seen: sums.seen))
            if batch + 1 < batches.batchCount, shouldStop?() == true {
                partial = sums
                return (loss, figure(loss: loss, correct: sums.correct, seen: sums.seen), batch + 1)
            }
        }
        planEpochsDone += 1
        let loss = sums.lossSum / Double(sums.seen)
        return (loss, figure(loss: loss, correct: sums.correct, seen: sums.seen), batches.batchCount)
    }

    /// One optimizer step on batch `batch`: its loss sum, correct predictions and size.
    private mutating func trainBatch(
        _ batch: Int, _ model: inout Sequential, epochNumber: Int
    ) throws -> (loss: Double, correct: Int, samples: Int) {
        let range = try batches.load(batch, into: &workspace)
        let (loss, counted) = step.run(&model, &workspace)
        guard loss.isFinite else {
            throw divergence(epoch: epochNumber, batch: batch + 1, loss: loss / Double(range.count))
        }
        batches.startReadingAhead(after: batch)
        optimizer.learningRate = Float(baseRate * schedule.factor(step: stepsTaken, totalSteps: totalSteps))
        stepsTaken += 1
        optimizer.update(&model)
        let correct = standardizedTargetVariance == nil
            ? counted ?? Trainer.countCorrect(workspace.activations[top], labels: workspace.labels) : 0
        return (loss, correct, range.count)
    }

    /// Where this run stands, for a later run to continue: `model` is the network as trained
    /// (its trainable values are stored only when `storesWeights`, i.e. when the file keeps
    /// other, better weights).
    func state(of model: Sequential, storesWeights: Bool) -> TrainingState? {
        guard let kind = TrainingState.Optimizer(optimizerKind) else { return nil }
        let names = model.trainableTensorNames
        let moments = optimizer.moments
        let weights = storesWeights ? model.trainableValues : []
        var buffers: [TrainingState.Buffer] = []
        for (slot, name) in names.enumerated() {
            if slot < weights.count { buffers.append(.init(tensor: name, slot: .weights, values: weights[slot])) }
            if slot < moments.first.count, !moments.first[slot].isEmpty {
                buffers.append(.init(tensor: name, slot: .firstMoment, values: moments.first[slot]))
            }
            if slot < moments.second.count, !moments.second[slot].isEmpty {
                buffers.append(.init(tensor: name, slot: .secondMoment, values: moments.second[slot]))
            }
        }
        return TrainingState(
            optimizer: kind, stepCount: UInt64(optimizer.stepCount), planEpochs: UInt32(clamping: planEpochs),
            planEpochsDone: UInt32(clamping: planEpochsDone), batchesPerEpoch: UInt32(clamping: batches.batchCount),
            batchesDone: UInt32(clamping: partial?.batches ?? 0),
            shuffleState: (partial == nil ? batches.generator : batches.generatorBeforeShuffle).stateWords,
            partialLossSum: partial?.lossSum ?? 0, partialCorrect: UInt64(partial?.correct ?? 0),
            partialSamples: UInt64(partial?.seen ?? 0), buffers: buffers)
    }

    /// The error for a non-finite `loss` (per sample) in `batch` (1-based) of epoch `epoch`
    /// (1-based, over the whole history).
    func divergence(epoch: Int, batch: Int, loss: Double) -> TrainingError {
        .diverged(epoch: epoch, batch: batch, loss: loss, learningRate: Float(baseRate), optimizer: optimizerKind)
    }

    /// Abandons a batch read under way (training stopped early or failed).
    func finish() {
        batches.cancelReadAhead()
    }
}

extension TrainingState.Optimizer {
    /// The wire id of an ``OptimizerKind``.
    init?(_ kind: OptimizerKind) {
        switch kind {
        case .sgd: self = .sgd
        case .momentum: self = .momentum
        case .nesterov: self = .nesterov
        case .adam: self = .adam
        }
    }

    /// The ``OptimizerKind`` of this wire id.
    var kind: OptimizerKind {
        switch self {
        case .sgd: .sgd
        case .momentum: .momentum
        case .nesterov: .nesterov
        case .adam: .adam
        }
    }
}
