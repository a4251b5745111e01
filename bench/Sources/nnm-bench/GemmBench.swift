import NNM

/// GEMM throughput at one shape: `m×k · k×n`, given transposes, thread budget and path.
func benchGemm(name: String, m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
               threads: Int, path: KernelPath = .automatic, forceThreads: Bool = false,
               repeats: Int) {
    var noise = InputNoise(seed: 7)
    let a = transA ? Matrix(rows: k, columns: m, storage: noise.matrix(k, m))
                   : Matrix(rows: m, columns: k, storage: noise.matrix(m, k))
    let b = transB ? Matrix(rows: n, columns: k, storage: noise.matrix(n, k))
                   : Matrix(rows: k, columns: n, storage: noise.matrix(k, n))
    var c = Matrix(rows: m, columns: n)
    var options = ComputeOptions(threads: threads, kernelPath: path)
    if forceThreads { options.parallelThreshold = 0 }
    let seconds = ComputeOptions.$current.withValue(options) {
        medianSeconds(repeats: repeats) {
            Ops.matmul(a, transposeA: transA, b, transposeB: transB, into: &c)
        }
    }
    let gflops = 2.0 * Double(m) * Double(n) * Double(k) / seconds / 1e9
    let used = Kernels.threadsWorthUsing(m: m, n: n, k: k, budget: threads,
                                        threshold: options.parallelThreshold)
    report(name, seconds: seconds, throughput: gflops, unit: "GFLOP/s",
           note: "\(m)x\(k)·\(k)x\(n) tA=\(transA) tB=\(transB) threads=\(used)/\(threads) \(options.resolvedInstructionSet.rawValue)")
}
