/// Where training stood when a file was written, so that a resumed run continues exactly
/// (the `trst` ancillary section, format 1.1, spec/nnm-format.md §10a): the optimizer's
/// buffers and step count, the learning-rate schedule's plan and position, the shuffle
/// generator, and the sums of an epoch stopped part-way.
///
/// A model without it is complete for inference; only continuing training needs it.
public struct TrainingState: Sendable, Hashable {
    /// The update rule the buffers belong to (wire ids 1–4).
    public enum Optimizer: UInt8, Sendable, Hashable, CaseIterable {
        case sgd = 1, momentum = 2, nesterov = 3, adam = 4

        /// The buffer slots this rule keeps besides the continuing weights: none for SGD, the
        /// velocity for momentum and Nesterov, both moments for Adam.
        public var slots: Set<Slot> {
            switch self {
            case .sgd: [.weights]
            case .momentum, .nesterov: [.weights, .firstMoment]
            case .adam: [.weights, .firstMoment, .secondMoment]
            }
        }
    }

    /// What a buffer holds (wire ids 0–2).
    public enum Slot: UInt8, Sendable, Hashable, Comparable {
        /// The weights training continues from, when the file's tensors hold other (earlier,
        /// better on validation) weights.
        case weights = 0
        /// Adam's `m`, or the momentum velocity `v`.
        case firstMoment = 1
        /// Adam's `v`.
        case secondMoment = 2

        public static func < (a: Slot, b: Slot) -> Bool { a.rawValue < b.rawValue }
    }

    /// One float32 array the size of a parameter tensor.
    public struct Buffer: Sendable, Hashable {
        /// The name of the tensor (in `TENS`) it belongs to.
        public var tensor: String
        public var slot: Slot
        public var values: [Float]
        public init(tensor: String, slot: Slot, values: [Float]) {
            self.tensor = tensor
            self.slot = slot
            self.values = values
        }
    }

    public var optimizer: Optimizer
    /// Optimizer steps taken over every run that led here (Adam's `t`).
    public var stepCount: UInt64
    /// The epochs the learning-rate schedule is planned for.
    public var planEpochs: UInt32
    /// Complete epochs of that plan trained so far.
    public var planEpochsDone: UInt32
    /// Batches (optimizer steps) in one epoch of the plan.
    public var batchesPerEpoch: UInt32
    /// Batches of the epoch under way (0 at an epoch boundary).
    public var batchesDone: UInt32
    /// The shuffle generator's xoshiro256** state before the shuffle of the epoch under way
    /// (at a boundary: of the next epoch).
    public var shuffleState: [UInt64]
    /// The epoch under way so far: its batch loss sums added, correct predictions and samples.
    public var partialLossSum: Double
    public var partialCorrect: UInt64
    public var partialSamples: UInt64
    /// In the order of the tensor table, then by slot.
    public var buffers: [Buffer]

    public init(
        optimizer: Optimizer, stepCount: UInt64, planEpochs: UInt32, planEpochsDone: UInt32,
        batchesPerEpoch: UInt32, batchesDone: UInt32, shuffleState: [UInt64],
        partialLossSum: Double = 0, partialCorrect: UInt64 = 0, partialSamples: UInt64 = 0, buffers: [Buffer]
    ) {
        self.optimizer = optimizer
        self.stepCount = stepCount
        self.planEpochs = planEpochs
        self.planEpochsDone = planEpochsDone
        self.batchesPerEpoch = batchesPerEpoch
        self.batchesDone = batchesDone
        self.shuffleState = shuffleState
        self.partialLossSum = partialLossSum
        self.partialCorrect = partialCorrect
        self.partialSamples = partialSamples
        self.buffers = buffers
    }

    /// The schedule's step: `planEpochsDone × batchesPerEpoch + batchesDone`.
    public var scheduleStep: UInt64 { UInt64(planEpochsDone) * UInt64(batchesPerEpoch) + UInt64(batchesDone) }

    /// The buffer of `tensor` in `slot`, if stored.
    public func buffer(_ tensor: String, _ slot: Slot) -> [Float]? {
        buffers.first { $0.tensor == tensor && $0.slot == slot }?.values
    }

    /// Bytes of the fixed fields before the buffer list (spec §10a).
    public static let headLength = 85
    /// Most buffers: three slots per tensor.
    public static let maxBuffers: UInt64 = 3 * FormatLimits.maxTensors
}
