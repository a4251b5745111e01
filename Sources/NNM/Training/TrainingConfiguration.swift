#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNMFormat

/// Everything that decides how a network is trained. Same configuration, data and network →
/// the same weights, bit for bit.
public struct TrainingConfiguration: Sendable {
    /// Passes over the training data (an upper bound when early stopping is on).
    public var epochs: Int
    /// Samples per gradient step (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// nil picks ``Loss/defaultLoss(for:)``.
    public var loss: Loss?
    public var optimizer: OptimizerKind
    /// nil picks the optimizer's ``OptimizerKind/defaultLearningRate``.
    public var learningRate: Float?
    /// μ for momentum and Nesterov.
    public var momentum: Float
    /// L2 penalty λ on weights (0 = off).
    public var weightDecay: Float
    /// Seeds the shuffling stream (`SeededRandom(seed:stream: .shuffle)`).
    public var seed: UInt64
    /// Stop after this many epochs without a lower validation loss and restore the best
    /// weights; nil = never stop early. Needs validation data.
    public var patience: Int?
    /// Keep the weights of the epoch with the lowest validation loss (restored at the end)
    /// even without `patience`: training runs all its epochs, the result never being a later,
    /// overfit epoch's. Needs validation data; without it the last weights are kept.
    public var keepsBestWeights = false
    /// How the learning rate changes over the planned epochs.
    public var schedule: LearningRateSchedule
    /// The epochs the schedule is planned for, when the run is to stop before them on purpose
    /// (`--stop-after`: a later `--resume` continues the plan); nil plans for `epochs`.
    public var scheduledEpochs: Int? = nil
    /// Lets narrow networks (all widths ≤ `Ops.narrowMaximumWidth`, Linear/ReLU below the
    /// loss) train through the fused whole-network kernels. Their batch sums use a fixed
    /// 16-partial split (spec/training.md §1), so turning this off (for tests and comparisons)
    /// gives weights equal to rounding, not the same bits.
    public var usesFusedKernels = true
    /// How many epochs' weights to keep for the file's `snap` section (``SnapshotSchedule``
    /// picks which); 0 keeps none.
    public var snapshotCount = 0

    public init(
        epochs: Int = TrainingConfiguration.defaultEpochs,
        batchSize: Int = TrainingConfiguration.defaultBatchSize,
        loss: Loss? = nil, optimizer: OptimizerKind = .adam, learningRate: Float? = nil,
        momentum: Float = 0.9, weightDecay: Float = 0, seed: UInt64 = 0, patience: Int? = nil,
        schedule: LearningRateSchedule = .constant
    ) {
        self.schedule = schedule
        self.epochs = epochs
        self.batchSize = batchSize
        self.loss = loss
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.seed = seed
        self.patience = patience
    }

    public static let defaultEpochs = 200
    public static let defaultBatchSize = 32

    /// The epochs the learning-rate schedule (and `train.epochs`) is planned for.
    public var plannedEpochs: Int { max(epochs, scheduledEpochs ?? epochs) }

    /// The learning rate actually used.
    public var effectiveLearningRate: Float { learningRate ?? optimizer.defaultLearningRate }

    /// Checks the numbers a user can type.
    public func validate() throws {
        guard epochs >= 0, epochs <= 1_000_000 else { throw TrainingError.invalidSetting("epochs must be between 0 and 1000000, got \(epochs)") }
        guard batchSize >= 1, batchSize <= 1 << 20 else { throw TrainingError.invalidSetting("batch size must be between 1 and 1048576, got \(batchSize)") }
        let lr = effectiveLearningRate
        guard lr.isFinite, lr > 0 else { throw TrainingError.invalidSetting("learning rate must be a positive number, got \(lr)") }
        guard momentum.isFinite, momentum >= 0, momentum < 1 else { throw TrainingError.invalidSetting("momentum must be in [0, 1), got \(momentum)") }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw TrainingError.invalidSetting("weight decay must be ≥ 0, got \(weightDecay)") }
        if let patience, patience < 1 { throw TrainingError.invalidSetting("patience must be at least 1, got \(patience)") }
    }

    /// A fresh optimizer for this configuration.
    public func makeOptimizer() -> Optimizer {
        Optimizer(optimizer, learningRate: effectiveLearningRate, momentum: momentum, weightDecay: weightDecay)
    }
}

/// The learning rate over training, as a factor of the base rate.
public enum LearningRateSchedule: String, CaseIterable, Sendable {
    /// The base rate throughout.
    case constant
    /// Cosine decay per step, from the base rate to 0 at the end of the planned epochs:
    /// `rate = base · ½(1 + cos(π · step / totalSteps))` (binary64, rounded to float32), step
    /// counted from 0 over this run. Small final steps settle the weights near a minimum.
    case cosine

    /// The factor for step `step` of `totalSteps`.
    public func factor(step: Int, totalSteps: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case .cosine:
            guard totalSteps > 0 else { return 1 }
            return 0.5 * (1 + doubleCos(Double.pi * Double(min(step, totalSteps)) / Double(totalSteps)))
        }
    }
}

/// Why training stopped with an error.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case invalidSetting(String)
    /// The loss became NaN or infinite: the weights are useless and are not saved.
    case diverged(epoch: Int, batch: Int, loss: Double, learningRate: Float, optimizer: OptimizerKind)
    case emptyTrainingData
    /// Validation or test data whose feature or class counts differ from the training data.
    case inconsistentData(String)
    /// `shouldStop` said stop before the first batch, while the standardization was fitted.
    case interruptedBeforeTraining

    public var description: String {
        switch self {
        case .invalidSetting(let message):
            return message
        case let .diverged(epoch, batch, loss, learningRate, optimizer):
            return Self.divergenceMessage(
                epoch: epoch, batch: batch, loss: loss, learningRate: learningRate, optimizer: optimizer)
        case .emptyTrainingData:
            return "there are no training samples (check --samples and the split fractions)"
        case .inconsistentData(let message):
            return message
        case .interruptedBeforeTraining:
            return "interrupted before the first batch, while the standardization was fitted: nothing was trained"
        }
    }

    /// A learning rate worth trying after `learningRate` diverged: a tenth of it, or the
    /// optimizer's default when that is smaller still (after 1e30, "1e+29" helps no one).
    public static func suggestedLearningRate(after learningRate: Float, optimizer: OptimizerKind) -> Double {
        min(Double(learningRate) / 10, Double(optimizer.defaultLearningRate))
    }

    /// The divergence line. `suggestionPrefix` goes before the suggested rate, so a command-line
    /// tool can name its flag ("--lr ").
    public static func divergenceMessage(
        epoch: Int, batch: Int, loss: Double, learningRate: Float, optimizer: OptimizerKind,
        suggestionPrefix: String = ""
    ) -> String {
        let value = loss.isNaN ? "NaN" : loss > 0 ? "infinite" : "-infinite"
        let suggestion = suggestedLearningRate(after: learningRate, optimizer: optimizer)
        return "training diverged at epoch \(epoch), batch \(batch): the loss became \(value). "
            + "Try a smaller learning rate than \(formatted(Double(learningRate))), e.g. \(suggestionPrefix)\(formatted(suggestion))"
    }

    /// A learning rate as people write one: 0.01, 0.0005, 1e-06, 1e+30 (3 significant digits).
    static func formatted(_ rate: Double) -> String {
        PrintfText.string("%.3g", rate)
    }
}
