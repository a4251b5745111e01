import Testing
@testable import NNM

/// The narrow kernels' batch reduction written out independently (spec/training.md §1): the
/// batch's B = ⌈rows/16⌉ blocks split into halves [0, H) and [H, B), H = ⌈B/2⌉; in each half
/// sample r goes to partial r mod 16, each partial from +0 in increasing r; the halves added
/// lane by lane (first + second), then the fixed pairwise tree p[j] += p[j + h] for h = 8, 4, 2, 1.
private func splitBatchSum(rows: Int, _ step: (Float, Int) -> Float) -> Float {
    let blocks = (rows + 15) / 16
    let firstHalfEnd = (blocks + 1) / 2 * 16
    var first = [Float](repeating: 0, count: 16)
    var second = [Float](repeating: 0, count: 16)
    for r in 0..<rows {
        if r < firstHalfEnd { first[r % 16] = step(first[r % 16], r) } else { second[r % 16] = step(second[r % 16], r) }
    }
    var partials = (0..<16).map { first[$0] + second[$0] }
    var h = 8
    while h >= 1 {
        for j in 0..<h { partials[j] = partials[j] + partials[j + h] }
        h /= 2
    }
    return partials[0]
}

/// The reference the narrow kernels must match bit for bit: the layer-by-layer `Ops` sequence
/// for outputs and input gradients, `splitBatchSum` for weight and bias gradients.
private struct LayerByLayer {
    var outputs: [Matrix] = []
    var weightGradients: [Matrix] = []
    var biasGradients: [[Float]] = []

    mutating func forward(_ x: Matrix, _ layers: [Ops.NarrowLayer]) {
        outputs = []
        var input = x
        for layer in layers {
            var y = Matrix(rows: 0, columns: 0)
            Ops.linear(input, weight: layer.weight, bias: layer.bias, activation: layer.activation, into: &y)
            outputs.append(y)
            input = y
        }
    }

    mutating func backward(_ x: Matrix, _ layers: [Ops.NarrowLayer], outputGradient: Matrix) {
        weightGradients = layers.map { _ in Matrix(rows: 0, columns: 0) }
        biasGradients = layers.map { _ in [] }
        var delta = outputGradient
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let input = l == 0 ? x : outputs[l - 1]
            var gradient = Matrix(rows: delta.columns, columns: input.columns)
            for o in 0..<delta.columns {
                for i in 0..<input.columns {
                    gradient.storage[o * input.columns + i] = splitBatchSum(rows: delta.rows) { p, r in
                        p.addingProduct(delta.storage[r * delta.columns + o], input.storage[r * input.columns + i])
                    }
                }
            }
            weightGradients[l] = gradient
            biasGradients[l] = (0..<delta.columns).map { o in
                splitBatchSum(rows: delta.rows) { p, r in p + delta.storage[r * delta.columns + o] }
            }
            if l > 0 {
                var previous = Matrix(rows: 0, columns: 0)
                Ops.matmul(delta, layers[l].weight, into: &previous)
                if layers[l - 1].activation == .relu {
                    Ops.reluBackward(&previous, activations: outputs[l - 1])
                }
                delta = previous
            }
        }
    }
}

private func network(widths: [Int], seed: UInt64) -> [Ops.NarrowLayer] {
    var noise = KernelTestNoise(seed: seed)
    return (0..<(widths.count - 1)).map { l in
        Ops.NarrowLayer(weight: noise.matrix(widths[l + 1], widths[l]),
                        bias: (0..<widths[l + 1]).map { _ in noise.next() * 0.5 },
                        activation: l + 2 < widths.count ? .relu : .identity)
    }
}

@Suite("Kernel narrow networks")
struct KernelNarrowTests {
    static let cases: [(widths: [Int], batch: Int)] = [
        ([2, 5, 2, 1], 301), ([2, 16, 16, 1], 64), ([7, 32, 9, 4], 33), ([1, 1], 1),
        ([3, 17, 31, 8, 2], 20), ([32, 32], 5), ([2, 9, 1], 16), ([4, 12, 3], 47),
    ]

    @Test("outputs and input gradients equal the layer-by-layer Ops sequence, batch sums the 16-partial split, bit for bit on every path",
          arguments: KernelPath.allCases)
    func matchesLayerByLayer(path: KernelPath) throws {
        try Self.checkAgainstLayerByLayer(Self.cases, threads: 1, path: path)
    }

    /// Batches of 2048 and more share their second half with the kernels' helper thread when
    /// two threads are allowed; the bits must not change (three runs each, to catch a race).
    @Test("two threads give the same bits on batches large enough to be split")
    func twoThreadsMatchLayerByLayer() throws {
        let large: [(widths: [Int], batch: Int)] = [([2, 16, 16, 1], 5000), ([2, 5, 2, 1], 4103), ([7, 32, 9, 4], 2049)]
        for _ in 0..<3 { try Self.checkAgainstLayerByLayer(large, threads: 2, path: .automatic) }
    }

    static func checkAgainstLayerByLayer(_ cases: [(widths: [Int], batch: Int)], threads: Int, path: KernelPath) throws {
        try ComputeOptions.$current.withValue(ComputeOptions(threads: threads, kernelPath: path)) {
            for (index, c) in cases.enumerated() {
                let layers = network(widths: c.widths, seed: UInt64(10 + index))
                var noise = KernelTestNoise(seed: UInt64(50 + index))
                let x = noise.matrix(c.batch, c.widths[0])
                let outputGradient = noise.matrix(c.batch, c.widths.last ?? 1)

                var reference = LayerByLayer()
                reference.forward(x, layers)
                reference.backward(x, layers, outputGradient: outputGradient)

                var activations = Ops.NarrowActivations()
                try #require(Ops.narrowForward(x, layers: layers, into: &activations))
                for l in layers.indices {
                    #expect(activations.output(l).storage.map(\.bitPattern)
                            == reference.outputs[l].storage.map(\.bitPattern),
                            "forward layer \(l) of \(c.widths) \(path)")
                }
                var weightGradients: [Matrix] = []
                var biasGradients: [[Float]] = []
                try #require(Ops.narrowBackward(x, layers: layers, activations: activations,
                                                outputGradient: outputGradient,
                                                weightGradients: &weightGradients,
                                                biasGradients: &biasGradients))
                for l in layers.indices {
                    #expect(weightGradients[l].storage.map(\.bitPattern)
                            == reference.weightGradients[l].storage.map(\.bitPattern),
                            "weight gradient \(l) of \(c.widths) \(path)")
                    #expect(biasGradients[l].map(\.bitPattern)
                            == reference.biasGradients[l].map(\.bitPattern),
                            "bias gradient \(l) of \(c.widths) \(path)")
                }
            }
        }
    }

    /// The fused pass must equal `narrowForward` followed by `Kernels.binaryCrossEntropy` on
    /// the same logits, bit for bit: gradient, σ and the loss sum, on one thread and on two
    /// (from 2048 samples each half's loss runs on the thread that computed its logits).
    @Test("forward with fused binary cross-entropy equals forward, then the loss kernel")
    func forwardWithBinaryCrossEntropyMatchesTheTwoSteps() throws {
        for (threads, widths, batch) in [(1, [2, 5, 2, 1], 1), (1, [2, 16, 16, 1], 17), (1, [3, 9, 1], 301),
                                         (2, [2, 5, 2, 1], 5000), (2, [2, 16, 16, 1], 2049)] {
            try ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
                let layers = network(widths: widths, seed: UInt64(batch))
                var noise = KernelTestNoise(seed: UInt64(batch + 1))
                let x = noise.matrix(batch, widths[0])
                let labels = (0..<batch).map { ($0 * 7) % 3 == 0 ? 1 : 0 }

                var separate = Ops.NarrowActivations()
                try #require(Ops.narrowForward(x, layers: layers, into: &separate))
                let logits = separate.output(layers.count - 1)
                var gradient = [Float](repeating: .nan, count: batch)
                var probability = [Float](repeating: .nan, count: batch)
                let sum = Kernels.binaryCrossEntropy(rows: batch, logits: logits.storage, labels: labels,
                                                     inverseBatch: Float(1 / Double(batch)),
                                                     gradient: &gradient, probabilities: &probability)

                var fused = Ops.NarrowActivations()
                var fusedGradient = Matrix.empty, fusedProbability = Matrix.empty
                let fusedSum = try #require(Ops.narrowForwardBinaryCrossEntropy(
                    x, layers: layers, labels: labels, into: &fused, gradient: &fusedGradient,
                    probabilities: &fusedProbability))
                #expect(fusedSum.bitPattern == sum.bitPattern, "\(widths) × \(batch), \(threads) threads")
                #expect(fusedGradient.storage.map(\.bitPattern) == gradient.map(\.bitPattern))
                #expect(fusedProbability.storage.map(\.bitPattern) == probability.map(\.bitPattern))
                #expect(fused.output(layers.count - 2).storage == separate.output(layers.count - 2).storage)
            }
        }
        // More than one output is not a binary cross-entropy: refused.
        var activations = Ops.NarrowActivations()
        var g = Matrix.empty, p = Matrix.empty
        #expect(Ops.narrowForwardBinaryCrossEntropy(
            Matrix(rows: 4, columns: 7), layers: network(widths: [7, 32, 9, 4], seed: 1), labels: [0, 1, 0, 1],
            into: &activations, gradient: &g, probabilities: &p) == nil)
    }

    /// A whole step in one call (`nnm_narrow_step_bce`: each half forward and back on one
    /// thread) must give the bits of the fused forward followed by the backward, and count the
    /// rows `Trainer.countCorrect` counts, on every path, on one thread and on two.
    @Test("a whole step in one call equals the fused forward, then the backward")
    func stepInOneCallMatchesForwardThenBackward() throws {
        for path in KernelPath.allCases {
            for (threads, widths, batch) in [(1, [2, 5, 2, 1], 1), (1, [2, 16, 16, 1], 17), (2, [3, 9, 1], 301),
                                             (2, [2, 5, 2, 1], 5000), (2, [2, 16, 16, 1], 2049), (1, [2, 16, 16, 1], 2049)] {
                try ComputeOptions.$current.withValue(ComputeOptions(threads: threads, kernelPath: path)) {
                    let layers = network(widths: widths, seed: UInt64(batch))
                    var noise = KernelTestNoise(seed: UInt64(batch + 1))
                    var x = noise.matrix(batch, widths[0])
                    // A label other than 0 or 1 (no loss, no gradient, never counted correct) and,
                    // in one batch, a NaN input (a NaN loss: NaN bit patterns are outside the
                    // promise, so sums are compared as NaN or as bits).
                    let labels = (0..<batch).map { $0 % 23 == 7 ? 5 : ($0 * 7) % 3 == 0 ? 1 : 0 }
                    if batch == 2049 && threads == 2 { x.storage[3 * widths[0]] = .nan }
                    let context = "\(path), \(widths) × \(batch), \(threads) threads"

                    var twoCalls = Ops.NarrowActivations()
                    var gradient = Matrix.empty, probability = Matrix.empty
                    let sum = try #require(Ops.narrowForwardBinaryCrossEntropy(
                        x, layers: layers, labels: labels, into: &twoCalls, gradient: &gradient, probabilities: &probability))
                    var weightGradients: [Matrix] = [], biasGradients: [[Float]] = []
                    try #require(Ops.narrowBackward(x, layers: layers, activations: twoCalls, outputGradient: gradient,
                                                    weightGradients: &weightGradients, biasGradients: &biasGradients))

                    var oneCall = Ops.NarrowActivations()
                    var stepGradient = Matrix.empty, stepProbability = Matrix.empty
                    var stepWeightGradients: [Matrix] = [], stepBiasGradients: [[Float]] = []
                    let step = try #require(Ops.narrowStepBinaryCrossEntropy(
                        x, layers: layers, labels: labels, into: &oneCall, gradient: &stepGradient,
                        probabilities: &stepProbability, weightGradients: &stepWeightGradients,
                        biasGradients: &stepBiasGradients))
                    #expect(step.loss.isNaN ? sum.isNaN : step.loss.bitPattern == sum.bitPattern, "\(context)")
                    #expect(step.correct == Trainer.countCorrect(probability, labels: labels), "\(context)")
                    #expect(stepGradient.storage.map(\.bitPattern) == gradient.storage.map(\.bitPattern), "\(context)")
                    #expect(stepProbability.storage.map(\.bitPattern) == probability.storage.map(\.bitPattern), "\(context)")
                    #expect(stepWeightGradients.map { $0.storage.map(\.bitPattern) }
                            == weightGradients.map { $0.storage.map(\.bitPattern) }, "\(context)")
                    #expect(stepBiasGradients.map { $0.map(\.bitPattern) } == biasGradients.map { $0.map(\.bitPattern) },
                            "\(context)")
                }
            }
        }
        // More than one output is not a binary cross-entropy: refused.
        var activations = Ops.NarrowActivations()
        var g = Matrix.empty, p = Matrix.empty, w: [Matrix] = [], b: [[Float]] = []
        #expect(Ops.narrowStepBinaryCrossEntropy(
            Matrix(rows: 4, columns: 7), layers: network(widths: [7, 32, 9, 4], seed: 1), labels: [0, 1, 0, 1],
            into: &activations, gradient: &g, probabilities: &p, weightGradients: &w, biasGradients: &b) == nil)
    }

    @Test("shapes outside the narrow path are refused, not computed")
    func refusesWideOrBroken() {
        var activations = Ops.NarrowActivations()
        let wide = network(widths: [2, 33, 1], seed: 1)
        #expect(!Ops.fitsNarrowPath(inputs: 2, layers: wide))
        #expect(!Ops.narrowForward(Matrix(rows: 4, columns: 2), layers: wide, into: &activations))
        let mismatched = network(widths: [2, 5, 1], seed: 2)
        #expect(!Ops.narrowForward(Matrix(rows: 4, columns: 3), layers: mismatched, into: &activations))
        #expect(!Ops.fitsNarrowPath(inputs: 2, layers: []))
        #expect(Ops.fitsNarrowPath(inputs: 2, layers: mismatched))
    }
}
