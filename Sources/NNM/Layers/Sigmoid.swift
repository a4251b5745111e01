import NNMFormat

/// The logistic function `1 / (1 + e^-x)`, squashing each value into (0, 1).
///
/// As the last layer of a binary classifier it turns one logit into a probability; training
/// with binary cross-entropy then skips this layer and computes the loss from the logit, which
/// stays accurate where the probability rounds to 0 or 1.
public struct Sigmoid: Layer {
    public init() {}
    public var kind: LayerKind { .sigmoid }
    public var description: String { "Sigmoid" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        output.reshape(rows: input.rows, columns: input.columns)
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                Kernels.logistic(count: min(x.count, y.count), x: x.baseAddress, y: y.baseAddress)
            }
        }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(output, outputGradient, into: &inputGradient) { y, dy in dy * y * (1 - y) }
    }
}
