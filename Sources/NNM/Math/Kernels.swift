import CNNMKernels
import Dispatch

/// The Swift face of the C kernels (target `CNNMKernels`): pointer-level GEMM plus the
/// decision of how many threads a product of a given shape deserves.
///
/// `Ops` wraps these for `Matrix`; call them directly only when you hold raw buffers.
package enum Kernels {
    /// The instruction set a `KernelPath` resolves to on this CPU.
    package enum InstructionSet: String, Sendable, Equatable {
        case avx512 = "avx512f", avx2 = "avx2+fma", portable
    }

    /// What `path` runs as here (the best the CPU supports at or below the request).
    package static func resolve(_ path: KernelPath) -> InstructionSet {
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

    /// Multiply-adds below which a product stays on one thread. Two-way products run on the
    /// calling thread plus the kernels' helper thread (`nnm_sgemm_two_way`: it stays awake
    /// ~100 µs between products, so waking it costs ~1 µs instead of the ~25 µs of
    /// `DispatchQueue.concurrentPerform`). With the other core free, two threads win from
    /// about 64³ (262 144 multiply-adds) up: W3's batch-32 layers (2.5 M) and W4's batch-64
    /// ones (12.8 M) gain 10 % and 30 % whole process (bench/README.md, round seven). The
    /// threshold was 16 M while a busy neighbour could make a two-way product wait for the
    /// scheduler; the helper now backs off as soon as it sees another program want its core
    /// (pool.c), and with a busy neighbour two threads measured the same as one. A machine
    /// whose helper should rarely help may raise it through `ComputeOptions.parallelThreshold`.
    package static let parallelThreshold = 1 << 18

    /// How many threads an `m×k · k×n` product should use, given a budget. Splits only over
    /// M or N (never K), in pieces no thinner than one register tile per thread.
    package static func threadsWorthUsing(m: Int, n: Int, k: Int, budget: Int,
                                         threshold: Int = parallelThreshold) -> Int {
        guard budget > 1, Double(m) * Double(n) * Double(max(k, 1)) >= Double(threshold) else {
            return 1
        }
        let byColumns = n / 32
        let byRows = m / 16
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
    package static func gemm(
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
        // Piece edges sit on register-tile boundaries (16 columns, 24 rows) so no tile is shared.
        let byColumns = n / 32 >= parts || n / 32 >= m / 16
        if parts == 2 {
            // Two ways: the calling thread and the kernels' helper thread, which is cheap to
            // wake between the products of a training step. Two halves, claimed in turn (four
            // chunks measured 8 % slower at 1024³: every chunk packs its own panels).
            let chunk = byColumns ? ((n + 1) / 2 + 15) / 16 * 16 : ((m + 1) / 2 + 23) / 24 * 24
            let done = nnm_sgemm_two_way(job.path, transA ? 1 : 0, transB ? 1 : 0, m, n, k,
                                         a, lda, b, ldb, c, ldc, accumulate ? 1 : 0, bias,
                                         job.activation, byColumns ? 1 : 0, chunk)
            if done == 0 { job.run(rows: 0, m, columns: 0, n) }
            return
        }
        if byColumns {
            let step = ((n + parts - 1) / parts + 15) / 16 * 16
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let j0 = min(n, part * step), j1 = min(n, j0 + step)
                if j0 < j1 { job.run(rows: 0, m, columns: j0, j1) }
            }
        } else {
            let step = ((m + parts - 1) / parts + 23) / 24 * 24
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let i0 = min(m, part * step), i1 = min(m, i0 + step)
                if i0 < i1 { job.run(rows: i0, i1, columns: 0, n) }
            }
        }
    }

    /// `out[j] = Σ_r m[r][j]`, rows in increasing order, plain adds from +0.
    package static func sumColumns(rows: Int, columns: Int, m: UnsafePointer<Float>?, ldm: Int,
                                  out: UnsafeMutablePointer<Float>?,
                                  options: ComputeOptions = .current) {
        guard columns > 0 else { return }
        nnm_sum_columns(cPath(options.kernelPath), rows, columns, m, ldm, out)
    }

    /// Binary cross-entropy from logits over `rows` samples (`nnm_bce_logits`): returns the sum
    /// of the per-sample losses (binary64, in two halves of 16 interleaved partials:
    /// spec/training.md §4), writes `(σ(z) − t)·inverseBatch` into `gradient` and `σ(z)` into
    /// `probabilities` when they are not nil.
    package static func binaryCrossEntropy(
        rows: Int, logits: UnsafePointer<Float>?, labels: UnsafePointer<Int>?, inverseBatch: Float,
        gradient: UnsafeMutablePointer<Float>?, probabilities: UnsafeMutablePointer<Float>?,
        options: ComputeOptions = .current
    ) -> Double {
        nnm_bce_logits(cPath(options.kernelPath), rows, logits, labels, inverseBatch, gradient, probabilities,
                       Int32(clamping: options.threads))
    }

    /// Rows whose output rounds to their label, `(y ≥ 0.5 ? 1 : 0) == label` (`nnm_binary_correct`).
    package static func binaryCorrect(rows: Int, outputs: UnsafePointer<Float>?, labels: UnsafePointer<Int>?,
                                     options: ComputeOptions = .current) -> Int {
        nnm_binary_correct(cPath(options.kernelPath), rows, outputs, labels)
    }

    /// `y[i] = Float(x[i]) / 255` (`nnm_unit_bytes`): pixel bytes into a batch, vectorised,
    /// the same bits as the scalar Swift expression on every path.
    package static func unitBytes(count: Int, bytes: UnsafePointer<UInt8>?, floats: UnsafeMutablePointer<Float>?,
                                 options: ComputeOptions = .current) {
        nnm_unit_bytes(cPath(options.kernelPath), count, bytes, floats)
    }

    /// `sums[j] += Double(x[r × width + j])` over the rows in order (`nnm_column_sums`):
    /// a Standardize layer's column sums, vectorised across columns, a scalar loop's bits.
    package static func columnSums(rows: Int, width: Int, x: UnsafePointer<Float>?, sums: UnsafeMutablePointer<Double>?,
                                   options: ComputeOptions = .current) {
        nnm_column_sums(cPath(options.kernelPath), rows, width, x, sums)
    }

    /// `squares[j] += d × d`, `d = Double(x[r × width + j]) − mean[j]`, rows in order, no FMA
    /// (`nnm_column_squared_deviations`): a Standardize layer's variance, a scalar loop's bits.
    package static func columnSquaredDeviations(
        rows: Int, width: Int, x: UnsafePointer<Float>?, mean: UnsafePointer<Double>?,
        squares: UnsafeMutablePointer<Double>?, options: ComputeOptions = .current
    ) {
        nnm_column_squared_deviations(cPath(options.kernelPath), rows, width, x, mean, squares)
    }

    /// ``unitBytes(count:bytes:floats:options:)`` over scattered rows (`nnm_unit_byte_rows`):
    /// row `r` of `floats` from the `width` bytes at `base + offsets[r]`, each row fetched from
    /// memory a few rows ahead. The caller guarantees every row lies inside `base`'s allocation.
    package static func unitByteRows(
        rows: Int, width: Int, base: UnsafePointer<UInt8>?, offsets: UnsafePointer<Int>?,
        floats: UnsafeMutablePointer<Float>?, options: ComputeOptions = .current
    ) {
        nnm_unit_byte_rows(cPath(options.kernelPath), rows, width, base, offsets, floats)
    }

    /// ``columnSums(rows:width:x:sums:options:)`` over pixel bytes taken as `Float(byte) / 255`
    /// (`nnm_unit_byte_column_sums`): row `r` is the `columns` bytes at `base + offsets[r]`.
    /// The same bits as converting the rows with ``unitBytes(count:bytes:floats:options:)`` and
    /// summing the floats. The caller guarantees every row lies inside `base`'s allocation.
    package static func unitByteColumnSums(
        rows: Int, columns: Int, base: UnsafePointer<UInt8>?, offsets: UnsafePointer<Int>?,
        sums: UnsafeMutablePointer<Double>?, options: ComputeOptions = .current
    ) {
        nnm_unit_byte_column_sums(cPath(options.kernelPath), rows, columns, base, offsets, sums)
    }

    /// ``columnSquaredDeviations(rows:width:x:mean:squares:options:)`` over pixel bytes taken
    /// as `Float(byte) / 255` (`nnm_unit_byte_column_squared_deviations`), rows as in
    /// ``unitByteColumnSums(rows:columns:base:offsets:sums:options:)``.
    package static func unitByteColumnSquaredDeviations(
        rows: Int, columns: Int, base: UnsafePointer<UInt8>?, offsets: UnsafePointer<Int>?,
        mean: UnsafePointer<Double>?, squares: UnsafeMutablePointer<Double>?, options: ComputeOptions = .current
    ) {
        nnm_unit_byte_column_squared_deviations(cPath(options.kernelPath), rows, columns, base, offsets, mean, squares)
    }

    /// `y[r, j] = (x[r, j] − mean[j]) × scale[j]` (`nnm_standardize_rows`): a Standardize layer's
    /// forward pass, vectorised, the bits of ``Standardize/standardized(_:mean:scale:)``.
    /// From ``twoWayStandardizeCount`` values the two halves of the rows run on the two threads.
    static func standardizeRows(_ x: Matrix, mean: [Float], scale: [Float], into y: inout Matrix,
                                options: ComputeOptions = .current) {
        y.reshape(rows: x.rows, columns: x.columns)
        guard mean.count == x.columns, scale.count == x.columns else { return }
        let path = cPath(options.kernelPath)
        let rows = x.rows, columns = x.columns
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeMutableBufferPointer { yp in
                mean.withUnsafeBufferPointer { mp in
                    scale.withUnsafeBufferPointer { sp in
                        TwoWayWork.halves(of: rows, shares: rows * columns >= twoWayStandardizeCount,
                                          options: options) { range in
                            guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return }
                            let offset = range.lowerBound * columns
                            nnm_standardize_rows(path, range.count, columns, xb + offset, mp.baseAddress,
                                                 sp.baseAddress, yb + offset)
                        }
                    }
                }
            }
        }
    }

    /// Values from which ``standardizeRows(_:mean:scale:into:options:)`` shares its rows with
    /// the helper thread: a W3 batch (32 rows of 784) takes ~7 µs on one thread.
    static let twoWayStandardizeCount = 1 << 14

    /// `y[i] = σ(x[i])` (`nnm_logistic`): NNM's own exp, the same bits on every path.
    package static func logistic(count: Int, x: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>?,
                                options: ComputeOptions = .current) {
        nnm_logistic(cPath(options.kernelPath), count, x, y)
    }

    /// `y[i] = e^x[i]` for `x[i] ≤ 0` with NNM's own exp (`nnm_exp_nonpositive`), the building
    /// block of ``logistic(count:x:y:options:)``; exposed to the tests, which measure its error.
    static func expNonPositive(_ x: [Float], options: ComputeOptions = .current) -> [Float] {
        map(x, options: options, through: nnm_exp_nonpositive)
    }

    /// `x[i] = e^x[i]` in binary64, in place (`nnm_exp_many`): NNM's own exp (spec/math.md §5),
    /// bit for bit ``doubleExp(_:)`` of each element on every path, several elements at a time.
    /// From ``twoWayExpCount`` elements the two halves run on the two threads (each element's
    /// value is the same whichever thread computes it).
    static func exp(inPlace x: UnsafeMutableBufferPointer<Double>, options: ComputeOptions = .current) {
        let path = cPath(options.kernelPath)
        TwoWayWork.halves(of: x.count, shares: x.count >= twoWayExpCount, options: options) { range in
            guard let base = x.baseAddress else { return }
            nnm_exp_many(path, range.count, base + range.lowerBound, base + range.lowerBound)
        }
    }

    /// Elements from which ``exp(inPlace:options:)`` shares its work with the helper thread:
    /// the exp costs 30-100 ns an element, so a softmax batch of 32 rows of 10 (320 values,
    /// ~15 µs on the training thread) gains ~7 µs for the ~1 µs of waking the helper.
    static let twoWayExpCount = 256

    /// `x[i] = log x[i]` in place (`nnm_log_many`), bit for bit ``doubleLog(_:)`` of each element.
    static func log(inPlace x: UnsafeMutableBufferPointer<Double>, options: ComputeOptions = .current) {
        nnm_log_many(cPath(options.kernelPath), x.count, x.baseAddress, x.baseAddress)
    }

    /// `x[i] = cos x[i]` in place (`nnm_cos_many`), bit for bit ``doubleCos(_:)`` of each element.
    static func cos(inPlace x: UnsafeMutableBufferPointer<Double>, options: ComputeOptions = .current) {
        nnm_cos_many(cPath(options.kernelPath), x.count, x.baseAddress, x.baseAddress)
    }

    /// `x[i] = sin x[i]` in place (`nnm_sin_many`), bit for bit ``doubleSin(_:)`` of each element.
    static func sin(inPlace x: UnsafeMutableBufferPointer<Double>, options: ComputeOptions = .current) {
        nnm_sin_many(cPath(options.kernelPath), x.count, x.baseAddress, x.baseAddress)
    }

    /// `y[i] = log(1 + x[i])` for `0 ≤ x[i] ≤ 1` with NNM's own log (`nnm_log1p_unit`), the other
    /// building block of binary cross-entropy; exposed to the tests.
    static func log1pUnit(_ x: [Float], options: ComputeOptions = .current) -> [Float] {
        map(x, options: options, through: nnm_log1p_unit)
    }

    private static func map(
        _ x: [Float], options: ComputeOptions,
        through kernel: (nnm_path, Int, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void
    ) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { kernel(cPath(options.kernelPath), x.count, xp.baseAddress, $0.baseAddress) }
        }
        return y
    }
}
