import NNMFormat

/// Rectified linear unit: `max(x, 0)`. The gradient at exactly 0 is taken as 0.
public struct ReLU: Layer {
    public init() {}
    public var kind: LayerKind { .relu }
    public var description: String { "ReLU" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        Matrix.mapElements(input, into: &output) { $0 > 0 ? $0 : 0 }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(input, outputGradient, into: &inputGradient) { x, dy in x > 0 ? dy : 0 }
    }
}
