import NNMFormat

/// Rectified linear unit: `max(x, 0)`. The gradient at exactly 0 is taken as 0.
public struct ReLU: Layer {
    public init() {}
    public var kind: LayerKind { .relu }
    public var description: String { "ReLU" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        Matrix.mapElements(input, into: &output) { ReLU.rectified($0) }
    }

    /// `max(x, 0)`, with +0 for NaN and for −0: the expression of both the batch path and the
    /// one-sample path (`RowPlan`).
    @inline(__always)
    static func rectified(_ x: Float) -> Float { x > 0 ? x : 0 }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(input, outputGradient, into: &inputGradient) { x, dy in x > 0 ? dy : 0 }
    }
}
