#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Elementwise loops for activations, over contiguous storage. They live here, beside the
// layers, because they are one-liners; the batch products and reductions stay in `Ops`.
//
// One spelling of each libm function (binary32 `expf`, `tanhf`, `logf`), so that
// every build computes the same bits (see spec/training.md).

@inline(__always) func floatExp(_ x: Float) -> Float { expf(x) }
@inline(__always) func floatTanh(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func floatLog1p(_ x: Float) -> Float { log1pf(x) }
@inline(__always) func floatLog(_ x: Float) -> Float { logf(x) }
@inline(__always) func doubleLog(_ x: Double) -> Double { log(x) }
@inline(__always) func doubleLog1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) func doubleExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func doubleCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func doublePow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// The logistic function, without overflow for large |x|.
@inline(__always) func logistic(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + floatExp(-x))
    }
    let e = floatExp(x)
    return e / (1 + e)
}

extension Matrix {
    /// `output[i] = transform(input[i])`, `output` reshaped to `input`'s shape.
    @inline(__always)
    static func mapElements(_ input: Matrix, into output: inout Matrix, _ transform: (Float) -> Float) {
        output.reshape(rows: input.rows, columns: input.columns)
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                for i in 0..<x.count { y[i] = transform(x[i]) }
            }
        }
    }

    /// `output[i] = transform(first[i], second[i])`; both inputs must have the same shape.
    @inline(__always)
    static func mapElements(
        _ first: Matrix, _ second: Matrix, into output: inout Matrix,
        _ transform: (Float, Float) -> Float
    ) {
        output.reshape(rows: first.rows, columns: first.columns)
        first.storage.withUnsafeBufferPointer { a in
            second.storage.withUnsafeBufferPointer { b in
                output.storage.withUnsafeMutableBufferPointer { y in
                    for i in 0..<min(a.count, b.count) { y[i] = transform(a[i], b[i]) }
                }
            }
        }
    }

    /// `output[r, j] = transform(input[r, j], first[j], second[j])`: an elementwise map with
    /// two per-column values (a mean and a scale, say). `output` takes `input`'s shape; it is
    /// left unwritten unless both arrays have one value per column.
    @inline(__always)
    static func mapElements(
        _ input: Matrix, columnValues first: [Float], _ second: [Float], into output: inout Matrix,
        _ transform: (Float, Float, Float) -> Float
    ) {
        output.reshape(rows: input.rows, columns: input.columns)
        let width = input.columns
        guard first.count == width, second.count == width else { return }
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                first.withUnsafeBufferPointer { a in
                    second.withUnsafeBufferPointer { b in
                        for row in 0..<input.rows {
                            let start = row * width
                            for j in 0..<width { y[start + j] = transform(x[start + j], a[j], b[j]) }
                        }
                    }
                }
            }
        }
    }

    /// An empty matrix (no allocation), used to move buffers in and out of arrays.
    static var empty: Matrix { Matrix(rows: 0, columns: 0) }
}
