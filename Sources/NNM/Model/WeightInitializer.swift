import NNMFormat

/// How a linear layer's initial weights are drawn. Biases always start at zero.
///
/// Every scheme draws from `SeededRandom(seed:stream: .initialization)` in binary64 and rounds
/// each value to float32; spec/training.md gives the exact order and formulas, so another
/// language can reproduce a network's initial weights from its seed.
public enum WeightInitializer: String, CaseIterable, Sendable {
    /// Xavier/Glorot uniform: `U(−a, a)`, `a = √(6 / (inputs + outputs))`. Keeps the variance
    /// of activations and gradients steady through tanh and sigmoid layers.
    case xavier
    /// He/Kaiming normal: `N(0, 2 / inputs)`. Makes up for ReLU zeroing half its inputs.
    case he
    /// LeCun normal: `N(0, 1 / inputs)`.
    case lecun
    /// Uniform `U(−a, a)`, `a = 1 / √inputs` (the classic fan-in rule).
    case uniform
    /// `N(0, 1) · 0.01`, the tutorials' `randn * 0.01`: fine for one layer, slow for deep ones.
    case smallNormal = "small-normal"

    /// The scheme users expect for a linear layer followed by a layer of `kind`:
    /// He for ReLU and leaky ReLU, Glorot for everything else (tanh, sigmoid, softmax, none).
    public static func defaultScheme(before kind: LayerKind?) -> WeightInitializer {
        switch kind {
        case .relu, .leakyReLU: return .he
        default: return .xavier
        }
    }

    /// The weights of a layer of `inputs → outputs`, drawn from `random` in order. The normal
    /// schemes take their standard normals a block at a time (``SeededRandom/normals(count:)``:
    /// the same draws and bits as one ``SeededRandom/normal()`` each, through the vector log and
    /// cos), since a wide layer draws hundreds of thousands.
    func weights(inputs: Int, outputs: Int, random: inout SeededRandom) -> [Float] {
        let count = inputs * outputs
        switch self {
        case .xavier, .uniform:
            let a = self == .xavier ? (6.0 / Double(inputs + outputs)).squareRoot() : 1.0 / Double(inputs).squareRoot()
            return (0..<count).map { _ in Float(random.uniform(-a, a)) }
        case .he, .lecun, .smallNormal:
            let factor = switch self {
            case .he: (2.0 / Double(inputs)).squareRoot()
            case .lecun: (1.0 / Double(inputs)).squareRoot()
            default: 0.01
            }
            var weights: [Float] = []
            weights.reserveCapacity(count)
            while weights.count < count {
                for normal in random.normals(count: min(Self.normalsPerBlock, count - weights.count)) {
                    weights.append(Float(factor * normal))
                }
            }
            return weights
        }
    }

    /// Standard normals drawn per block by the normal schemes: enough for the vector kernels,
    /// small enough that any layer's block stays a few pages.
    static let normalsPerBlock = 4096
}

extension Sequential {
    /// Draws fresh weights for every linear layer and zeroes every bias.
    ///
    /// One generator, `SeededRandom(seed: seed, stream: .initialization)`, serves all layers in
    /// forward order; within a layer the weights are drawn row by row (`[outputs, inputs]`
    /// row-major). `initializer` nil picks ``WeightInitializer/defaultScheme(before:)`` per layer.
    public mutating func initializeParameters(seed: UInt64, initializer: WeightInitializer? = nil) {
        var random = SeededRandom(seed: seed, stream: .initialization)
        for index in layers.indices {
            guard let linear = layers[index] as? Linear else { continue }
            let next = index + 1 < layers.count ? layers[index + 1].kind : nil
            let scheme = initializer ?? WeightInitializer.defaultScheme(before: next)
            let inputs = linear.inputCount
            let outputs = linear.outputCount
            let weights = scheme.weights(inputs: inputs, outputs: outputs, random: &random)
            if let fresh = try? Linear(
                weight: Matrix(rows: outputs, columns: inputs, storage: weights),
                bias: [Float](repeating: 0, count: outputs))
            {
                layers[index] = fresh
            }
        }
    }
}
