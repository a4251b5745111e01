import NNMFormat

/// Leaky rectified linear unit: `x` for positive `x`, `slope · x` otherwise, so units that
/// would die under ReLU keep a small gradient.
public struct LeakyReLU: Layer {
    /// The slope for negative inputs (0.01 by default, as in PyTorch).
    public var slope: Float

    public init(slope: Float = 0.01) { self.slope = slope }
    public var kind: LayerKind { .leakyReLU(slope: slope) }
    public var description: String { "LeakyReLU(slope: \(slope))" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        let slope = self.slope
        Matrix.mapElements(input, into: &output) { $0 > 0 ? $0 : slope * $0 }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        let slope = self.slope
        Matrix.mapElements(input, outputGradient, into: &inputGradient) { x, dy in
            x > 0 ? dy : slope * dy
        }
    }
}
