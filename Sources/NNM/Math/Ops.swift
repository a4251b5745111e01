/// The hot math of the engine, in one place behind a small API.
///
/// Layers, losses and optimizers call only these functions for anything that loops over a
/// batch, so the kernels can be made fast (SIMD, packing, threads) without touching the layers.
///
/// PLACEHOLDER implementations (plain loops) written by the coordinator; the performance work
/// replaces the bodies, keeping the signatures and the summation order contract:
/// every output element accumulates over k in increasing order, with one fused multiply-add per
/// step, so results are bit-identical on every code path.
public enum Ops {
    /// `c = op(a) · op(b)`, or `c += op(a) · op(b)` when `accumulate` is true.
    /// `op(x)` is `x` or its transpose. `c` is reshaped to fit unless accumulating.
    public static func matmul(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        accumulate: Bool = false,
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
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = accumulate ? c[i, j] : 0
                for p in 0..<k {
                    let x = transposeA ? a[p, i] : a[i, p]
                    let y = transposeB ? b[j, p] : b[p, j]
                    sum = sum.addingProduct(x, y)
                }
                c[i, j] = sum
            }
        }
    }

    /// `y = x · wᵀ + bias` for a weight stored `[outputs, inputs]` (the `.nnm` layout).
    public static func linear(_ x: Matrix, weight: Matrix, bias: [Float], into y: inout Matrix) {
        precondition(weight.rows == bias.count, "linear: bias length differs from outputs")
        matmul(x, weight, transposeB: true, into: &y)
        for r in 0..<y.rows {
            for c in 0..<y.columns { y[r, c] += bias[c] }
        }
    }

    /// `out[c] = Σ_r m[r, c]`, rows summed in increasing order (the bias gradient).
    public static func sumColumns(_ m: Matrix, into out: inout [Float]) {
        if out.count != m.columns { out = [Float](repeating: 0, count: m.columns) }
        for c in 0..<m.columns { out[c] = 0 }
        for r in 0..<m.rows {
            for c in 0..<m.columns { out[c] += m[r, c] }
        }
    }
}
