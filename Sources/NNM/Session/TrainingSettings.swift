import NNMFormat

/// What a training run is asked to do: the choices `nnm-train`'s flags make, as values.
///
/// Every property left `nil` takes the resumed model's value when there is one, else NNM's
/// default, so that the library and `nnm-train` decide alike: the same settings give the
/// same `.nnm` bytes whichever of them trains.
public struct TrainingSettings: Sendable {
    // MARK: Data

    /// The data to train on; `nil` continues on the resumed model's data, else ``defaultDataset``.
    public var dataset: DatasetChoice?
    /// Generator parameters and CSV options for `dataset` (each `nil` takes its default).
    /// Changing the data of a resumed model needs `dataset` as well.
    public var dataOptions = DataSourceOptions()
    /// Seeds the data, the split, the initial weights and the shuffling; `nil` keeps the
    /// resumed model's seed, else ``defaultSeed``.
    public var seed: UInt64?
    public var validationFraction: Double?
    public var testFraction: Double?

    // MARK: Network (a new model only; a resumed one keeps its own)

    /// The network to build; `nil` is a classifier with ``defaultHidden`` ReLU layers.
    public var network: NetworkChoice?
    /// `nil` picks He before ReLU and Xavier otherwise (spec/training.md §2).
    public var initializer: WeightInitializer?

    // MARK: Training (nil: the resumed model's value, else the default)

    public var loss: Loss?
    public var optimizer: OptimizerKind?
    public var learningRate: Float?
    public var schedule: LearningRateSchedule?
    public var momentum: Float?
    public var weightDecay: Float?
    public var epochs: Int?
    public var batchSize: Int?
    /// Epochs without a lower validation loss before training stops; 0 turns early stopping
    /// off (also ``defaultRegressionPatience`` and a resumed model's); nil: the default.
    public var patience: Int?
    /// Keep the weights of the best validation epoch (see
    /// ``TrainingConfiguration/keepsBestWeights``); nil: the resumed model's choice, else
    /// ``defaultKeepsBestWeights``.
    public var keepsBestWeights: Bool?
    /// Stop after this many epochs of a run planned for ``epochs`` (its schedule and
    /// `train.epochs` are the plan's): a later resume continues the plan exactly.
    public var stopAfterEpochs: Int?
    /// Whether the file keeps the training state (optimizer buffers, schedule, shuffle) a
    /// resumed run continues exactly (the `trst` section, format 1.1). On by default.
    public var savesTrainingState = true
    /// How many epochs' weights the file keeps for `nnm-render evolution` (the `snap` section,
    /// format 1.1; ``SnapshotSchedule`` picks the epochs): 0 … ``WeightSnapshots/maxSnapshots``,
    /// 0 = none. Not with ``resume``.
    public var snapshots = 0

    // MARK: Continuing and recording

    /// A model to continue training: its network, weights and history, and (unless `dataset`
    /// is given) its data recipe and hyperparameters.
    public var resume: NNMModel?
    /// What the file records as its producer (`nnm.producer`). The default is the one
    /// `nnm-train` records, so a library run and the tool write the same bytes.
    public var producer = TrainingSettings.defaultProducer

    public init() {}

    public static let defaultDataset = DatasetChoice.circles
    /// The most ``snapshots`` one file keeps.
    public static let maxSnapshots = WeightSnapshots.maxSnapshots
    public static let defaultSeed: UInt64 = 42
    public static let defaultHidden = [16, 16]
    public static let defaultSchedule = LearningRateSchedule.cosine
    /// Off: measured in README ("Defaults that do not overfit"), keeping the lowest
    /// validation-loss epoch of a 10 % validation split lowered test accuracy on circles, wine
    /// and digits as often as it raised it elsewhere; nnm-train warns instead when the final
    /// validation loss is far above its minimum (``OverfitWarning``).
    public static let defaultKeepsBestWeights = false
    /// Early stopping for a new regression run with validation data: small tabular regression
    /// sets (a few hundred rows) overfit within tens of epochs of Adam at lr 0.01, and keeping
    /// the weights of the best validation loss is what brought scikit-learn's R² within reach
    /// on them (README, Results). Classification keeps no default patience.
    public static let defaultRegressionPatience = 20
    public static let defaultProducer = "nnm-train (\(NNMVersion.producer))"
}

/// The shape of a new network.
public enum NetworkChoice: Sendable, Hashable {
    /// `hidden` linear layers each followed by `activation`, then the head the class count
    /// calls for (see ``Architecture/classifier(inputCount:hidden:activation:classCount:standardizes:)``).
    case classifier(hidden: [Int], activation: HiddenActivation)
    /// Every layer written out, as `--layers` takes it: `linear:32,tanh,linear:1,sigmoid`.
    case layers(String)
}
