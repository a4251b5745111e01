import CNNMKernels

/// Narrow networks (every layer width ≤ 32, at most 8 layers): forward and backward passes
/// that walk one sample at a time through *all* layers with its activations in registers,
/// instead of one GEMM per layer over the whole batch. For the tiny layers of the circles
/// networks the per-layer GEMMs are all call and edge overhead; this path is not.
///
/// Same bits as the layer-by-layer path: `narrowForward` equals `Ops.linear(…, activation:)`
/// layer after layer, and `narrowBackward` equals `matmul(δ, transposeA: true, input)`,
/// `sumColumns(δ)`, `matmul(δ, W)` + `reluBackward` layer after layer (tested bit for bit), so
/// a trainer may pick either path by shape without changing a single saved byte.
extension Ops {
    /// Widest layer and most layers `narrowForward` / `narrowBackward` accept.
    public static let narrowMaximumWidth = Int(NNM_NARROW_MAX)
    public static let narrowMaximumLayers = Int(NNM_NARROW_MAX_LAYERS)

    /// One dense layer: `y = activation(x · weightᵀ + bias)`, weight `[outputs, inputs]`.
    public struct NarrowLayer: Sendable, Equatable {
        public var weight: Matrix
        public var bias: [Float]
        public var activation: FusedActivation
        public init(weight: Matrix, bias: [Float], activation: FusedActivation) {
            self.weight = weight
            self.bias = bias
            self.activation = activation
        }
    }

    /// Every layer's output for one batch, in one buffer that is reused while the batch shape
    /// stays the same (no allocation per step).
    public struct NarrowActivations: Sendable {
        public private(set) var batch = 0
        public private(set) var widths: [Int] = []
        fileprivate var storage: [Float] = []
        fileprivate var offsets: [Int] = []

        public init() {}

        fileprivate mutating func prepare(batch: Int, widths: [Int]) {
            if batch == self.batch && widths == self.widths { return }
            self.batch = batch
            self.widths = widths
            offsets = []
            var total = 0
            for w in widths { offsets.append(total); total += batch * w }
            if storage.count != total { storage = [Float](repeating: 0, count: total) }
        }

        /// Reads layer `index`'s output, `[batch, widths[index]]` row-major, without copying.
        public func withOutput<R>(_ index: Int,
                                  _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
            let start = offsets[index]
            return try storage.withUnsafeBufferPointer {
                try body(UnsafeBufferPointer(rebasing: $0[start ..< start + batch * widths[index]]))
            }
        }

        /// Layer `index`'s output, `[batch, widths[index]]` (a copy).
        public func output(_ index: Int) -> Matrix {
            let start = offsets[index]
            return Matrix(rows: batch, columns: widths[index],
                          storage: Array(storage[start ..< start + batch * widths[index]]))
        }
    }

    /// Whether `layers` fit the narrow kernels (widths, count and chaining).
    public static func fitsNarrowPath(inputs: Int, layers: [NarrowLayer]) -> Bool {
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
    /// temporary (stack) buffer, outputs pointing into `activations`.
    private static func withDenseLayers<R>(
        _ layers: [NarrowLayer], activations: UnsafeMutablePointer<Float>, offsets: [Int],
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
                        output: activations + offsets[l],
                        weight_grad: gradW, bias_grad: gradB)
                }
                return body(UnsafeBufferPointer(descs))
            }
        }
    }

    /// Forward pass of a narrow network over the batch `x`; returns false (and writes nothing)
    /// when the layers do not fit the narrow path — use `Ops.linear` per layer then.
    @discardableResult
    public static func narrowForward(_ x: Matrix, layers: [NarrowLayer],
                                     into activations: inout NarrowActivations) -> Bool {
        guard fitsNarrowPath(inputs: x.columns, layers: layers) else { return false }
        activations.prepare(batch: x.rows, widths: layers.map { $0.weight.rows })
        let offsets = activations.offsets
        let path = Kernels.cPath(ComputeOptions.current.kernelPath)
        return x.storage.withUnsafeBufferPointer { px in
            activations.storage.withUnsafeMutableBufferPointer { acts in
                guard let base = acts.baseAddress else { return false }
                return withDenseLayers(layers, activations: base, offsets: offsets, gradients: nil) {
                    nnm_narrow_forward(path, x.rows, px.baseAddress, layers.count, $0.baseAddress) == 0
                } ?? false
            }
        }
    }

    /// Backward pass after `narrowForward` on the same `x` and `layers`. `outputGradient` is
    /// dLoss/d(last layer's pre-activation), `[batch, last width]`. Writes each layer's weight
    /// and bias gradient (resized to fit). Returns false when the shapes do not fit.
    @discardableResult
    public static func narrowBackward(_ x: Matrix, layers: [NarrowLayer],
                                      activations: NarrowActivations,
                                      outputGradient: Matrix,
                                      weightGradients: inout [Matrix],
                                      biasGradients: inout [[Float]]) -> Bool {
        guard fitsNarrowPath(inputs: x.columns, layers: layers),
              activations.batch == x.rows, activations.widths == layers.map({ $0.weight.rows }),
              outputGradient.rows == x.rows, outputGradient.columns == activations.widths.last
        else { return false }
        let offsets = activations.offsets
        let path = Kernels.cPath(ComputeOptions.current.kernelPath)
        let parameterCount = layers.reduce(0) { $0 + $1.weight.storage.count + $1.bias.count }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: parameterCount) { grads in
            let ok = x.storage.withUnsafeBufferPointer { px in
                outputGradient.storage.withUnsafeBufferPointer { pg in
                    activations.storage.withUnsafeBufferPointer { acts in
                        // Backward only reads the outputs; the C struct's field is non-const
                        // because forward writes through it.
                        guard let outputs = acts.baseAddress else { return false }
                        return withDenseLayers(layers, activations: UnsafeMutablePointer(mutating: outputs),
                                               offsets: offsets, gradients: grads.baseAddress) {
                            nnm_narrow_backward(path, x.rows, px.baseAddress, layers.count,
                                                $0.baseAddress, pg.baseAddress) == 0
                        } ?? false
                    }
                }
            }
            guard ok else { return false }
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
            return true
        }
    }
}
