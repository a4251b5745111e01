import CNNMKernels

/// The one-sample path of ``NNMModel/predict(_:)-(Array<Float>)``: the network prepared once,
/// when the model is made, for samples that come one at a time.
///
/// The batch path (``Sequential/predict(_:)``) costs a single sample dearly: a `Matrix` per
/// layer, and a GEMM that packs (transposes) every weight of a layer for one row and computes a
/// whole register tile of rows to keep one (measured: 30.7 µs for 784-100-10). Here each
/// ``Linear`` keeps its weight transposed and padded (`nnm_linear_row` reads it row by row, in
/// place), a ReLU after a Linear is applied in the same pass, and the activations live in two
/// scratch rows on the stack: one allocation per call, the result.
///
/// Bits: every step computes what its layer's `forward` computes for that row, in the same
/// order — the FMA chain of the GEMM contract for a Linear (`nnm_kernels.h`), the same Swift
/// expressions and kernels for the others — so a prediction is bit-identical to the batch path
/// (checked by the tests on every kernel path).
final class RowPlan: Sendable {
    /// What a step computes.
    enum Kind: Sendable {
        /// `(x − mean) · scale`, as ``Standardize``: `mean` at `offset`, `scale` after it.
        case standardize
        /// `act(x · Wᵀ + bias)`: the transposed weight at `offset` (`inputs` rows of `stride`
        /// floats), the bias after it; ReLU fused or not.
        case linear, linearReLU
        case relu, sigmoid, softmax
        /// Any other layer (`fallback[layer]`), through its batch `forward` on a one-row matrix.
        case layer
    }

    /// One step over a row. Plain values (no arrays), so walking the steps retains nothing.
    struct Step: Sendable {
        var kind: Kind
        var inputs: Int
        var outputs: Int
        var offset = 0
        var stride = 0
        var layer = 0
    }

    let steps: [Step]
    /// Every step's numbers in one array (statistics, transposed weights, biases).
    let parameters: [Float]
    /// The layers without a step of their own.
    let fallback: [any Layer]
    let inputCount: Int
    let outputCount: Int
    /// Floats of each of the two scratch rows: the widest step output.
    let scratchWidth: Int

    /// Most floats kept transposed, padding included, over all layers together (16 MiB): the layers past it run
    /// on their batch path instead, so a huge model does not hold every weight twice (a model
    /// of many layers just under a per-layer cap would).
    static let maximumTransposedWeights = 1 << 22

    init(_ network: Sequential) {
        var steps: [Step] = []
        var parameters: [Float] = []
        var fallback: [any Layer] = []
        var width = network.inputCount
        var index = 0
        var transposedBudget = Self.maximumTransposedWeights
        let layers = network.layers
        while index < layers.count {
            let layer = layers[index]
            let outputs = layer.outputCount(inputCount: width)
            var step = Step(kind: .layer, inputs: width, outputs: outputs, offset: parameters.count)
            switch layer {
            case let standardize as Standardize:
                step.kind = .standardize
                parameters += standardize.mean + standardize.scale
            case let linear as Linear where Self.transposedFloats(linear) <= transposedBudget:
                transposedBudget -= Self.transposedFloats(linear)
                let fusesReLU = index + 1 < layers.count && layers[index + 1] is ReLU
                step.kind = fusesReLU ? .linearReLU : .linear
                step.stride = Self.appendTransposed(linear, to: &parameters)
                if fusesReLU { index += 1 }
            case is ReLU: step.kind = .relu
            case is Sigmoid: step.kind = .sigmoid
            case is Softmax: step.kind = .softmax
            default:
                step.layer = fallback.count
                fallback.append(layer)
            }
            steps.append(step)
            width = outputs
            index += 1
        }
        self.steps = steps
        self.parameters = parameters
        self.fallback = fallback
        inputCount = network.inputCount
        outputCount = network.outputCount
        scratchWidth = max(1, steps.map(\.outputs).max() ?? 1)
    }

    /// `stride`: a Linear's outputs rounded up to `NNM_LINEAR_ROW_PAD` (its transposed rows).
    private static func stride(_ linear: Linear) -> Int {
        let pad = Int(NNM_LINEAR_ROW_PAD)
        return (linear.outputCount + pad - 1) / pad * pad
    }

    /// The floats a Linear's transposed copy takes, padding included (a layer of one output
    /// keeps `NNM_LINEAR_ROW_PAD` floats per input, so its weight count would undercharge it).
    static func transposedFloats(_ linear: Linear) -> Int { linear.inputCount * stride(linear) }

    /// Appends the weight `[outputs, inputs]` as `[inputs, stride]` (`stride`: the outputs
    /// rounded up to `NNM_LINEAR_ROW_PAD`, padding zero), then the bias; returns `stride`.
    private static func appendTransposed(_ linear: Linear, to parameters: inout [Float]) -> Int {
        let (inputs, outputs) = (linear.inputCount, linear.outputCount)
        let stride = stride(linear)
        var transposed = [Float](repeating: 0, count: inputs * stride)
        linear.weight.storage.withUnsafeBufferPointer { w in
            transposed.withUnsafeMutableBufferPointer { t in
                for o in 0..<outputs {
                    for i in 0..<inputs { t[i * stride + o] = w[o * inputs + i] }
                }
            }
        }
        parameters += transposed + linear.bias
        return stride
    }

    /// The network's output for one sample; `sample.count` must be the input width (the caller
    /// checks), else the result is empty.
    func predict(_ sample: [Float]) -> [Float] {
        guard sample.count == inputCount else { return [] }
        let path = Kernels.cPath(ComputeOptions.current.kernelPath)
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * scratchWidth) { scratch in
            sample.withUnsafeBufferPointer { input in
                parameters.withUnsafeBufferPointer { numbers in
                    guard let first = input.baseAddress, let rows = scratch.baseAddress,
                          let numbers = numbers.baseAddress else { return [] }
                    var x = first
                    for (index, step) in steps.enumerated() {
                        // The two scratch rows in turn; never the row being read.
                        let y = rows + (index % 2) * scratchWidth
                        run(step, path: path, numbers: numbers + step.offset, x: x, into: y)
                        x = UnsafePointer(y)
                    }
                    return Array(UnsafeBufferPointer(start: x, count: outputCount))
                }
            }
        }
    }

    /// One step from `x` into `y`; `numbers` points at the step's parameters.
    @inline(__always)
    private func run(_ step: Step, path: nnm_path, numbers: UnsafePointer<Float>, x: UnsafePointer<Float>,
                     into y: UnsafeMutablePointer<Float>) {
        let width = step.inputs
        switch step.kind {
        case .standardize:
            // The kernel for a wide row (784 pixels: 0.5 µs less); a call costs more than a
            // few features take inline. The same two roundings either way.
            if width >= 16 {
                nnm_standardize_rows(path, 1, width, x, numbers, numbers + width, y)
            } else {
                for j in 0..<width { y[j] = Standardize.standardized(x[j], mean: numbers[j], scale: numbers[width + j]) }
            }
        case .linear, .linearReLU:
            nnm_linear_row(path, width, step.outputs, x, numbers, step.stride, numbers + width * step.stride,
                           step.kind == .linearReLU ? NNM_ACT_RELU : NNM_ACT_NONE, y)
        case .relu:
            for j in 0..<width { y[j] = ReLU.rectified(x[j]) }
        case .sigmoid:
            nnm_logistic(path, width, x, y)
        case .softmax:
            Softmax.row(path: path, x: x, y: y, width: width)
        case .layer:
            var output = Matrix.empty
            fallback[step.layer].forward(Matrix(rows: 1, columns: width, storage: Array(UnsafeBufferPointer(start: x, count: width))),
                                         into: &output)
            output.storage.withUnsafeBufferPointer { out in
                for j in 0..<out.count { y[j] = out[j] }
            }
        }
    }
}
