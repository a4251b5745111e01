import NNMFormat

/// A snapshot of training, handed to the progress callback after every batch.
public struct TrainingProgress: Sendable {
    /// 1-based epoch number and the planned number of epochs.
    public var epoch: Int
    public var epochs: Int
    /// 1-based batch number within the epoch, and batches per epoch.
    public var batch: Int
    public var batchCount: Int
    /// Classification or regression: says what ``accuracy`` and ``validationAccuracy`` hold.
    public var task: LearningTask = .classification
    /// Mean per-sample loss and accuracy over the batches of this epoch so far. For regression
    /// `accuracy` is the R² so far (on the standardized training targets, 1 − loss/variance).
    public var loss: Double
    public var accuracy: Double
    /// Training throughput since training began (wall clock; never stored in files).
    public var samplesPerSecond: Double
    /// Seconds since training began.
    public var elapsedSeconds: Double
    /// Set on the last report of an epoch, when validation data exists.
    public var validationLoss: Double?
    /// For regression: the validation R², in the target's units.
    public var validationAccuracy: Double?
    /// True on the report made once the epoch is complete (after validation).
    public var isEpochEnd: Bool

    /// Estimated seconds until the planned epochs are done.
    public var remainingSeconds: Double {
        let done = Double(epoch - 1) + Double(batch) / Double(max(batchCount, 1))
        guard done > 0 else { return 0 }
        return elapsedSeconds * (Double(epochs) - done) / done
    }
}

/// What a finished training run produced besides the trained weights.
public struct TrainingResult: Sendable {
    /// Per-epoch `train_loss`, `train_accuracy`, `val_loss`, `val_accuracy` (NaN when there is
    /// no validation data), continuing any history passed in.
    public var history: TrainingHistory
    /// Epochs run in this call.
    public var epochsRun: Int
    /// True when early stopping ended training before the planned epochs.
    public var stoppedEarly: Bool
    /// The epoch (1-based, counted over the whole history) whose weights the model holds
    /// after early stopping restored the best ones; nil without early stopping.
    public var bestEpoch: Int?
    /// The loss used and whether it fused the last layer.
    public var lossPlan: LossPlan
    /// Where `shouldStop` ended training before the planned epochs; nil when it did not.
    public var interruption: ModelFile.Interruption? = nil
    /// Where training stands at the end (optimizer buffers, schedule, shuffle), for the file's
    /// `trst` section; nil for an optimizer the format has no id for.
    public var trainingState: TrainingState? = nil
    /// The epochs the learning-rate schedule was planned for (`train.epochs`).
    public var plannedEpochs: Int = 0
    /// The weights at the epochs ``TrainingConfiguration/snapshotCount`` asked for, in order.
    public var snapshots: [TrainedSnapshot] = []
    /// The validation figures of the weights returned, when the run computed them: its last
    /// epoch's validation pass, when those are the weights returned. nil without validation data
    /// or when early stopping returned other weights (an earlier epoch's, or the loaded ones). A
    /// report need not evaluate the validation part again
    /// (``SplitReport/init(model:split:plan:validation:)``).
    public var finalValidation: Evaluation? = nil
}

/// Loss and accuracy (classification) or MSE, RMSE, MAE and R² (regression) of a network on
/// some data.
public struct Evaluation: Sendable, Equatable {
    /// Mean per-sample loss (for regression: squared error on standardized targets).
    public var loss: Double
    /// Fraction of samples whose predicted class is the label; NaN for regression.
    public var accuracy: Double
    public var sampleCount: Int
    /// Regression: the predictions against the targets, in the target's units; nil for
    /// classification.
    public var regression: RegressionMetrics?

    public init(loss: Double, accuracy: Double, sampleCount: Int, regression: RegressionMetrics? = nil) {
        self.loss = loss
        self.accuracy = accuracy
        self.sampleCount = sampleCount
        self.regression = regression
    }
}
