import NNMFormat

/// Hyperbolic tangent, squashing each value into (-1, 1).
public struct Tanh: Layer {
    public init() {}
    public var kind: LayerKind { .tanh }
    public var description: String { "Tanh" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        Matrix.mapElements(input, into: &output) { floatTanh($0) }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(output, outputGradient, into: &inputGradient) { y, dy in dy * (1 - y * y) }
    }
}
