import CNNMKernels
import Dispatch

/// The Swift face of the C kernels (target `CNNMKernels`): pointer-level GEMM plus the
/// decision of how many threads a product of a given shape deserves.
///
/// `Ops` wraps these for `Matrix`; call them directly only when you hold raw buffers.
public enum Kernels {
    /// The instruction set a `KernelPath` resolves to on this CPU.
    public enum InstructionSet: String, Sendable, Equatable {
        case avx512 = "avx512f", avx2 = "avx2+fma", portable
    }

    /// What `path` runs as here (the best the CPU supports at or below the request).
    public static func resolve(_ path: KernelPath) -> InstructionSet {
        switch nnm_resolve_path(cPath(path)) {
        case NNM_PATH_AVX512: return .avx512
        case NNM_PATH_AVX2_FMA: return .avx2
        default: return .portable
        }
    }

    static func cPath(_ path: KernelPath) -> nnm_path {
        switch path {
        case .automatic: return NNM_PATH_AVX512
        case .avx2: return NNM_PATH_AVX2_FMA
        case .portable: return NNM_PATH_PORTABLE
        }
    }

    /// Multiply-adds below which a product stays on one thread. Measured on the 2-core
    /// AVX-512 box (`nnm-bench threads`): waking and joining a second thread through
    /// `concurrentPerform` costs ~25 µs, so 2 threads lose up to 192³ (7 M multiply-adds),
    /// break even near 256³ (17 M) and win from 384³ (1.5×) and 512³ (1.7×).
    public static let parallelThreshold = 1 << 24

    /// How many threads an `m×k · k×n` product should use, given a budget. Splits only over
    /// M or N (never K), in pieces no thinner than one register tile per thread.
    public static func threadsWorthUsing(m: Int, n: Int, k: Int, budget: Int,
                                         threshold: Int = parallelThreshold) -> Int {
        guard budget > 1, Double(m) * Double(n) * Double(max(k, 1)) >= Double(threshold) else {
            return 1
        }
        let byColumns = n / 64
        let byRows = m / 24
        return max(1, min(budget, max(byColumns, byRows)))
    }

    /// Raw pointers carried into worker threads. The caller guarantees they stay valid and that
    /// workers write disjoint parts of `c` for the duration of `concurrentPerform`.
    private struct Job: @unchecked Sendable {
        let transA: Bool, transB: Bool
        let m: Int, n: Int, k: Int
        let a: UnsafePointer<Float>?, lda: Int
        let b: UnsafePointer<Float>?, ldb: Int
        let c: UnsafeMutablePointer<Float>?, ldc: Int
        let accumulate: Bool
        let bias: UnsafePointer<Float>?
        let activation: nnm_activation
        let path: nnm_path

        /// Runs rows `i0..<i1` and columns `j0..<j1` of C.
        func run(rows i0: Int, _ i1: Int, columns j0: Int, _ j1: Int) {
            let aOff = transA ? i0 : i0 * lda
            let bOff = transB ? j0 * ldb : j0
            _ = nnm_sgemm(path, transA ? 1 : 0, transB ? 1 : 0, i1 - i0, j1 - j0, k,
                          a.map { $0 + aOff }, lda, b.map { $0 + bOff }, ldb,
                          c.map { $0 + i0 * ldc + j0 }, ldc,
                          accumulate ? 1 : 0, bias.map { $0 + j0 }, activation)
        }
    }

    /// `C = act((accumulate ? C : 0) + op(A)·op(B) + bias)` on row-major buffers; see
    /// `nnm_kernels.h` for the summation-order contract that makes every path and thread
    /// count give the same bits.
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>?, lda: Int,
        b: UnsafePointer<Float>?, ldb: Int,
        c: UnsafeMutablePointer<Float>?, ldc: Int,
        accumulate: Bool, bias: UnsafePointer<Float>? = nil, relu: Bool = false,
        options: ComputeOptions = .current
    ) {
        guard m > 0, n > 0 else { return }
        let job = Job(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda,
                      b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, bias: bias,
                      activation: relu ? NNM_ACT_RELU : NNM_ACT_NONE,
                      path: cPath(options.kernelPath))
        let parts = threadsWorthUsing(m: m, n: n, k: k, budget: options.threads,
                                      threshold: options.parallelThreshold)
        if parts == 1 {
            job.run(rows: 0, m, columns: 0, n)
            return
        }
        // Prefer splitting columns (each worker packs its own slice of B); fall back to rows.
        // Piece edges sit on register-tile boundaries (16 columns, 6 rows) so no tile is shared.
        if n / 64 >= parts || n / 64 >= m / 24 {
            let step = ((n + parts - 1) / parts + 15) / 16 * 16
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let j0 = min(n, part * step), j1 = min(n, j0 + step)
                if j0 < j1 { job.run(rows: 0, m, columns: j0, j1) }
            }
        } else {
            let step = ((m + parts - 1) / parts + 5) / 6 * 6
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let i0 = min(m, part * step), i1 = min(m, i0 + step)
                if i0 < i1 { job.run(rows: i0, i1, columns: 0, n) }
            }
        }
    }

    /// `out[j] = Σ_r m[r][j]`, rows in increasing order, plain adds from +0.
    public static func sumColumns(rows: Int, columns: Int, m: UnsafePointer<Float>?, ldm: Int,
                                  out: UnsafeMutablePointer<Float>?,
                                  options: ComputeOptions = .current) {
        guard columns > 0 else { return }
        nnm_sum_columns(cPath(options.kernelPath), rows, columns, m, ldm, out)
    }
}
