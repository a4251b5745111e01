import NNMFormat

/// Passes its input through unchanged: the "no activation" choice, so a network's list of
/// layers can name it explicitly (e.g. a linear output for regression-style losses).
public struct Identity: Layer {
    public init() {}
    public var kind: LayerKind { .identity }
    public var description: String { "Identity" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        Matrix.mapElements(input, into: &output) { $0 }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(outputGradient, into: &inputGradient) { $0 }
    }
}
