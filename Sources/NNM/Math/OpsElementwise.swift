/// Elementwise steps of training, written as flat loops over contiguous storage so the Swift
/// compiler vectorises them (plain multiplies and adds: no FMA contraction, the same bits on
/// every CPU and build mode).
extension Ops {
    /// `delta[i] = activation[i] > 0 ? delta[i] : 0` — ReLU's backward step, given the ReLU
    /// output (which is > 0 exactly where the input was).
    package static func reluBackward(_ delta: inout Matrix, activations: Matrix) {
        precondition(delta.rows == activations.rows && delta.columns == activations.columns,
                     "reluBackward: shapes differ")
        activations.storage.withUnsafeBufferPointer { act in
            delta.storage.withUnsafeMutableBufferPointer { d in
                for i in d.indices where !(act[i] > 0) { d[i] = 0 }
            }
        }
    }

    /// `w[i] = w[i] - scale * g[i]`: the multiply rounds, then the subtract (two roundings,
    /// never fused), so the update is the same bits on every path.
    package static func subtractScaled(_ g: [Float], scale: Float, from w: inout [Float]) {
        precondition(g.count == w.count, "subtractScaled: lengths differ")
        g.withUnsafeBufferPointer { gp in
            w.withUnsafeMutableBufferPointer { wp in
                for i in wp.indices { wp[i] = wp[i] - scale * gp[i] }
            }
        }
    }

    /// Matrix form of `subtractScaled` (same shapes required).
    package static func subtractScaled(_ g: Matrix, scale: Float, from w: inout Matrix) {
        precondition(g.rows == w.rows && g.columns == w.columns, "subtractScaled: shapes differ")
        subtractScaled(g.storage, scale: scale, from: &w.storage)
    }
}
