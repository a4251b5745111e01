/// The clock and sample count behind the progress callback of ``Trainer/fit(_:on:validation:continuing:keptEpoch:progress:)``:
/// one report after every batch, one more at the end of each epoch.
struct ProgressReporter {
    private let report: ((TrainingProgress) -> Void)?
    private let epochs: Int
    private let batchCount: Int
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var samplesDone = 0
    private let task: LearningTask

    init(_ report: ((TrainingProgress) -> Void)?, epochs: Int, batchCount: Int, task: LearningTask = .classification) {
        self.report = report
        self.task = task
        self.epochs = epochs
        self.batchCount = batchCount
        start = clock.now
    }

    /// After batch `batch` (1-based) of `samples` samples; `loss` and `accuracy` are the
    /// epoch's so far.
    mutating func batchDone(epoch: Int, batch: Int, samples: Int, loss: Double, accuracy: Double) {
        samplesDone += samples
        guard let report else { return }
        let elapsed = elapsedSeconds
        report(TrainingProgress(
            epoch: epoch, epochs: epochs, batch: batch, batchCount: batchCount, task: task, loss: loss, accuracy: accuracy,
            samplesPerSecond: elapsed > 0 ? Double(samplesDone) / elapsed : 0,
            elapsedSeconds: elapsed, validationLoss: nil, validationAccuracy: nil, isEpochEnd: false))
    }

    /// After the epoch and its validation.
    func epochDone(epoch: Int, loss: Double, accuracy: Double, validation: Evaluation?) {
        guard let report else { return }
        let elapsed = elapsedSeconds
        report(TrainingProgress(
            epoch: epoch, epochs: epochs, batch: batchCount, batchCount: batchCount, task: task, loss: loss, accuracy: accuracy,
            samplesPerSecond: elapsed > 0 ? Double(samplesDone) / elapsed : 0,
            elapsedSeconds: elapsed, validationLoss: validation?.loss,
            validationAccuracy: validation?.regression?.r2 ?? validation?.accuracy, isEpochEnd: true))
    }

    private var elapsedSeconds: Double { (clock.now - start).seconds }
}
