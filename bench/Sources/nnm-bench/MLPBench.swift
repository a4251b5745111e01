#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNM

/// A multilayer perceptron trained layer by layer on `Ops` (fused linear+ReLU forward, GEMM
/// backward, plain SGD), with every buffer allocated once. This is the benchmark's own
/// implementation of the workloads until the engine's layers and trainer exist; it uses the
/// same Ops the engine calls.
struct OpsMLP {
    enum Loss { case sigmoidBinaryCrossEntropy, softmaxCrossEntropy }

    var layers: [Ops.NarrowLayer]   // weight [outputs, inputs] (the .nnm layout), bias, activation
    let loss: Loss
    /// Narrow networks (widths ≤ 32) run through Ops.narrowForward/narrowBackward; others
    /// layer by layer. Outputs agree bit for bit; the narrow path's batch sums use the 16-partial
    /// split (spec/training.md §1), so final weights agree to rounding, not bits.
    let narrow: Bool
    private var outputs: [Matrix]   // outputs[l]: layer l after its activation (last: logits)
    private var deltas: [Matrix]    // deltas[l]: dLoss/d(pre-activation of layer l)
    private var weightGrads: [Matrix]
    private var biasGrads: [[Float]]
    private var activations = Ops.NarrowActivations()

    init(sizes: [Int], loss: Loss, seed: UInt64, allowNarrow: Bool = true) {
        var random = SeededRandom(seed: seed, stream: .initialization)
        layers = []
        for l in 0..<(sizes.count - 1) {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            let scale = (2.0 / Double(fanIn)).squareRoot()   // He normal
            let values = (0..<(fanIn * fanOut)).map { _ in Float(random.normal() * scale) }
            layers.append(Ops.NarrowLayer(
                weight: Matrix(rows: fanOut, columns: fanIn, storage: values),
                bias: [Float](repeating: 0, count: fanOut),
                activation: l + 2 < sizes.count ? .relu : .identity))
        }
        self.loss = loss
        narrow = allowNarrow && Ops.fitsNarrowPath(inputs: sizes[0], layers: layers)
        outputs = layers.map { _ in Matrix(rows: 0, columns: 0) }
        deltas = outputs
        weightGrads = layers.map { Matrix(rows: $0.weight.rows, columns: $0.weight.columns) }
        biasGrads = layers.map { $0.bias }
    }

    var layerCount: Int { layers.count }

    /// Forward pass, layer by layer; returns the logits (last layer, no activation).
    mutating func forward(_ x: Matrix) -> Matrix {
        for l in 0..<layerCount {
            let input = l == 0 ? x : outputs[l - 1]
            Ops.linear(input, weight: layers[l].weight, bias: layers[l].bias,
                       activation: layers[l].activation, into: &outputs[l])
        }
        return outputs[layerCount - 1]
    }

    /// dLoss/dlogits for the batch, into `deltas[last]`.
    private mutating func lossGradient(logits z: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                                       labels: ArraySlice<Int>) {
        let last = layerCount - 1
        deltas[last].reshape(rows: rows, columns: columns)
        let inverseBatch = 1 / Float(rows)
        let loss = self.loss
        deltas[last].storage.withUnsafeMutableBufferPointer { d in
            for r in 0..<rows {
                let label = labels[labels.startIndex + r]
                switch loss {
                case .sigmoidBinaryCrossEntropy:
                    let p = 1 / (1 + expf(-z[r]))
                    d[r] = (p - Float(label)) * inverseBatch
                case .softmaxCrossEntropy:
                    var top = -Float.infinity
                    for c in 0..<columns { top = max(top, z[r * columns + c]) }
                    var sum: Float = 0
                    for c in 0..<columns {
                        let e = expf(z[r * columns + c] - top)
                        d[r * columns + c] = e
                        sum += e
                    }
                    for c in 0..<columns {
                        let target: Float = c == label ? 1 : 0
                        d[r * columns + c] = (d[r * columns + c] / sum - target) * inverseBatch
                    }
                }
            }
        }
    }

    /// One SGD step on a batch; `labels` are class indices (0/1 for the binary loss).
    mutating func step(_ x: Matrix, labels: ArraySlice<Int>, learningRate: Float) {
        let last = layerCount - 1
        if narrow {
            Ops.narrowForward(x, layers: layers, into: &activations)
            let columns = layers[last].weight.rows
            activations.withOutput(last) { z in
                lossGradient(logits: z, rows: x.rows, columns: columns, labels: labels)
            }
            Ops.narrowBackward(x, layers: layers, activations: activations,
                               outputGradient: deltas[last], weightGradients: &weightGrads,
                               biasGradients: &biasGrads)
            for l in 0..<layerCount {
                Ops.subtractScaled(weightGrads[l], scale: learningRate, from: &layers[l].weight)
                Ops.subtractScaled(biasGrads[l], scale: learningRate, from: &layers[l].bias)
            }
            return
        }
        let logits = forward(x)
        logits.storage.withUnsafeBufferPointer { z in
            lossGradient(logits: z, rows: logits.rows, columns: logits.columns, labels: labels)
        }
        for l in stride(from: last, through: 0, by: -1) {
            let input = l == 0 ? x : outputs[l - 1]
            Ops.matmul(deltas[l], transposeA: true, input, into: &weightGrads[l])
            Ops.sumColumns(deltas[l], into: &biasGrads[l])
            if l > 0 {
                Ops.matmul(deltas[l], layers[l].weight, into: &deltas[l - 1])
                Ops.reluBackward(&deltas[l - 1], activations: outputs[l - 1])
            }
            Ops.subtractScaled(weightGrads[l], scale: learningRate, from: &layers[l].weight)
            Ops.subtractScaled(biasGrads[l], scale: learningRate, from: &layers[l].bias)
        }
    }

    /// Fraction of rows whose predicted class equals the label.
    mutating func accuracy(_ x: Matrix, labels: [Int]) -> Double {
        let logits = forward(x)
        var correct = 0
        for r in 0..<logits.rows {
            let predicted: Int
            if logits.columns == 1 {
                predicted = logits[r, 0] > 0 ? 1 : 0
            } else {
                let row = logits.row(r)
                predicted = row.indices.max { row[$0] < row[$1] } ?? 0
            }
            if predicted == labels[r] { correct += 1 }
        }
        return Double(correct) / Double(max(1, logits.rows))
    }

    /// All parameters' bits, to check that the narrow and layer-by-layer paths agree.
    var parameterBits: [UInt32] {
        layers.flatMap { $0.weight.storage.map(\.bitPattern) + $0.bias.map(\.bitPattern) }
    }
}

/// sklearn-style `make_circles`: half the points on the unit circle (label 0), half on a circle
/// of radius `factor` (label 1), angles evenly spaced, plus Gaussian noise.
func makeCircles(count: Int, noise: Double, factor: Double, seed: UInt64) -> (Matrix, [Int]) {
    var random = SeededRandom(seed: seed, stream: .dataset)
    let outer = count / 2, inner = count - outer
    var values: [Float] = []
    var labels: [Int] = []
    for (n, radius, label) in [(outer, 1.0, 0), (inner, factor, 1)] {
        for i in 0..<n {
            let angle = 2 * Double.pi * Double(i) / Double(n)
            values.append(Float(radius * cos(angle) + noise * random.normal()))
            values.append(Float(radius * sin(angle) + noise * random.normal()))
            labels.append(label)
        }
    }
    return (Matrix(rows: count, columns: 2, storage: values), labels)
}

/// W1/W2: full-batch gradient descent on circles(5000, noise 0.04, factor 0.8).
func benchCircles(name: String, sizes: [Int], epochs: Int, learningRate: Float, threads: Int,
                  allowNarrow: Bool = true) {
    let (x, labels) = makeCircles(count: 5000, noise: 0.04, factor: 0.8, seed: 1)
    let (testX, testLabels) = makeCircles(count: 1000, noise: 0.04, factor: 0.8, seed: 2)
    let options = ComputeOptions(threads: threads)
    let (seconds, trained) = fastestOf(trainingRuns) { () -> (seconds: Double, result: OpsMLP) in
        var net = OpsMLP(sizes: sizes, loss: .sigmoidBinaryCrossEntropy, seed: 3, allowNarrow: allowNarrow)
        let t0 = now()
        ComputeOptions.$current.withValue(options) {
            for _ in 0..<epochs { net.step(x, labels: labels[...], learningRate: learningRate) }
        }
        return (now() - t0, net)
    }
    var net = trained
    let accuracy = net.accuracy(testX, labels: testLabels)
    let path = net.narrow ? "fused narrow-network path" : "layer-by-layer GEMMs"
    let digest = net.parameterBits.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
    report(name, seconds: seconds, throughput: Double(epochs) / seconds, unit: "epochs/s",
           note: "test acc \(format3(accuracy)); \(path) on Ops (bench's own MLP, not the engine's trainer); thread budget \(threads); weights digest \(String(digest, radix: 16))\(repeatedNote)")
}

/// W3: MNIST-shaped 784-100-200-10, mini-batch SGD, batch 32, random data.
func benchMNISTShaped(name: String, samples: Int, threads: Int) {
    var noise = InputNoise(seed: 11)
    let x = Matrix(rows: samples, columns: 784, storage: noise.matrix(samples, 784, 0, 1))
    let labels = (0..<samples).map { _ in Int(noise.next(0, 10)) % 10 }
    let batch = 32
    var xb = Matrix(rows: batch, columns: 784)
    let (seconds, _) = fastestOf(trainingRuns) { () -> (seconds: Double, result: Void) in
    var net = OpsMLP(sizes: [784, 100, 200, 10], loss: .softmaxCrossEntropy, seed: 5)
    let t0 = now()
    ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
        var start = 0
        while start < samples {
            let end = min(samples, start + batch)
            xb.reshape(rows: end - start, columns: 784)
            xb.storage.withUnsafeMutableBufferPointer { dst in
                x.storage.withUnsafeBufferPointer { src in
                    for i in 0..<((end - start) * 784) { dst[i] = src[start * 784 + i] }
                }
            }
            net.step(xb, labels: labels[start..<end], learningRate: 0.1)
            start = end
        }
    }
    return (now() - t0, ())
    }
    report(name, seconds: seconds, throughput: Double(samples) / seconds, unit: "samples/s",
           note: "layer-by-layer on Ops (bench's own MLP, not the engine's trainer); thread budget \(threads), used per shape\(repeatedNote)")
}

func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded()
    return String(Int(scaled) / 1000) + "." + String(String(Int(scaled) % 1000 + 1000).dropFirst())
}
