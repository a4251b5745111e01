/// The activation after each hidden layer of ``Architecture/classifier(inputCount:hidden:activation:classCount:standardizes:)``.
///
/// Softmax is not among them: it belongs to the output layer, which the classifier chooses
/// from the class count.
public enum HiddenActivation: Sendable, Hashable, CustomStringConvertible {
    case relu
    case leakyReLU(slope: Float)
    case tanh
    case sigmoid
    case identity

    /// The names `parsing` accepts, for help texts and errors.
    public static let names = "relu, leaky-relu[:SLOPE], tanh, sigmoid, identity"

    /// The activation written as the command line and layer specs write it: `relu`, `tanh`,
    /// `leaky-relu` (slope 0.01) or `leaky-relu:SLOPE` with a slope in [0, 1), … (any case).
    /// - Throws: ``ArchitectureError/badLayer(position:token:reason:)`` saying what is wrong: an
    ///   unknown name, softmax, an argument where none is taken, or a slope outside [0, 1).
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let known = "expected one of \(HiddenActivation.names)"
        guard parts[0] != "softmax" else {
            throw ArchitectureError.badLayer(position: 0, token: text, reason: "softmax belongs to the output layer; \(known)")
        }
        guard let layer = try Architecture.activation(named: parts[0], argument: parts.count > 1 ? parts[1] : nil) else {
            throw ArchitectureError.badLayer(position: 0, token: text, reason: "unknown activation; \(known)")
        }
        switch layer.kind {
        case .relu: self = .relu
        case .leakyReLU(let slope): self = .leakyReLU(slope: slope)
        case .tanh: self = .tanh
        case .sigmoid: self = .sigmoid
        case .identity, .linear, .standardize, .rescale, .softmax: self = .identity
        }
    }

    /// The layer-spec token (`relu`, `leaky-relu:0.1`, …); parsing it gives this value back.
    public var specToken: String {
        switch self {
        case .relu: "relu"
        case .leakyReLU(let slope): "leaky-relu:\(slope)"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .identity: "identity"
        }
    }

    public var description: String { specToken }
}
