/// Trains a ``Sequential`` network on labelled data with mini-batch gradient descent.
///
/// Each epoch visits the training samples in an order shuffled by
/// `SeededRandom(seed: configuration.seed, stream: .shuffle)` (see spec/training.md), in batches
/// of `batchSize` (when one batch holds them all, in their stored order, unshuffled); after each batch the optimizer steps the weights. The loss is checked after
/// every batch: NaN or infinity stops training with ``TrainingError/diverged(epoch:batch:loss:learningRate:optimizer:)``.
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration

    public init(_ configuration: TrainingConfiguration = TrainingConfiguration()) {
        self.configuration = configuration
    }

    /// Trains `model` in place.
    ///
    /// - Parameters:
    ///   - training: the samples to learn from: a ``Dataset`` in memory, or a stream such as
    ///     ``IDXStream`` that is read batch by batch. Unfitted ``Standardize`` layers are
    ///     fitted on them first.
    ///   - validation: optional held-out samples, evaluated after each epoch and used for early
    ///     stopping.
    ///   - history: the history of earlier training to continue (when resuming).
    ///   - keptEpoch: the epoch of `history` whose weights `model` holds (a file's
    ///     `train.best_epoch` when it was saved with early stopping); `nil` means the last one.
    ///     With patience, a resumed run starts early stopping from these weights, so it never
    ///     keeps weights worse on validation than the ones it was given.
    ///   - progress: called after every batch and once more at the end of each epoch.
    /// - Throws: ``TrainingError``, ``LossError`` or ``ModelError`` when settings, data and
    ///   network do not fit, ``DataError`` when a streamed source cannot be read, or when
    ///   training diverges (the model is then left unusable: do
    ///   not save it).
    public func fit(
        _ model: inout Sequential, on training: some SampleSource, validation: (any SampleSource)? = nil,
        continuing history: TrainingHistory? = nil, keptEpoch: Int? = nil,
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        try configuration.validate()
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
        try model.fitStandardization(on: training)

        var recorder = HistoryRecorder(continuing: history)
        var optimizer = configuration.makeOptimizer()
        var workspace = Workspace(layerCount: model.layers.count)
        var random = SeededRandom(seed: configuration.seed, stream: .shuffle)
        var order = Array(0..<training.sampleCount)
        let batchSize = min(configuration.batchSize, training.sampleCount)
        let batchCount = (training.sampleCount + batchSize - 1) / batchSize
        let top = model.layers.count
        let lossIndex = plan.fusesLastLayer ? top - 1 : top
        var narrow = configuration.usesFusedKernels ? NarrowTraining(model: model, lossIndex: lossIndex) : nil
        // Fused binary cross-entropy computes σ(z) anyway: it fills the output, not the layer.
        let lossWritesOutput = plan.producesSigmoidOutput
        let clock = ContinuousClock()
        let start = clock.now
        var samplesDone = 0
        var step = 0
        let totalSteps = configuration.epochs * batchCount
        let baseRate = Double(optimizer.learningRate)

        var best: (loss: Double, model: Sequential, epoch: Int)?
        // Resuming with patience: the weights given are the ones to beat (spec/training.md §3).
        if configuration.patience != nil, let validation, recorder.epochCount > 0 {
            let loaded = try Trainer.evaluate(model, on: validation, plan: plan)
            let epoch = keptEpoch.flatMap { (1...recorder.epochCount).contains($0) ? $0 : nil } ?? recorder.epochCount
            if loaded.loss.isFinite { best = (loaded.loss, model, epoch) }
        }
        var epochsWithoutImprovement = 0
        var stoppedEarly = false
        var epochsRun = 0

        // Full-batch training (one batch holds the whole split) visits the samples in their
        // stored order: the gradient sums the same samples whatever the order (up to rounding),
        // so a shuffle would only cost time (spec/training.md §3). The batch is gathered once.
        let shuffles = batchCount > 1
        if !shuffles, configuration.epochs > 0 {
            try workspace.gather(training, order: order, range: 0..<training.sampleCount)
        }
        // With a second thread, each batch's rows are read while the batch before it trains.
        let readAhead = shuffles && ComputeOptions.current.threads > 1 ? BatchReadAhead(training) : nil
        defer { readAhead?.cancel() }

        for epoch in 1...max(configuration.epochs, 1) where configuration.epochs > 0 {
            if shuffles {
                for i in order.indices { order[i] = i }
                random.shuffle(&order)
            }
            var lossSum = 0.0
            var correct = 0
            var seen = 0
            for batch in 0..<batchCount {
                let range = batch * batchSize ..< min((batch + 1) * batchSize, training.sampleCount)
                if let readAhead, readAhead.holds(range) {
                    try readAhead.take(into: &workspace)
                } else if shuffles {
                    try workspace.gather(training, order: order, range: range)
                }
                if let readAhead, batch + 1 < batchCount {
                    readAhead.post(order: order, range: range.upperBound ..< min(range.upperBound + batchSize, training.sampleCount))
                }
                // Fused binary cross-entropy on the narrow path: the loss runs inside the forward
                // pass, each half of the batch on the thread that computed its logits.
                let fusedLoss = lossWritesOutput
                    ? narrow?.forwardWithBinaryCrossEntropy(model, &workspace, lossIndex: lossIndex, top: top) : nil
                var fast = fusedLoss != nil
                let batchLoss: Double
                if let fusedLoss {
                    batchLoss = fusedLoss
                } else {
                    fast = narrow?.forward(
                        model, &workspace, lossIndex: lossIndex, top: top, runsFinalLayer: !lossWritesOutput) ?? false
                    if !fast { model.forward(&workspace, layerCount: lossWritesOutput ? top - 1 : top) }
                    batchLoss = Trainer.loss(plan, &workspace, lossIndex: lossIndex, top: top, writesOutput: lossWritesOutput)
                }
                guard batchLoss.isFinite else {
                    throw TrainingError.diverged(
                        epoch: recorder.epochCount + 1, batch: batch + 1,
                        loss: batchLoss / Double(range.count), learningRate: Float(baseRate),
                        optimizer: configuration.optimizer)
                }
                if fast {
                    fast = narrow?.backward(&model, &workspace, lossIndex: lossIndex) ?? false
                    if !fast {  // the kernels refused: redo this batch layer by layer
                        narrow = nil
                        model.forward(&workspace, layerCount: lossIndex)
                    }
                }
                if !fast { model.backward(&workspace, from: lossIndex) }
                optimizer.learningRate = Float(baseRate * configuration.schedule.factor(step: step, totalSteps: totalSteps))
                step += 1
                optimizer.update(&model)
                lossSum += batchLoss
                correct += Trainer.countCorrect(workspace.activations[top], labels: workspace.labels)
                seen += range.count
                samplesDone += range.count
                if let progress {
                    let elapsed = Trainer.seconds(clock.now - start)
                    progress(TrainingProgress(
                        epoch: epoch, epochs: configuration.epochs, batch: batch + 1,
                        batchCount: batchCount, loss: lossSum / Double(seen),
                        accuracy: Double(correct) / Double(seen),
                        samplesPerSecond: elapsed > 0 ? Double(samplesDone) / elapsed : 0,
                        elapsedSeconds: elapsed, validationLoss: nil, validationAccuracy: nil,
                        isEpochEnd: false))
                }
            }
            epochsRun = epoch
            let trainLoss = lossSum / Double(seen)
            let trainAccuracy = Double(correct) / Double(seen)
            var validationResult: Evaluation?
            if let validation {
                let result = try Trainer.evaluate(model, on: validation, plan: plan)
                guard result.loss.isFinite else {
                    throw TrainingError.diverged(
                        epoch: recorder.epochCount + 1, batch: batchCount, loss: result.loss,
                        learningRate: Float(baseRate), optimizer: configuration.optimizer)
                }
                validationResult = result
            }
            recorder.append(trainLoss: trainLoss, trainAccuracy: trainAccuracy, validation: validationResult)
            if let progress {
                let elapsed = Trainer.seconds(clock.now - start)
                progress(TrainingProgress(
                    epoch: epoch, epochs: configuration.epochs, batch: batchCount,
                    batchCount: batchCount, loss: trainLoss, accuracy: trainAccuracy,
                    samplesPerSecond: elapsed > 0 ? Double(samplesDone) / elapsed : 0,
                    elapsedSeconds: elapsed, validationLoss: validationResult?.loss,
                    validationAccuracy: validationResult?.accuracy, isEpochEnd: true))
            }
            if let patience = configuration.patience, let validationResult {
                if best == nil || validationResult.loss < best?.loss ?? .infinity {
                    best = (validationResult.loss, model, recorder.epochCount)
                    epochsWithoutImprovement = 0
                } else {
                    epochsWithoutImprovement += 1
                    if epochsWithoutImprovement >= patience {
                        stoppedEarly = epoch < configuration.epochs
                        break
                    }
                }
            }
        }
        if let best { model = best.model }
        return TrainingResult(
            history: recorder.history, epochsRun: epochsRun, stoppedEarly: stoppedEarly,
            bestEpoch: best?.epoch, lossPlan: plan)
    }

    /// Mean loss and accuracy of `model` on `data`, in batches of 256 (no training).
    /// - Throws: ``DataError`` when a streamed source cannot be read.
    public static func evaluate(_ model: Sequential, on data: some SampleSource, plan: LossPlan) throws -> Evaluation {
        guard data.sampleCount > 0, data.featureCount == model.inputCount else {
            return Evaluation(loss: .nan, accuracy: .nan, sampleCount: 0)
        }
        var workspace = Workspace(layerCount: model.layers.count)
        let order = Array(0..<data.sampleCount)
        let top = model.layers.count
        let lossIndex = plan.fusesLastLayer ? top - 1 : top
        var unused = Matrix.empty
        var lossSum = 0.0
        var correct = 0
        var start = 0
        while start < data.sampleCount {
            let range = start ..< min(start + 256, data.sampleCount)
            try workspace.gather(data, order: order, range: range)
            model.forward(&workspace)
            lossSum += plan.evaluate(
                workspace.activations[lossIndex], labels: workspace.labels, gradient: &unused,
                computesGradient: false)
            correct += countCorrect(workspace.activations[top], labels: workspace.labels)
            start = range.upperBound
        }
        let count = Double(data.sampleCount)
        return Evaluation(loss: lossSum / count, accuracy: Double(correct) / count, sampleCount: data.sampleCount)
    }

    /// The loss of the batch in `workspace` (its sum over the batch), with its gradient put into
    /// `workspace.gradients[lossIndex]` and, for fused binary cross-entropy with `writesOutput`,
    /// σ(logit) into `workspace.activations[top]`.
    static func loss(_ plan: LossPlan, _ workspace: inout Workspace, lossIndex: Int, top: Int,
                     writesOutput: Bool) -> Double {
        var gradient = Matrix.empty
        var output = Matrix.empty
        swap(&gradient, &workspace.gradients[lossIndex])
        if writesOutput { swap(&output, &workspace.activations[top]) }
        defer {
            swap(&gradient, &workspace.gradients[lossIndex])
            if writesOutput { swap(&output, &workspace.activations[top]) }
        }
        return plan.evaluate(
            workspace.activations[lossIndex], labels: workspace.labels, gradient: &gradient, computesGradient: true,
            sigmoidOutput: &output, writesSigmoidOutput: writesOutput)
    }

    /// Throws unless `data` has the network's input width and labels in range.
    static func check(_ data: some SampleSource, fits model: Sequential) throws {
        guard data.featureCount == model.inputCount else {
            throw ModelError.inputWidthMismatch(expected: model.inputCount, found: data.featureCount)
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

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

extension Sequential {
    /// Rows pushed through the earlier layers at a time while fitting ``Standardize`` layers:
    /// memory stays bounded however many rows the training split has and however wide the
    /// earlier layers are.
    static let standardizationChunkRows = 256

    /// Fits every unfitted ``Standardize`` layer on `features` as they reach that layer.
    ///
    /// The rows travel through the earlier layers in chunks of ``standardizationChunkRows``;
    /// every layer computes each row on its own, and the statistics accumulate row by row in
    /// order, so the result has the same bits as one pass over all rows (spec/training.md §1).
    public mutating func fitStandardization(on features: Matrix) {
        fitStandardization { visit in
            var chunk = Matrix.empty
            var start = 0
            while start < features.rows {
                let end = min(start + Self.standardizationChunkRows, features.rows)
                chunk.reshape(rows: end - start, columns: features.columns)
                chunk.storage.withUnsafeMutableBufferPointer { target in
                    features.storage.withUnsafeBufferPointer { all in
                        let from = start * features.columns
                        for i in 0..<target.count { target[i] = all[from + i] }
                    }
                }
                visit(chunk)
                start = end
            }
        }
    }

    /// Fits every unfitted ``Standardize`` layer on the features of `samples`, read chunk by
    /// chunk (the same bits as ``fitStandardization(on:)-(Matrix)`` on the same rows). When a
    /// read fails the model is left as it was and the error is thrown.
    public mutating func fitStandardization(on samples: some SampleSource) throws {
        var failure: (any Error)?
        var fitted = self
        fitted.fitStandardization { visit in
            guard failure == nil else { return }
            do {
                try samples.forEachChunk(chunkRows: Self.standardizationChunkRows) { chunk, _ in visit(chunk) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        self = fitted
    }

    /// The shared walk: `rows` hands over the input rows chunk by chunk (and must hand over the
    /// same ones each time it is called); each unfitted ``Standardize`` layer sees them after
    /// the layers before it.
    private mutating func fitStandardization(rows: ((Matrix) -> Void) -> Void) {
        for index in layers.indices {
            guard var layer = layers[index] as? Standardize, !layer.isFitted else { continue }
            let earlierLayers = layers[..<index]
            layer.fit(chunks: { visit in
                // `rows` and `visit` are both non-escaping and neither outlives this call.
                withoutActuallyEscaping(visit) { visit in
                    rows { chunk in
                        var current = chunk
                        var next = Matrix.empty
                        for earlier in earlierLayers {
                            earlier.forward(current, into: &next)
                            swap(&current, &next)
                        }
                        visit(current)
                    }
                }
            })
            layers[index] = layer
        }
    }
}
