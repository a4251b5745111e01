import NNM

// nnm-bench: NNM's side of the workloads in bench/README.md; bench/run drives it.
// Usage: nnm-bench [--quick] [workload ...]   (workloads: gemm small portable w1 w2 w3)
var args = Array(CommandLine.arguments.dropFirst())
let quick = args.contains("--quick")
args.removeAll { $0 == "--quick" }
let all = ["gemm", "small", "portable", "w1", "w2", "w3"]
let chosen = args.isEmpty ? all : args

for workload in chosen {
    switch workload {
    case "gemm":
        let size = quick ? 256 : 1024
        benchGemm(name: "GEMM \(size)³ 1 thread", m: size, n: size, k: size, threads: 1,
                  repeats: quick ? 3 : 7)
        benchGemm(name: "GEMM \(size)³ 2 threads", m: size, n: size, k: size, threads: 2,
                  repeats: quick ? 3 : 7)
    case "small":
        let r = quick ? 50 : 2000
        benchGemm(name: "5000x2·2x5", m: 5000, n: 5, k: 2, transB: true, threads: 1, repeats: r)
        benchGemm(name: "dW 5x5000·5000x2", m: 5, n: 2, k: 5000, transA: true, threads: 1, repeats: r)
        benchGemm(name: "5000x16·16x16", m: 5000, n: 16, k: 16, transB: true, threads: 1, repeats: r)
        benchGemm(name: "dW 16x5000·5000x16", m: 16, n: 16, k: 5000, transA: true, threads: 1, repeats: r)
        benchGemm(name: "32x784·784x100 1t", m: 32, n: 100, k: 784, transB: true, threads: 1, repeats: r)
        benchGemm(name: "32x784·784x100 2t", m: 32, n: 100, k: 784, transB: true, threads: 2, repeats: r)
        benchGemm(name: "dW 100x32·32x784", m: 100, n: 784, k: 32, transA: true, threads: 1, repeats: r)
        benchGemm(name: "dW 100x32·32x784 2t", m: 100, n: 784, k: 32, transA: true, threads: 2, repeats: r)
    case "portable":
        let size = quick ? 128 : 512
        benchGemm(name: "GEMM \(size)³ portable", m: size, n: size, k: size, threads: 1,
                  path: .portable, repeats: 3)
    default:
        print("unknown workload \(workload); known: \(all.joined(separator: " "))")
    }
}
