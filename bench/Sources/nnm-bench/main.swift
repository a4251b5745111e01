import NNM
#if canImport(Glibc)
import Glibc
#endif

// nnm-bench: NNM's side of the workloads in bench/README.md; bench/run drives it.
// Usage: nnm-bench [--quick] [--repeat N] [workload ...]   (workloads: gemm small portable w1 w2 w3;
// also `threads`, the sweep behind Kernels.parallelThreshold)
var args = Array(CommandLine.arguments.dropFirst())
let quick = args.contains("--quick")
args.removeAll { $0 == "--quick" }
// `--repeat N`: each training workload (W1–W3) runs N times and reports its fastest run.
let trainingRuns: Int = {
    guard let flag = args.firstIndex(of: "--repeat"), flag + 1 < args.count, let n = Int(args[flag + 1]) else { return 1 }
    return max(1, n)
}()
if let flag = args.firstIndex(of: "--repeat") { args.removeSubrange(flag...min(flag + 1, args.count - 1)) }
/// "; fastest of N" for a report's note when `--repeat` asked for more than one run.
let repeatedNote = trainingRuns > 1 ? "; fastest of \(trainingRuns)" : ""
let all = ["gemm", "small", "portable", "w1", "w2", "w3", "engine"]
let chosen = args.isEmpty ? all : args

// `nnm-bench shape M N K [tA] [tB] [path] [threads]`: one ad-hoc product, for investigating a shape.
if args.first == "shape", args.count >= 4, let m = Int(args[1]), let n = Int(args[2]),
   let k = Int(args[3]) {
    let flag = { (i: Int) in args.count > i && args[i] == "1" }
    let path = args.count > 6 ? KernelPath(rawValue: args[6]) ?? .automatic : .automatic
    let threads = args.count > 7 ? Int(args[7]) ?? 1 : 1
    benchGemm(name: "shape", m: m, n: n, k: k, transA: flag(4), transB: flag(5), threads: threads,
              path: path, repeats: 500)
    exit(0)
}

// `nnm-bench [--quick] write-idx DIR [SAMPLES]`: W3's images and labels as IDX files in DIR
// (images.idx, labels.idx), for bench/run's whole-process nnm-train W3 row; W4 asks for 60000.
if args.first == "write-idx", args.count == 2 || args.count == 3 {
    let samples = args.count == 3 ? Int(args[2]) ?? 0 : (quick ? 2000 : 50000)
    guard samples > 0 else { print("write-idx: SAMPLES must be a positive count"); exit(2) }
    do {
        _ = try writeMNISTShapedIDX(samples: samples, directory: args[1])
        exit(0)
    } catch {
        print("write-idx failed: \(error)")
        exit(1)
    }
}

/// W1, W2 and W3 through the engine's Trainer (what nnm-train runs), in the order given.
func runEngine(_ workloads: [String]) {
    do {
        for workload in workloads {
            switch workload {
            case "w1":
                try benchEngineCircles(name: "W1 2-5-2-1 (engine Trainer)", hidden: [5, 2],
                                       epochs: quick ? 300 : 9000, learningRate: 0.05)
            case "w2":
                try benchEngineCircles(name: "W2 2-16-16-1 (engine Trainer)", hidden: [16, 16],
                                       epochs: quick ? 100 : 2000, learningRate: 0.1)
            default:
                try benchEngineMNISTShaped(name: "W3 784-100-200-10 (engine Trainer)",
                                           samples: quick ? 2000 : 50000)
            }
        }
    } catch {
        print("engine \(workloads.count == 1 ? "workload" : "workloads") failed: \(error)")
    }
}

for workload in chosen {
    switch workload {
    case "gemm":
        let size = quick ? 256 : 1024
        benchGemm(name: "GEMM \(size)³ 1 thread", m: size, n: size, k: size, threads: 1,
                  repeats: quick ? 3 : 7)
        benchGemm(name: "GEMM \(size)³ 2 threads", m: size, n: size, k: size, threads: 2,
                  repeats: quick ? 3 : 7)
        benchGemm(name: "GEMM \(size)³ 1 thread AVX2", m: size, n: size, k: size, threads: 1,
                  path: .avx2, repeats: quick ? 3 : 7)
    case "small":
        let r = quick ? 50 : 2000
        benchGemm(name: "5000x2·2x5", m: 5000, n: 5, k: 2, transB: true, threads: 1, repeats: r)
        benchGemm(name: "dW 5x5000·5000x2", m: 5, n: 2, k: 5000, transA: true, threads: 1, repeats: r)
        benchGemm(name: "5000x16·16x16", m: 5000, n: 16, k: 16, transB: true, threads: 1, repeats: r)
        benchGemm(name: "dW 16x5000·5000x16", m: 16, n: 16, k: 5000, transA: true, threads: 1, repeats: r)
        benchGemm(name: "32x784·784x100", m: 32, n: 100, k: 784, transB: true, threads: 2, repeats: r)
        benchGemm(name: "dW 100x32·32x784", m: 100, n: 784, k: 32, transA: true, threads: 2, repeats: r)
    case "threads":   // where a second thread starts to pay (for tuning parallelThreshold)
        for (m, n, k) in [(32, 100, 784), (100, 784, 32), (32, 200, 100), (200, 100, 32),
                          (32, 100, 200), (64, 64, 64), (96, 96, 96), (128, 128, 128),
                          (192, 192, 192), (256, 256, 256), (384, 384, 384),
                          (512, 512, 512), (32, 1024, 784), (256, 784, 100), (5000, 16, 16),
                          (5000, 5, 2), (5000, 64, 64), (5000, 128, 128)] {
            for t in [1, 2] {
                benchGemm(name: "\(m)x\(k)·\(k)x\(n) \(t)t", m: m, n: n, k: k, threads: t,
                          forceThreads: true, repeats: 200)
            }
        }
    case "portable":
        let size = quick ? 128 : 512
        benchGemm(name: "GEMM \(size)³ portable", m: size, n: size, k: size, threads: 1,
                  path: .portable, repeats: 3)
    case "w1":
        benchCircles(name: "W1 2-5-2-1", sizes: [2, 5, 2, 1], epochs: quick ? 300 : 9000,
                     learningRate: 0.05, threads: 2)
    case "engine":   // the same workloads through the engine's Trainer (what nnm-train runs)
        runEngine(["w1", "w2", "w3"])
    case "engine-w1", "engine-w2", "engine-w3":   // one of them alone (for profiling)
        runEngine([String(workload.dropFirst("engine-".count))])
    case "w1-layers":   // the same W1 through per-layer GEMMs (single-chain batch sums: near, not the same bits)
        benchCircles(name: "W1 2-5-2-1 per-layer GEMMs", sizes: [2, 5, 2, 1],
                     epochs: quick ? 300 : 9000, learningRate: 0.05, threads: 2, allowNarrow: false)
    case "w2-layers":
        benchCircles(name: "W2 2-16-16-1 per-layer GEMMs", sizes: [2, 16, 16, 1],
                     epochs: quick ? 100 : 2000, learningRate: 0.1, threads: 2, allowNarrow: false)
    case "elementwise":
        benchElementwise()
    case "narrow-parts":
        benchNarrowParts(widths: [2, 5, 2, 1], repeats: 200)
        benchNarrowParts(widths: [2, 16, 16, 1], repeats: 200)
    case "w2":
        benchCircles(name: "W2 2-16-16-1", sizes: [2, 16, 16, 1], epochs: quick ? 100 : 2000,
                     learningRate: 0.1, threads: 2)
    case "w3":
        benchMNISTShaped(name: "W3 784-100-200-10", samples: quick ? 2000 : 50000, threads: 2)
    case "io":   // S: save / load ~40 MB of float32 weights through the .nnm format
        do { try benchModelIO(quick: quick) } catch { print("io workload failed: \(error)") }
    case "w3-memory":   // peak resident memory of W3 through Trainer.fit, images streamed from an IDX file
        do { try benchW3MemoryStreamed(samples: quick ? 2000 : 50000) } catch {
            print("w3-memory workload failed: \(error)")
        }
    case "w3-streamed":   // W3's speed with the images streamed from an IDX file
        do { try benchW3Streamed(samples: quick ? 2000 : 50000) } catch {
            print("w3-streamed workload failed: \(error)")
        }
    case "w3-memory-in-memory":   // the same with the float32 inputs in memory: data vs training
        do { try benchW3MemoryInMemory(samples: quick ? 2000 : 50000) } catch {
            print("w3-memory-in-memory workload failed: \(error)")
        }
    case "latency":   // W5: one-sample NNMModel.predict([Float]) (bench/inference/run)
        benchOneSampleLatency(quick: quick)
    default:
        print("unknown workload \(workload); known: \(all.joined(separator: " "))")
    }
}
