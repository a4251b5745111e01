import CNNMKernels

/// Narrow networks (every layer width ≤ 32, at most 8 layers): forward and backward passes
/// with 16 samples across the vector lanes, block by block through *all* layers, instead of one
/// GEMM per layer over the whole batch. For the tiny layers of the circles networks the
/// per-layer GEMMs are all call and edge overhead, and a layout with one sample's units across
/// the lanes leaves most lanes empty (a 5-wide layer fills 5 of 16).
///
/// Bits: `narrowForward` equals `Ops.linear(…, activation:)` layer after layer, and the
/// backward's input gradients equal `matmul(δ, W)` + `reluBackward`. The weight and bias
/// gradients are NOT `matmul(δ, transposeA: true, input)` / `sumColumns(δ)`: each batch sum is
/// split into two fixed halves of the batch, each into 16 interleaved partial sums (sample r
/// into partial r mod 16, each in increasing r, FMA for weights, adds for biases), the halves
/// added lane by lane and then combined by a fixed pairwise tree — see `nnm_kernels.h` and
/// spec/training.md §1. Identical on every kernel path and thread count; a trainer that picks
/// this path must pick it by the network's shape alone (`NarrowTraining` does).
extension Ops {
    /// Widest layer and most layers `narrowForward` / `narrowBackward` accept.
    package static let narrowMaximumWidth = Int(NNM_NARROW_MAX)
    package static let narrowMaximumLayers = Int(NNM_NARROW_MAX_LAYERS)

    /// One dense layer: `y = activation(x · weightᵀ + bias)`, weight `[outputs, inputs]`.
    package struct NarrowLayer: Sendable, Equatable {
        package var weight: Matrix
        package var bias: [Float]
        package var activation: FusedActivation
        package init(weight: Matrix, bias: [Float], activation: FusedActivation) {
            self.weight = weight
            self.bias = bias
            self.activation = activation
        }
    }

    /// Every layer's output for one batch, in buffers reused while the batch shape stays the
    /// same (no allocation per step). The kernels keep the activations in their "lanes" layout
    /// (blocks of 16 samples, one row of 16 floats per unit); only the last layer is also
    /// written row-major, since that is all a trainer reads. Other layers are converted on
    /// request.
    package struct NarrowActivations: Sendable {
        package private(set) var batch = 0
        package private(set) var inputs = 0
        package private(set) var widths: [Int] = []
        fileprivate var lanes: [Float] = []
        fileprivate var lastOutput: [Float] = []

        package init() {}

        fileprivate static let lanesPerBlock = Int(NNM_NARROW_LANES)

        fileprivate mutating func prepare(batch: Int, inputs: Int, widths: [Int]) {
            if batch == self.batch && inputs == self.inputs && widths == self.widths { return }
            self.batch = batch
            self.inputs = inputs
            self.widths = widths
            let blocks = (batch + Self.lanesPerBlock - 1) / Self.lanesPerBlock
            let total = blocks * Self.lanesPerBlock * (inputs + widths.reduce(0, +))
            if lanes.count != total { lanes = [Float](repeating: 0, count: total) }
            let last = batch * (widths.last ?? 0)
            if lastOutput.count != last { lastOutput = [Float](repeating: 0, count: last) }
        }

        /// Layer `index`'s output, `[batch, widths[index]]` row-major, read from the lanes layout.
        private func rowMajor(_ index: Int) -> [Float] {
            let p = Self.lanesPerBlock
            let blocks = (batch + p - 1) / p
            let width = widths[index]
            let start = blocks * p * (inputs + widths[..<index].reduce(0, +))
            var rows = [Float](repeating: 0, count: batch * width)
            for r in 0..<batch {
                let base = start + (r / p) * width * p + r % p
                for o in 0..<width { rows[r * width + o] = lanes[base + o * p] }
            }
            return rows
        }

        /// Reads layer `index`'s output, `[batch, widths[index]]` row-major (without copying
        /// for the last layer).
        package func withOutput<R>(_ index: Int,
                                  _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
            if index == widths.count - 1 { return try lastOutput.withUnsafeBufferPointer(body) }
            return try rowMajor(index).withUnsafeBufferPointer(body)
        }

        /// Layer `index`'s output, `[batch, widths[index]]` (a copy).
        package func output(_ index: Int) -> Matrix {
            Matrix(rows: batch, columns: widths[index],
                   storage: index == widths.count - 1 ? lastOutput : rowMajor(index))
        }
    }

    /// Whether `layers` fit the narrow kernels (widths, count and chaining).
    package static func fitsNarrowPath(inputs: Int, layers: [NarrowLayer]) -> Bool {
        guard (1...narrowMaximumLayers).contains(layers.count) else { return false }
        var width = inputs
        for layer in layers {
            guard layer.weight.columns == width, (1...narrowMaximumWidth).contains(width),
                  (1...narrowMaximumWidth).contains(layer.weight.rows),
                  layer.bias.count == layer.weight.rows else { return false }
            width = layer.weight.rows
        }
        return true
    }

    /// Runs `body` with the C descriptions of `layers`: weights and biases copied into one
    /// temporary (stack) buffer, the last layer's row-major output pointing at `lastOutput`.
    private static func withDenseLayers<R>(
        _ layers: [NarrowLayer], lastOutput: UnsafeMutablePointer<Float>?,
        gradients: UnsafeMutablePointer<Float>?,
        _ body: (UnsafeBufferPointer<nnm_dense_layer>) -> R
    ) -> R? {
        let parameterCount = layers.reduce(0) { $0 + $1.weight.storage.count + $1.bias.count }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, parameterCount)) { params in
            withUnsafeTemporaryAllocation(of: nnm_dense_layer.self, capacity: layers.count) { descs in
                guard let base = params.baseAddress else { return nil }
                var cursor = 0
                for (l, layer) in layers.enumerated() {
                    let w = base + cursor
                    for (i, v) in layer.weight.storage.enumerated() { w[i] = v }
                    cursor += layer.weight.storage.count
                    let b = base + cursor
                    for (i, v) in layer.bias.enumerated() { b[i] = v }
                    let gradW = gradients.map { $0 + cursor - layer.weight.storage.count }
                    let gradB = gradients.map { $0 + cursor }
                    cursor += layer.bias.count
                    descs[l] = nnm_dense_layer(
                        inputs: layer.weight.columns, outputs: layer.weight.rows,
                        weight: UnsafePointer(w), bias: UnsafePointer(b),
                        activation: layer.activation == .relu ? NNM_ACT_RELU : NNM_ACT_NONE,
                        output: l == layers.count - 1 ? lastOutput : nil,
                        weight_grad: gradW, bias_grad: gradB)
                }
                return body(UnsafeBufferPointer(descs))
            }
        }
    }

    /// Forward pass of a narrow network over the batch `x`; returns false (and writes nothing)
    /// when the layers do not fit the narrow path — use `Ops.linear` per layer then.
    @discardableResult
    package static func narrowForward(_ x: Matrix, layers: [NarrowLayer],
                                     into activations: inout NarrowActivations) -> Bool {
        guard fitsNarrowPath(inputs: x.columns, layers: layers) else { return false }
        activations.prepare(batch: x.rows, inputs: x.columns, widths: layers.map { $0.weight.rows })
        let path = Kernels.cPath(ComputeOptions.current.kernelPath)
        let threads = Int32(min(ComputeOptions.current.threads, 2))
        return x.storage.withUnsafeBufferPointer { px in
            activations.lastOutput.withUnsafeMutableBufferPointer { last in
                activations.lanes.withUnsafeMutableBufferPointer { lanes in
                    guard let lanesBase = lanes.baseAddress else { return false }
                    return withDenseLayers(layers, lastOutput: last.baseAddress, gradients: nil) {
                        nnm_narrow_forward(path, x.rows, px.baseAddress, layers.count, $0.baseAddress,
                                           lanesBase, threads) == 0
                    } ?? false
                }
            }
        }
    }

    /// `narrowForward`, then binary cross-entropy from the last layer's one output (its logit)
    /// against `labels`, in the same pass over each half of the batch (`nnm_narrow_forward_bce`):
    /// the gradient of the mean loss into `gradient` and σ(logit) into `probabilities` (both
    /// `[batch, 1]`), with the bits `Kernels.binaryCrossEntropy` gives on the same logits.
    /// Returns the batch's loss sum, or nil (nothing written) when the layers do not fit the
    /// narrow path, the last layer has more than one output, or a label is missing.
    package static func narrowForwardBinaryCrossEntropy(
        _ x: Matrix, layers: [NarrowLayer], labels: [Int], into activations: inout NarrowActivations,
        gradient: inout Matrix, probabilities: inout Matrix
    ) -> Double? {
        guard let (path, threads, inverseBatch) = prepareBinaryCrossEntropy(
            x, layers: layers, labels: labels, activations: &activations,
            gradient: &gradient, probabilities: &probabilities) else { return nil }
        var loss = 0.0
        let done = withBinaryCrossEntropyPointers(x, layers: layers, labels: labels, activations: &activations,
                                                  gradient: &gradient, probabilities: &probabilities, gradients: nil) {
            nnm_narrow_forward_bce(path, x.rows, $0.x, layers.count, $0.layers, $0.lanes, $0.labels, inverseBatch,
                                   $0.gradient, $0.probabilities, &loss, threads) == 0
        }
        return done ? loss : nil
    }

    /// Backward pass after `narrowForward` on the same `x` and `layers`. `outputGradient` is
    /// dLoss/d(last layer's pre-activation), `[batch, last width]`. Writes each layer's weight
    /// and bias gradient (resized to fit). Returns false when the shapes do not fit.
    @discardableResult
    package static func narrowBackward(_ x: Matrix, layers: [NarrowLayer],
                                      activations: NarrowActivations,
                                      outputGradient: Matrix,
                                      weightGradients: inout [Matrix],
                                      biasGradients: inout [[Float]]) -> Bool {
        guard fitsNarrowPath(inputs: x.columns, layers: layers),
              activations.batch == x.rows, activations.inputs == x.columns, activations.widths == layers.map({ $0.weight.rows }),
              outputGradient.rows == x.rows, outputGradient.columns == activations.widths.last
        else { return false }
        let path = Kernels.cPath(ComputeOptions.current.kernelPath)
        let threads = Int32(min(ComputeOptions.current.threads, 2))
        let parameterCount = layers.reduce(0) { $0 + $1.weight.storage.count + $1.bias.count }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: parameterCount) { grads in
            let ok = outputGradient.storage.withUnsafeBufferPointer { pg in
                activations.lanes.withUnsafeBufferPointer { lanes in
                    guard let lanesBase = lanes.baseAddress else { return false }
                    return withDenseLayers(layers, lastOutput: nil, gradients: grads.baseAddress) {
                        nnm_narrow_backward(path, x.rows, layers.count, $0.baseAddress,
                                            lanesBase, pg.baseAddress, threads) == 0
                    } ?? false
                }
            }
            guard ok else { return false }
            store(UnsafeBufferPointer(grads), of: layers, weightGradients: &weightGradients, biasGradients: &biasGradients)
            return true
        }
    }

    /// A whole training step's kernels for a narrow network ending in one logit with binary
    /// cross-entropy (`nnm_narrow_step_bce`): `narrowForwardBinaryCrossEntropy` then
    /// `narrowBackward` from its gradient, with their bits, each half of the batch forward and
    /// back on one thread (one hand-off to the helper instead of two), and the rows whose
    /// σ(logit) decides the label's class counted on the way. Returns the batch's loss sum and
    /// that count, or nil (outputs unspecified) when the layers do not fit, the last layer has
    /// more than one output, a label is missing or the kernels lack scratch memory.
    package static func narrowStepBinaryCrossEntropy(
        _ x: Matrix, layers: [NarrowLayer], labels: [Int], into activations: inout NarrowActivations,
        gradient: inout Matrix, probabilities: inout Matrix,
        weightGradients: inout [Matrix], biasGradients: inout [[Float]]
    ) -> (loss: Double, correct: Int)? {
        guard let (path, threads, inverseBatch) = prepareBinaryCrossEntropy(
            x, layers: layers, labels: labels, activations: &activations,
            gradient: &gradient, probabilities: &probabilities) else { return nil }
        let parameterCount = layers.reduce(0) { $0 + $1.weight.storage.count + $1.bias.count }
        var loss = 0.0, correct = 0
        let done = withUnsafeTemporaryAllocation(of: Float.self, capacity: parameterCount) { grads in
            let ok = withBinaryCrossEntropyPointers(x, layers: layers, labels: labels, activations: &activations,
                                                    gradient: &gradient, probabilities: &probabilities,
                                                    gradients: grads.baseAddress) {
                nnm_narrow_step_bce(path, x.rows, $0.x, layers.count, $0.layers, $0.lanes, $0.labels, inverseBatch,
                                    $0.gradient, $0.probabilities, &loss, &correct, threads) == 0
            }
            guard ok else { return false }
            store(UnsafeBufferPointer(grads), of: layers, weightGradients: &weightGradients, biasGradients: &biasGradients)
            return true
        }
        return done ? (loss, correct) : nil
    }

    /// What both fused binary cross-entropy calls check and shape before the kernels: nil
    /// when the layers do not fit, the last layer has more than one output or a label is
    /// missing; else the kernel path, the threads and 1/batch.
    private static func prepareBinaryCrossEntropy(
        _ x: Matrix, layers: [NarrowLayer], labels: [Int], activations: inout NarrowActivations,
        gradient: inout Matrix, probabilities: inout Matrix
    ) -> (path: nnm_path, threads: Int32, inverseBatch: Float)? {
        guard fitsNarrowPath(inputs: x.columns, layers: layers), layers.last?.weight.rows == 1,
              labels.count >= x.rows else { return nil }
        activations.prepare(batch: x.rows, inputs: x.columns, widths: layers.map { $0.weight.rows })
        gradient.reshape(rows: x.rows, columns: 1)
        probabilities.reshape(rows: x.rows, columns: 1)
        return (Kernels.cPath(ComputeOptions.current.kernelPath), Int32(min(ComputeOptions.current.threads, 2)),
                Float(1 / Double(max(x.rows, 1))))
    }

    /// The C pointers both fused binary cross-entropy calls pass, valid only inside the body of
    /// ``withBinaryCrossEntropyPointers(_:layers:labels:activations:gradient:probabilities:gradients:_:)``.
    private struct BinaryCrossEntropyPointers {
        let x: UnsafePointer<Float>?
        let layers: UnsafePointer<nnm_dense_layer>?
        let lanes: UnsafeMutablePointer<Float>
        let labels: UnsafePointer<Int>?
        let gradient: UnsafeMutablePointer<Float>?
        let probabilities: UnsafeMutablePointer<Float>?
    }

    /// Runs `body` with the pointers of a fused binary cross-entropy call (the layers described
    /// by ``withDenseLayers(_:lastOutput:gradients:_:)``); false when `body` is false or there
    /// is no lanes buffer.
    private static func withBinaryCrossEntropyPointers(
        _ x: Matrix, layers: [NarrowLayer], labels: [Int], activations: inout NarrowActivations,
        gradient: inout Matrix, probabilities: inout Matrix, gradients: UnsafeMutablePointer<Float>?,
        _ body: (BinaryCrossEntropyPointers) -> Bool
    ) -> Bool {
        x.storage.withUnsafeBufferPointer { px in
            labels.withUnsafeBufferPointer { l in
                gradient.storage.withUnsafeMutableBufferPointer { g in
                    probabilities.storage.withUnsafeMutableBufferPointer { p in
                        activations.lastOutput.withUnsafeMutableBufferPointer { last in
                            activations.lanes.withUnsafeMutableBufferPointer { lanes in
                                guard let lanesBase = lanes.baseAddress else { return false }
                                return withDenseLayers(layers, lastOutput: last.baseAddress, gradients: gradients) {
                                    body(BinaryCrossEntropyPointers(
                                        x: px.baseAddress, layers: $0.baseAddress, lanes: lanesBase,
                                        labels: l.baseAddress, gradient: g.baseAddress, probabilities: p.baseAddress))
                                } ?? false
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies the kernels' gradients (every layer's weights then biases, in layer order) into
    /// per-layer arrays, reshaping them to fit.
    private static func store(_ grads: UnsafeBufferPointer<Float>, of layers: [NarrowLayer],
                              weightGradients: inout [Matrix], biasGradients: inout [[Float]]) {
        if weightGradients.count != layers.count {
            weightGradients = layers.map { Matrix(rows: $0.weight.rows, columns: $0.weight.columns) }
        }
        if biasGradients.count != layers.count { biasGradients = layers.map { $0.bias } }
        var cursor = 0
        for (l, layer) in layers.enumerated() {
            weightGradients[l].reshape(rows: layer.weight.rows, columns: layer.weight.columns)
            for i in 0..<layer.weight.storage.count { weightGradients[l].storage[i] = grads[cursor + i] }
            cursor += layer.weight.storage.count
            if biasGradients[l].count != layer.bias.count {
                biasGradients[l] = [Float](repeating: 0, count: layer.bias.count)
            }
            for i in 0..<layer.bias.count { biasGradients[l][i] = grads[cursor + i] }
            cursor += layer.bias.count
        }
    }
}
