import NNMFormat

/// One step of a sequential network: a function of a batch with a hand-written backward pass.
///
/// Layers are value types. `forward` writes into a caller-owned output buffer and `backward`
/// into a caller-owned input-gradient buffer, so a trainer can size those buffers once per batch
/// shape and reuse them: a training step allocates nothing. A layer keeps no copy of its input;
/// the caller hands the forward input and output back to `backward`.
public protocol Layer: Sendable, CustomStringConvertible {
    /// The layer's kind in the `.nnm` format.
    var kind: LayerKind { get }

    /// The input width this layer requires, or `nil` for layers that take any width
    /// (activations), whose width is fixed by their neighbours in a ``Sequential``.
    var requiredInputCount: Int? { get }

    /// The output width for an input of `inputCount` features.
    func outputCount(inputCount: Int) -> Int

    /// Computes the layer on a batch (`samples × inputs`), writing `samples × outputs` into
    /// `output` (reshaped to fit, reusing its capacity).
    func forward(_ input: Matrix, into output: inout Matrix)

    /// Back-propagates one batch: given the forward `input` and `output` and ∂loss/∂output,
    /// stores this layer's parameter gradients and (when `computesInputGradient`) writes
    /// ∂loss/∂input into `inputGradient`. The first layer of a network skips the latter.
    mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool)

    /// The layer's tensors in canonical file order (`weight` before `bias`), trainable or not.
    var parameters: [ParameterTensor] { get }

    /// Hands each trainable parameter, its latest gradient and its role to `update`, in
    /// canonical order. Optimizers use this to step the parameters in place.
    mutating func updateParameters(_ update: (inout [Float], [Float], ParameterRole) -> Void)

    /// Swaps the stored gradient of the parameter with `role` with `gradient` (same count;
    /// otherwise nothing happens). Lets a fused kernel that computes several layers' gradients
    /// at once hand them over without copying or allocating.
    mutating func swapGradient(_ gradient: inout [Float], role: ParameterRole)
}

/// What a trainable parameter is for; weight decay applies to weights only.
public enum ParameterRole: Sendable, Hashable {
    case weight
    case bias
}

/// A named tensor a layer owns, as it appears in a model file (`layers.<index>.<role>`).
public struct ParameterTensor: Sendable, Equatable {
    /// `weight`, `bias`, `mean`, `scale`: the name's last part (`layers.<index>.<role>`).
    public var role: TensorRole
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// Row-major values.
    public var values: [Float]

    public init(role: TensorRole, shape: [Int], values: [Float]) {
        self.role = role
        self.shape = shape
        self.values = values
    }
}

extension Layer {
    public var requiredInputCount: Int? { nil }
    public func outputCount(inputCount: Int) -> Int { inputCount }
    public var parameters: [ParameterTensor] { [] }
    public mutating func updateParameters(_ update: (inout [Float], [Float], ParameterRole) -> Void) {}
    public mutating func swapGradient(_ gradient: inout [Float], role: ParameterRole) {}

    /// The layer applied to a batch (allocates its result; for inference and tests).
    public func callAsFunction(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: 0, columns: 0)
        forward(input, into: &output)
        return output
    }

    /// Number of stored scalars (trainable weights and biases, and standardization statistics).
    public var parameterCount: Int {
        parameters.reduce(0) { $0 + $1.values.count }
    }
}
