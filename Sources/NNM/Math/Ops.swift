/// The hot math of the engine, in one place behind a small API.
///
/// Layers, losses and optimizers call only these functions for anything that loops over a
/// batch, so the kernels can be made fast (SIMD, packing, threads) without touching the layers.
///
/// The work runs in the C kernels (`Kernels`, target `CNNMKernels`), on the instruction set
/// and thread budget in `ComputeOptions.current`. Summation-order contract, on every path and
/// thread count: every output element starts at +0 (or its old value when accumulating),
/// accumulates over k in increasing order with one fused multiply-add per step, and only then
/// gets its bias (one add) and activation. So results are bit-identical everywhere.
/// (The narrow-network kernels in `OpsNarrow.swift` keep this contract for outputs and input
/// gradients; their weight and bias gradients use a fixed 16-partial split of the batch sum,
/// documented there and in spec/training.md §1.)
package enum Ops {
    /// An activation the GEMM can apply while the output tile is still in registers.
    package enum FusedActivation: Sendable, Equatable {
        case identity
        /// `x > 0 ? x : +0` (NaN becomes +0).
        case relu
    }

    /// `c = op(a) · op(b)`, or `c += op(a) · op(b)` when `accumulate` is true.
    /// `op(x)` is `x` or its transpose. `c` is reshaped to fit unless accumulating.
    package static func matmul(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        accumulate: Bool = false,
        into c: inout Matrix
    ) {
        product(a, transposeA: transposeA, b, transposeB: transposeB, accumulate: accumulate,
                bias: nil, activation: .identity, into: &c)
    }

    /// `y = x · wᵀ + bias` for a weight stored `[outputs, inputs]` (the `.nnm` layout).
    package static func linear(_ x: Matrix, weight: Matrix, bias: [Float], into y: inout Matrix) {
        linear(x, weight: weight, bias: bias, activation: .identity, into: &y)
    }

    /// `y = act(x · wᵀ + bias)` in one pass: the bias and activation are applied to each output
    /// tile while it is still in registers, so the layer output is written once.
    package static func linear(_ x: Matrix, weight: Matrix, bias: [Float],
                              activation: FusedActivation, into y: inout Matrix) {
        precondition(weight.rows == bias.count, "linear: bias length differs from outputs")
        product(x, weight, transposeB: true, accumulate: false, bias: bias,
                activation: activation, into: &y)
    }

    /// `out[c] = Σ_r m[r, c]`, rows summed in increasing order (the bias gradient).
    package static func sumColumns(_ m: Matrix, into out: inout [Float]) {
        if out.count != m.columns { out = [Float](repeating: 0, count: m.columns) }
        m.storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Kernels.sumColumns(rows: m.rows, columns: m.columns, m: src.baseAddress,
                                   ldm: m.columns, out: dst.baseAddress)
            }
        }
    }

    private static func product(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        accumulate: Bool, bias: [Float]?, activation: FusedActivation,
        into c: inout Matrix
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "matmul: inner dimensions differ (\(k) vs \(kb))")
        if accumulate {
            precondition(c.rows == m && c.columns == n, "matmul: accumulator has the wrong shape")
        } else {
            c.reshape(rows: m, columns: n)
        }
        let options = ComputeOptions.current
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    let out = pc.baseAddress
                    func run(_ pbias: UnsafePointer<Float>?) {
                        Kernels.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                                     a: pa.baseAddress, lda: a.columns,
                                     b: pb.baseAddress, ldb: b.columns,
                                     c: out, ldc: n,
                                     accumulate: accumulate, bias: pbias,
                                     relu: activation == .relu, options: options)
                    }
                    if let bias {
                        bias.withUnsafeBufferPointer { run($0.baseAddress) }
                    } else {
                        run(nil)
                    }
                }
            }
        }
    }
}
