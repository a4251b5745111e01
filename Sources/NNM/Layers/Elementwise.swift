// Elementwise loops for activations, over contiguous storage. They live here, beside the
// layers, because they are one-liners; the batch products and reductions stay in `Ops`.
// The elementary functions they call are NNM's own (Math/OwnMath.swift, spec/math.md), never libm's.

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
