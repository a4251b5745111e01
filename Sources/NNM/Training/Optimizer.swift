import CNNMKernels

/// The update rule that turns gradients into parameter steps.
public enum OptimizerKind: String, CaseIterable, Sendable {
    /// `w ← w − lr · g`.
    case sgd
    /// Heavy-ball momentum (PyTorch form): `v ← μ v + g`, `w ← w − lr · v`.
    case momentum
    /// Nesterov momentum (PyTorch form): `v ← μ v + g`, `w ← w − lr · (g + μ v)`.
    case nesterov
    /// Adam (Kingma & Ba) with bias correction:
    /// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `w ← w − lr · m̂ / (√v̂ + ε)`.
    case adam

    /// A learning rate that works for this rule on small MLPs with the default batch size.
    public var defaultLearningRate: Float {
        switch self {
        case .adam: return 0.01
        case .sgd, .momentum, .nesterov: return 0.1
        }
    }
}

/// An optimizer with its hyperparameters and its per-parameter state (velocities, moments).
///
/// It steps a network in place: `optimizer.update(&model)` after each backward pass. Weight
/// decay is classic L2 (`g ← g + λw`, also for Adam), on weights only, never on biases.
public struct Optimizer: Sendable {
    public var kind: OptimizerKind
    public var learningRate: Float
    /// μ for `momentum` and `nesterov`.
    public var momentum: Float
    /// λ of the L2 penalty `λ/2 · Σw²` (0 = off).
    public var weightDecay: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8

    /// Steps taken so far (Adam's bias correction uses it).
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []

    public init(
        _ kind: OptimizerKind, learningRate: Float? = nil, momentum: Float = 0.9,
        weightDecay: Float = 0
    ) {
        self.kind = kind
        self.learningRate = learningRate ?? kind.defaultLearningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// The per-parameter state, by slot (canonical parameter order): Adam's first moments or
    /// the velocities, and Adam's second moments; empty arrays where the rule keeps none.
    public var moments: (first: [[Float]], second: [[Float]]) { (firstMoments, secondMoments) }

    /// Continues from a stored state: `stepCount` steps taken, these moments (as ``moments``
    /// returns them; slots missing at the end start at zero).
    public mutating func restore(stepCount: Int, first: [[Float]], second: [[Float]]) {
        self.stepCount = stepCount
        firstMoments = first
        secondMoments = second
    }

    /// Applies one step to every trainable parameter of `model`, using the gradients of the
    /// latest backward pass. Parameters are visited in canonical order (layer, then weight
    /// before bias); each has its own state slot.
    public mutating func update(_ model: inout Sequential) {
        stepCount += 1
        var slot = 0
        var first = firstMoments
        var second = secondMoments
        firstMoments = []
        secondMoments = []
        let kind = self.kind, lr = learningRate, mu = momentum, decay = weightDecay
        let beta1 = self.beta1, beta2 = self.beta2, epsilon = self.epsilon
        // Adam's bias corrections (the other rules read neither).
        let correction1 = kind == .adam ? Float(1 - doublePower(Double(beta1), stepCount)) : 1
        let correction2 = kind == .adam ? Float(1 - doublePower(Double(beta2), stepCount)) : 1
        let options = ComputeOptions.current
        let path = Kernels.cPath(options.kernelPath)
        let rule: nnm_optimizer = switch kind {
        case .sgd: NNM_OPT_SGD
        case .momentum: NNM_OPT_MOMENTUM
        case .nesterov: NNM_OPT_NESTEROV
        case .adam: NNM_OPT_ADAM
        }
        for index in model.layers.indices {
            model.layers[index].updateParameters { parameter, gradient, role in
                let count = parameter.count
                if slot == first.count {
                    first.append([Float](repeating: 0, count: kind == .sgd ? 0 : count))
                    second.append([Float](repeating: 0, count: kind == .adam ? count : 0))
                }
                let lambda: Float = role == .weight ? decay : 0
                let settings = nnm_optimizer_settings(
                    lr: lr, decay: lambda, mu: mu, beta1: beta1, beta2: beta2, epsilon: epsilon,
                    correction1: correction1, correction2: correction2)
                parameter.withUnsafeMutableBufferPointer { w in
                    gradient.withUnsafeBufferPointer { g in
                        first[slot].withUnsafeMutableBufferPointer { m in
                            second[slot].withUnsafeMutableBufferPointer { v in
                                let n = min(count, g.count)
                                let pieces = Self.pieces(parameterCount: n, options: options)
                                TwoWayWork.run(pieces: pieces, options: options) { piece in
                                    let range = Self.range(of: piece, in: pieces, parameterCount: n)
                                    // The rule's loop, vectorised in C (optimizer_template.h)
                                    // with the spec's operation order: the same bits on every
                                    // path, and each value's update depends on that value only.
                                    withUnsafePointer(to: settings) { settings in
                                        nnm_optimizer_step(
                                            path, rule, range.count, w.baseAddress.map { $0 + range.lowerBound },
                                            g.baseAddress.map { $0 + range.lowerBound },
                                            m.baseAddress.map { $0 + range.lowerBound },
                                            v.baseAddress.map { $0 + range.lowerBound }, settings)
                                    }
                                }
                            }
                        }
                    }
                }
                slot += 1
            }
        }
        firstMoments = first
        secondMoments = second
    }

    /// Parameters from which one array's step is shared with the kernels' helper thread: a
    /// step reads and writes a few bytes per value, so below this waking the helper costs
    /// about what it saves. (W3's first layer has 78,400 weights, W4's 200,704.)
    static let twoWayParameterCount = 1 << 15

    /// Two pieces for a large array when a second thread is allowed, else one.
    static func pieces(parameterCount: Int, options: ComputeOptions) -> Int {
        options.threads > 1 && parameterCount >= twoWayParameterCount ? 2 : 1
    }

    /// The values of piece `piece` of `pieces`: cut at a multiple of 64, so every piece but the
    /// last is whole vectors on every instruction set and the last has the tail it always had.
    static func range(of piece: Int, in pieces: Int, parameterCount: Int) -> Range<Int> {
        let cut = (parameterCount / pieces) & ~63
        let start = piece * cut
        return start ..< (piece == pieces - 1 ? parameterCount : start + cut)
    }
}
