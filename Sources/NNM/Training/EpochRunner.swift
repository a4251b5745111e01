/// One run's training epochs: each batch read, stepped forward and back by the run's
/// ``TrainingStep``, and the optimizer's update at the scheduled learning rate.
///
/// What lives across epochs lives here: the step strategy, the batches and their order, the
/// optimizer (with its moments), the step count the schedule follows, and the buffers.
struct EpochRunner<Source: SampleSource> {
    private var step: TrainingStep
    private var batches: TrainingBatches<Source>
    private var optimizer: Optimizer
    private var workspace: Workspace
    private let schedule: LearningRateSchedule
    private let optimizerKind: OptimizerKind
    private let baseRate: Double
    private let totalSteps: Int
    private var stepsTaken = 0
    /// Index of the network's output in `workspace.activations`.
    private let top: Int
    /// Regression: the variance of the standardized training targets, the denominator of the
    /// running R² (1 when the final Rescale was fitted on these targets); nil for classes.
    private let standardizedTargetVariance: Double?

    init(model: Sequential, training: Source, plan: LossPlan, configuration: TrainingConfiguration) {
        step = TrainingStep(model: model, plan: plan, usesFusedKernels: configuration.usesFusedKernels)
        batches = TrainingBatches(training, batchSize: configuration.batchSize, seed: configuration.seed)
        optimizer = configuration.makeOptimizer()
        workspace = Workspace(layerCount: model.layers.count)
        schedule = configuration.schedule
        optimizerKind = configuration.optimizer
        baseRate = Double(optimizer.learningRate)
        totalSteps = configuration.epochs * batches.batchCount
        top = model.layers.count
        if let scaling = plan.targetScaling, let targets = training.targets, let scale = scaling.scale.first {
            let deviation = TargetStatistics(targets).standardDeviation / Double(scale)
            standardizedTargetVariance = deviation * deviation
        } else {
            standardizedTargetVariance = nil
        }
    }

    /// The epoch's second figure: accuracy, or for regression the R² of the running loss.
    private func figure(loss: Double, correct: Int, seen: Int) -> Double {
        guard let variance = standardizedTargetVariance else { return Double(correct) / Double(seen) }
        return variance > 0 ? 1 - loss / variance : .nan
    }

    var batchCount: Int { batches.batchCount }
    var path: TrainingStep.Path { step.path }

    /// Trains `model` on the batches of one epoch: all of them, unless `shouldStop` (asked
    /// after each batch but the last) says to stop. Returns the epoch's loss (the batch sums
    /// added in batch order, over the samples seen), accuracy, and the batches trained.
    /// - Parameter number: the epoch's number in the whole history, for a divergence report.
    /// - Throws: ``TrainingError/diverged(epoch:batch:loss:learningRate:optimizer:)``, or the
    ///   source's error when its rows cannot be read.
    mutating func trainEpoch(
        _ model: inout Sequential, epoch: Int, number: Int, progress: inout ProgressReporter,
        shouldStop: (() -> Bool)? = nil
    ) throws -> (loss: Double, accuracy: Double, batches: Int) {
        batches.startEpoch()
        var lossSum = 0.0
        var correct = 0
        var seen = 0
        for batch in 0..<batches.batchCount {
            let done = try trainBatch(batch, &model, epochNumber: number)
            lossSum += done.loss
            correct += done.correct
            seen += done.samples
            let loss = lossSum / Double(seen)
            progress.batchDone(epoch: epoch, batch: batch + 1, samples: done.samples,
                               loss: loss, accuracy: figure(loss: loss, correct: correct, seen: seen))
            if batch + 1 < batches.batchCount, shouldStop?() == true {
                return (loss, figure(loss: loss, correct: correct, seen: seen), batch + 1)
            }
        }
        let loss = lossSum / Double(seen)
        return (loss, figure(loss: loss, correct: correct, seen: seen), batches.batchCount)
    }

    /// One optimizer step on batch `batch`: its loss sum, correct predictions and size.
    private mutating func trainBatch(
        _ batch: Int, _ model: inout Sequential, epochNumber: Int
    ) throws -> (loss: Double, correct: Int, samples: Int) {
        let range = try batches.load(batch, into: &workspace)
        let loss = step.forward(model, &workspace)
        guard loss.isFinite else {
            throw divergence(epoch: epochNumber, batch: batch + 1, loss: loss / Double(range.count))
        }
        step.backward(&model, &workspace)
        optimizer.learningRate = Float(baseRate * schedule.factor(step: stepsTaken, totalSteps: totalSteps))
        stepsTaken += 1
        optimizer.update(&model)
        let correct = standardizedTargetVariance == nil
            ? Trainer.countCorrect(workspace.activations[top], labels: workspace.labels) : 0
        return (loss, correct, range.count)
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
