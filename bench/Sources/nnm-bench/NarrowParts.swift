import NNM

/// Times the narrow kernels' forward and backward alone on W1/W2 shapes (for tuning).
func benchNarrowParts(widths: [Int], repeats: Int) {
    var noise = InputNoise(seed: 5)
    let batch = 5000
    let x = Matrix(rows: batch, columns: widths[0], storage: noise.matrix(batch, widths[0]))
    let layers = (0..<(widths.count - 1)).map { l in
        Ops.NarrowLayer(weight: Matrix(rows: widths[l + 1], columns: widths[l],
                                       storage: noise.matrix(widths[l + 1], widths[l])),
                        bias: noise.matrix(1, widths[l + 1]),
                        activation: l + 2 < widths.count ? .relu : .identity)
    }
    var acts = Ops.NarrowActivations()
    let forward = medianSeconds(repeats: repeats) { Ops.narrowForward(x, layers: layers, into: &acts) }
    let grad = Matrix(rows: batch, columns: widths.last ?? 1, storage: noise.matrix(batch, widths.last ?? 1))
    var gw: [Matrix] = [], gb: [[Float]] = []
    let backward = medianSeconds(repeats: repeats) {
        Ops.narrowBackward(x, layers: layers, activations: acts, outputGradient: grad,
                           weightGradients: &gw, biasGradients: &gb)
    }
    let name = widths.map(String.init).joined(separator: "-")
    report("narrow forward \(name)", seconds: forward, throughput: Double(batch) / forward / 1e6, unit: "M samples/s")
    report("narrow backward \(name)", seconds: backward, throughput: Double(batch) / backward / 1e6, unit: "M samples/s")
}
