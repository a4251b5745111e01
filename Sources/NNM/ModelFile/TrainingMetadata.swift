import NNMFormat

/// The metadata keys NNM writes, so readers (the inspector, a resumed run) agree on names.
public enum MetadataKey {
    public static let producer = "nnm.producer"
    public static let optimizer = "train.optimizer"
    public static let learningRate = "train.lr"
    public static let momentum = "train.momentum"
    public static let weightDecay = "train.weight_decay"
    public static let epochs = "train.epochs"
    public static let epochsRun = "train.epochs_run"
    public static let batchSize = "train.batch_size"
    public static let loss = "train.loss"
    public static let seed = "train.seed"
    public static let patience = "train.patience"
    public static let schedule = "train.lr_schedule"
    public static let bestEpoch = "train.best_epoch"
    /// `true` when the run kept the weights of its best validation epoch (nnm-train's default
    /// with a validation split); absent when it kept the last ones.
    public static let keepBest = "train.keep_best"
    public static let initializer = "train.init"
    /// A run stopped by `shouldStop` (Ctrl-C): the epoch it stopped in and the batches of
    /// that epoch trained (`ModelFile.interruption(from:)` reads them).
    public static let interruptedEpoch = ModelFile.interruptedEpochKey
    public static let interruptedBatch = ModelFile.interruptedBatchKey
    public static let testAccuracy = "eval.test_accuracy"
    public static let testLoss = "eval.test_loss"
    public static let testROCAUC = "eval.test_roc_auc"
    public static let trainAccuracy = "eval.train_accuracy"
    public static let validationAccuracy = "eval.val_accuracy"
    /// Regression (in the target's units): R² of each part, and the test MSE, RMSE and MAE.
    public static let trainR2 = "eval.train_r2"
    public static let validationR2 = "eval.val_r2"
    public static let testR2 = "eval.test_r2"
    public static let testMSE = "eval.test_mse"
    public static let testRMSE = "eval.test_rmse"
    public static let testMAE = "eval.test_mae"
    /// The prefix of the class-name keys `data.class_names.0`, `data.class_names.1`, …:
    /// one string per class, written when the training data names its classes (a CSV label
    /// column). Read them with `ModelFile.classNames(from:)`, which parses the index from the
    /// key (keys sort bytewise, so `.10` comes before `.2`).
    public static let classNamePrefix = ModelFile.classNameKeyPrefix
    /// The key of class `index`'s name.
    public static func className(_ index: Int) -> String { ModelFile.classNameKey(index) }
}

extension TrainingConfiguration {
    /// The hyperparameters as `train.*` metadata (the resolved loss and learning rate).
    public func metadata(loss resolvedLoss: Loss) -> [String: MetadataValue] {
        var values: [String: MetadataValue] = [
            MetadataKey.optimizer: .string(optimizer.rawValue),
            MetadataKey.learningRate: .double(effectiveLearningRate.shortestDouble),
            MetadataKey.epochs: .int(Int64(epochs)),
            MetadataKey.batchSize: .int(Int64(batchSize)),
            MetadataKey.loss: .string(resolvedLoss.rawValue),
            MetadataKey.seed: .int(Int64(bitPattern: seed)),
            MetadataKey.weightDecay: .double(weightDecay.shortestDouble),
            MetadataKey.schedule: .string(schedule.rawValue),
        ]
        if optimizer == .momentum || optimizer == .nesterov {
            values[MetadataKey.momentum] = .double(momentum.shortestDouble)
        }
        if let patience { values[MetadataKey.patience] = .int(Int64(patience)) }
        if keepsBestWeights { values[MetadataKey.keepBest] = .bool(true) }
        return values
    }

    /// Settings recorded in a file's metadata, over `defaults` (for resuming training with the
    /// hyperparameters a model was trained with). Unknown or malformed values are ignored.
    public init(metadata: [String: MetadataValue], defaults: TrainingConfiguration = TrainingConfiguration()) {
        self = defaults
        if case .string(let name)? = metadata[MetadataKey.optimizer], let kind = OptimizerKind(rawValue: name) {
            optimizer = kind
        }
        if case .double(let value)? = metadata[MetadataKey.learningRate] { learningRate = Float(value) }
        if case .double(let value)? = metadata[MetadataKey.momentum] { momentum = Float(value) }
        if case .double(let value)? = metadata[MetadataKey.weightDecay] { weightDecay = Float(value) }
        if case .int(let value)? = metadata[MetadataKey.epochs], value >= 0, value <= 1_000_000 { epochs = Int(value) }
        if case .int(let value)? = metadata[MetadataKey.batchSize], value >= 1, value <= 1 << 20 { batchSize = Int(value) }
        if case .string(let name)? = metadata[MetadataKey.loss], let value = Loss(rawValue: name) { loss = value }
        if case .int(let value)? = metadata[MetadataKey.seed] { seed = UInt64(bitPattern: value) }
        if case .string(let name)? = metadata[MetadataKey.schedule], let value = LearningRateSchedule(rawValue: name) {
            schedule = value
        }
        if case .int(let value)? = metadata[MetadataKey.patience], value >= 1, value <= 1_000_000 { patience = Int(value) }
        keepsBestWeights = metadata[MetadataKey.keepBest] == .bool(true)
    }
}

extension Float {
    /// The binary64 value of this float's shortest decimal form (0.01 → 0.01, not
    /// 0.009999999776…), so metadata shows the number the user typed.
    public var shortestDouble: Double { Double(description) ?? Double(self) }
}
