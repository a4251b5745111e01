import NNMFormat

/// What training minimizes. Each loss is averaged over the samples of a batch.
public enum Loss: String, CaseIterable, Sendable {
    /// Mean over samples and outputs of `(y − t)²`; `t` is the one-hot label (or the 0/1 label
    /// for a single output).
    case meanSquaredError = "mse"
    /// `−[t log p + (1 − t) log(1 − p)]` for one sigmoid output. Computed from the logit
    /// before the final Sigmoid (`max(z,0) − z·t + log(1 + e^−|z|)`), so it never takes log 0.
    case binaryCrossEntropy = "bce"
    /// Softmax cross-entropy from logits: `logsumexp(z) − z_label`. The logits are the input of
    /// a final Softmax layer, or the network's output when it ends in no activation.
    case crossEntropy = "cross-entropy"
    /// Negative log-likelihood `−log p_label` of a final Softmax's probabilities (p floored at
    /// 1e-12). Same value as cross-entropy, differentiated through the Softmax layer.
    case negativeLogLikelihood = "nll"

    /// The loss users expect for a network: binary cross-entropy after a Sigmoid,
    /// cross-entropy after a Softmax or a multi-output linear head, squared error otherwise.
    public static func defaultLoss(for model: Sequential) -> Loss {
        switch model.lastLayerKind {
        case .sigmoid: return .binaryCrossEntropy
        case .softmax: return .crossEntropy
        default: return model.outputCount > 1 ? .crossEntropy : .meanSquaredError
        }
    }

    /// Checks that this loss fits the network's output and the number of classes, and decides
    /// whether the last layer is fused into the loss.
    public func plan(for model: Sequential, classCount: Int) throws -> LossPlan {
        let outputs = model.outputCount
        let last = model.lastLayerKind
        guard classCount >= 2 else { throw LossError.tooFewClasses(classCount) }
        switch self {
        case .meanSquaredError:
            guard outputs == classCount || (outputs == 1 && classCount == 2) else {
                throw LossError.outputWidthMismatch(loss: self, outputs: outputs, classes: classCount)
            }
            return LossPlan(loss: self, fusesLastLayer: false)
        case .binaryCrossEntropy:
            guard last == .sigmoid else { throw LossError.needsLastLayer(loss: self, expected: "sigmoid", found: last) }
            guard outputs == 1, classCount == 2 else {
                throw LossError.outputWidthMismatch(loss: self, outputs: outputs, classes: classCount)
            }
            return LossPlan(loss: self, fusesLastLayer: true)
        case .crossEntropy:
            switch last {
            case .sigmoid, .tanh, .relu, .leakyReLU, .standardize:
                throw LossError.needsLastLayer(loss: self, expected: "softmax or linear", found: last)
            default: break
            }
            guard outputs == classCount else {
                throw LossError.outputWidthMismatch(loss: self, outputs: outputs, classes: classCount)
            }
            return LossPlan(loss: self, fusesLastLayer: last == .softmax)
        case .negativeLogLikelihood:
            guard last == .softmax else { throw LossError.needsLastLayer(loss: self, expected: "softmax", found: last) }
            guard outputs == classCount else {
                throw LossError.outputWidthMismatch(loss: self, outputs: outputs, classes: classCount)
            }
            return LossPlan(loss: self, fusesLastLayer: false)
        }
    }
}

/// Why a loss cannot be used with a network or data.
public enum LossError: Error, Equatable, CustomStringConvertible {
    case needsLastLayer(loss: Loss, expected: String, found: LayerKind)
    case outputWidthMismatch(loss: Loss, outputs: Int, classes: Int)
    case tooFewClasses(Int)
    case labelOutOfRange(sample: Int, label: Int, classCount: Int)
    case regressionNeedsSquaredError(Loss)
    case regressionOutputs(Int)
    case regressionNeedsTargets

    public var description: String {
        switch self {
        case let .needsLastLayer(loss, expected, found):
            return "loss \(loss.rawValue) needs a network ending in \(expected), but it ends in \(found.name)"
        case let .outputWidthMismatch(loss, outputs, classes):
            let hint = loss == .binaryCrossEntropy
                ? "binary cross-entropy needs 1 output and 2 classes"
                : "it needs one output per class"
            return "loss \(loss.rawValue) does not fit a network with \(outputs) output(s) on data with \(classes) classes: \(hint)"
        case let .tooFewClasses(count):
            return "the data has \(count) class(es); classification needs at least 2"
        case let .regressionNeedsSquaredError(loss):
            return "loss \(loss.rawValue) is for classes; regression trains with mse"
        case let .regressionOutputs(count):
            return "regression predicts one number per sample; this network has \(count) outputs (end it in linear:1)"
        case .regressionNeedsTargets:
            return "a network ending in rescale is a regression network; the data has class labels, not numeric targets"
        case let .labelOutOfRange(sample, label, classCount):
            return "sample \(sample) has label \(label), outside 0..<\(classCount)"
        }
    }
}

extension LayerKind {
    /// The kind's name as written in layer specs and messages (`linear`, `leaky-relu:0.01`…).
    public var name: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .leakyReLU(let slope): return "leaky-relu:\(slope)"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .identity: return "identity"
        case .standardize: return "standardize"
        case .rescale: return "rescale"
        }
    }
}
