import NNMFormat

/// A fully connected layer: `y = x · Wᵀ + b`.
///
/// The weight is stored `[outputs, inputs]`, row-major — exactly the `.nnm` layout (and
/// PyTorch's), so saving and loading copy it without transposing. New layers start with zero
/// weights; ``Sequential/initializeParameters(seed:initializer:)`` draws them reproducibly.
public struct Linear: Layer {
    /// `outputs × inputs`.
    public private(set) var weight: Matrix
    /// One per output.
    public private(set) var bias: [Float]
    /// ∂loss/∂weight of the latest backward pass (same shape as `weight`).
    public private(set) var weightGradient: Matrix
    /// ∂loss/∂bias of the latest backward pass.
    public private(set) var biasGradient: [Float]

    /// A layer from `inputCount` to `outputCount` features, weights and biases zero.
    public init(inputCount: Int, outputCount: Int) throws {
        guard inputCount > 0, outputCount > 0, inputCount <= Linear.maximumWidth,
              outputCount <= Linear.maximumWidth,
              inputCount.multipliedReportingOverflow(by: outputCount).overflow == false,
              inputCount * outputCount <= Linear.maximumParameterCount
        else {
            throw ModelError.invalidLayerSize(inputs: inputCount, outputs: outputCount)
        }
        weight = Matrix(rows: outputCount, columns: inputCount)
        bias = [Float](repeating: 0, count: outputCount)
        weightGradient = Matrix(rows: outputCount, columns: inputCount)
        biasGradient = bias
    }

    /// A layer with the given weight (`outputs × inputs`) and bias (`outputs` values).
    public init(weight: Matrix, bias: [Float]) throws {
        guard weight.rows > 0, weight.columns > 0, bias.count == weight.rows else {
            throw ModelError.parameterShapeMismatch(
                layer: "Linear", role: "bias", expected: [weight.rows], found: [bias.count])
        }
        self.weight = weight
        self.bias = bias
        weightGradient = Matrix(rows: weight.rows, columns: weight.columns)
        biasGradient = [Float](repeating: 0, count: bias.count)
    }

    /// Widest layer accepted (keeps a corrupt size from allocating gigabytes).
    public static let maximumWidth = 1 << 20
    /// Most weights one layer may have (64 Mi floats = 256 MiB; training holds four such
    /// buffers with Adam), so a typo in a width cannot exhaust memory.
    public static let maximumParameterCount = 1 << 26

    public var inputCount: Int { weight.columns }
    public var outputCount: Int { weight.rows }

    public var kind: LayerKind { .linear }
    public var requiredInputCount: Int? { inputCount }
    public func outputCount(inputCount: Int) -> Int { outputCount }
    public var description: String { "Linear(inputCount: \(inputCount), outputCount: \(outputCount))" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        Ops.linear(input, weight: weight, bias: bias, into: &output)
    }

    /// `∂W = dyᵀ · x`, `∂b = Σ_rows dy`, `∂x = dy · W`.
    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        Ops.matmul(outputGradient, transposeA: true, input, into: &weightGradient)
        Ops.sumColumns(outputGradient, into: &biasGradient)
        if computesInputGradient {
            Ops.matmul(outputGradient, weight, into: &inputGradient)
        }
    }

    public var parameters: [ParameterTensor] {
        [ParameterTensor(role: .weight, shape: [outputCount, inputCount], values: weight.storage),
         ParameterTensor(role: .bias, shape: [outputCount], values: bias)]
    }

    public mutating func updateParameters(_ update: (inout [Float], [Float], ParameterRole) -> Void) {
        // The kernels trust these counts: an update may change values, never how many there are.
        let (weights, biases) = (weight.storage.count, bias.count)
        update(&weight.storage, weightGradient.storage, .weight)
        update(&bias, biasGradient, .bias)
        precondition(weight.storage.count == weights && bias.count == biases,
                     "updateParameters must keep the number of parameters")
    }

    public mutating func swapGradient(_ gradient: inout [Float], role: ParameterRole) {
        switch role {
        case .weight:
            if gradient.count == weightGradient.storage.count { swap(&weightGradient.storage, &gradient) }
        case .bias:
            if gradient.count == biasGradient.count { swap(&biasGradient, &gradient) }
        }
    }

    /// Replaces the weights (same shape) — used by initialization.
    mutating func setWeight(_ values: [Float]) {
        if values.count == weight.storage.count { weight.storage = values }
    }
}
