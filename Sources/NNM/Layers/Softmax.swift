import CNNMKernels
import NNMFormat

/// Softmax over each row: `exp(x_i - max) / Σ_j exp(x_j - max)`, a probability per class.
///
/// Subtracting the row maximum first keeps `exp` from overflowing. Training with softmax
/// cross-entropy skips this layer and computes the loss from the logits.
public struct Softmax: Layer {
    public init() {}
    public var kind: LayerKind { .softmax }
    public var description: String { "Softmax" }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        output.reshape(rows: input.rows, columns: input.columns)
        let width = input.columns
        guard width > 0 else { return }
        let path = Kernels.cPath(ComputeOptions.current.kernelPath)
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                for row in 0..<input.rows {
                    Softmax.row(path: path, x: x + row * width, y: y + row * width, width: width)
                }
            }
        }
    }

    /// One row (`width` ≥ 1 values) from `x` into `y` (which must not overlap `x`): the row
    /// step of both the batch path and the one-sample path (`RowPlan`).
    @inline(__always)
    static func row(path: nnm_path, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, width: Int) {
        var largest = x[0]
        for j in 1..<width where x[j] > largest { largest = x[j] }
        for j in 0..<width { y[j] = x[j] - largest }
        // NNM's own e^a for a ≤ 0 (spec/training.md §4a), in place over the row.
        nnm_exp_nonpositive(path, width, y, y)
        var total: Float = 0
        for j in 0..<width { total += y[j] }
        let inverse = 1 / total
        for j in 0..<width { y[j] *= inverse }
    }

    /// `dx_i = y_i · (dy_i − Σ_j dy_j y_j)`, row by row.
    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        inputGradient.reshape(rows: output.rows, columns: output.columns)
        let width = output.columns
        output.storage.withUnsafeBufferPointer { y in
            outputGradient.storage.withUnsafeBufferPointer { dy in
                inputGradient.storage.withUnsafeMutableBufferPointer { dx in
                    for row in 0..<output.rows {
                        let start = row * width
                        var dot: Float = 0
                        for j in 0..<width { dot += dy[start + j] * y[start + j] }
                        for j in 0..<width { dx[start + j] = y[start + j] * (dy[start + j] - dot) }
                    }
                }
            }
        }
    }
}
