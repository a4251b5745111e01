import NNM

/// Times the elementwise steps a W3 batch performs (for finding what is left besides GEMMs).
func benchElementwise() {
    var noise = InputNoise(seed: 9)
    var w = Matrix(rows: 100, columns: 784, storage: noise.matrix(100, 784))
    let g = Matrix(rows: 100, columns: 784, storage: noise.matrix(100, 784))
    let update = medianSeconds(repeats: 500) { Ops.subtractScaled(g, scale: 0.1, from: &w) }
    report("subtractScaled 78400", seconds: update, throughput: 78400 / update / 1e9, unit: "G elem/s")
    var d = Matrix(rows: 32, columns: 200, storage: noise.matrix(32, 200))
    let a = Matrix(rows: 32, columns: 200, storage: noise.matrix(32, 200))
    let relu = medianSeconds(repeats: 500) { Ops.reluBackward(&d, activations: a) }
    report("reluBackward 32x200", seconds: relu, throughput: 6400 / relu / 1e9, unit: "G elem/s")
    var sums: [Float] = []
    let sum = medianSeconds(repeats: 500) { Ops.sumColumns(a, into: &sums) }
    report("sumColumns 32x200", seconds: sum, throughput: 6400 / sum / 1e9, unit: "G elem/s")
}
