/// A loss checked against a network: which values it reads and how it back-propagates.
public struct LossPlan: Sendable, Equatable {
    public let loss: Loss
    /// True when the loss reads the input of the last layer (logits) and its gradient skips
    /// that layer: binary cross-entropy after Sigmoid, cross-entropy after Softmax.
    public let fusesLastLayer: Bool
    /// Regression: how targets are standardized before the loss compares them with the
    /// network's values (the final ``Rescale`` layer's scale and shift, or 1 and 0 for a
    /// network without one); nil for classification.
    public let targetScaling: TargetScaling?

    public init(loss: Loss, fusesLastLayer: Bool, targetScaling: TargetScaling? = nil) {
        self.loss = loss
        self.fusesLastLayer = fusesLastLayer
        self.targetScaling = targetScaling
    }

    /// Whether the plan compares outputs with regression targets.
    public var isRegression: Bool { targetScaling != nil }

    /// The regression form of ``evaluate(_:labels:gradient:computesGradient:)``: `values`
    /// (one column) against the standardized `targets` (spec/training.md §4b).
    public func evaluate(
        _ values: Matrix, targets: [Float], gradient: inout Matrix, computesGradient: Bool
    ) -> Double {
        var unused = Matrix.empty
        return evaluate(values, labels: [], targets: targets, gradient: &gradient, computesGradient: computesGradient,
                        sigmoidOutput: &unused, writesSigmoidOutput: false)
    }

    /// Sums the per-sample losses of a batch in binary64 (rows in order; `bce` in two halves of
    /// 16 interleaved partials, spec/training.md §4) and, when
    /// `computesGradient`, writes ∂(mean loss)/∂`values` into `gradient`.
    ///
    /// `values` are the logits when ``fusesLastLayer`` (or for cross-entropy without a final
    /// Softmax) and the network's output otherwise; one row per label.
    public func evaluate(
        _ values: Matrix, labels: [Int], gradient: inout Matrix, computesGradient: Bool
    ) -> Double {
        var unused = Matrix.empty
        return evaluate(values, labels: labels, targets: [], gradient: &gradient, computesGradient: computesGradient,
                        sigmoidOutput: &unused, writesSigmoidOutput: false)
    }

    /// True when ``evaluate(_:labels:gradient:computesGradient:sigmoidOutput:writesSigmoidOutput:)``
    /// can also produce the final Sigmoid's output (fused binary cross-entropy), so the trainer
    /// need not run that layer: the loss computes σ(z) anyway, with the same formula and bits.
    var producesSigmoidOutput: Bool { fusesLastLayer && loss == .binaryCrossEntropy }

    /// As the public `evaluate`, and for fused binary cross-entropy with `writesSigmoidOutput`
    /// also writes σ(logit) — bit for bit what the ``Sigmoid`` layer computes — into
    /// `sigmoidOutput`.
    func evaluate(
        _ values: Matrix, labels: [Int], targets: [Float] = [], gradient: inout Matrix, computesGradient: Bool,
        sigmoidOutput: inout Matrix, writesSigmoidOutput: Bool
    ) -> Double {
        if let targetScaling {
            return Self.regressionLoss(values, targets: targets, scaling: targetScaling, loss: loss,
                                       gradient: &gradient, computesGradient: computesGradient)
        }
        let writesOutput = writesSigmoidOutput && producesSigmoidOutput
        if writesOutput { sigmoidOutput.reshape(rows: values.rows, columns: values.columns) }
        let rows = min(values.rows, labels.count)
        let width = values.columns
        if computesGradient { gradient.reshape(rows: values.rows, columns: width) }
        guard rows > 0, width > 0 else { return 0 }
        let batch = Double(rows)
        if loss == .binaryCrossEntropy {
            // A bce plan has one output (Loss.plan checks); anything else has no defined loss.
            guard width == 1 else { return .nan }
            return Self.binaryCrossEntropy(
                values, labels: labels, rows: rows, gradient: &gradient, computesGradient: computesGradient,
                sigmoidOutput: &sigmoidOutput, writesOutput: writesOutput)
        }
        if loss == .crossEntropy {
            return Self.crossEntropy(values, labels: labels, rows: rows, gradient: &gradient,
                                     computesGradient: computesGradient)
        }
        var total = 0.0
        values.storage.withUnsafeBufferPointer { v in
            gradient.storage.withUnsafeMutableBufferPointer { g in
                for row in 0..<rows {
                    let start = row * width
                    let label = labels[row]
                    // Callers validate labels first; this only keeps a bad one from reading
                    // outside the row: one output holds a 0/1 target for mse only, and nll
                    // indexes the row by the label.
                    let fits = width > 1 ? label < width : label <= 1 && loss == .meanSquaredError
                    guard label >= 0, fits else { continue }
                    switch loss {
                    case .meanSquaredError:
                        let scale = 2.0 / (batch * Double(width))
                        var sum = 0.0
                        for k in 0..<width {
                            let target = width == 1 ? Double(label) : (k == label ? 1.0 : 0.0)
                            let difference = Double(v[start + k]) - target
                            sum += difference * difference
                            if computesGradient { g[start + k] = Float(scale * difference) }
                        }
                        total += sum / Double(width)
                    case .binaryCrossEntropy, .crossEntropy:
                        continue  // handled above
                    case .negativeLogLikelihood:
                        let p = max(Double(v[start + label]), 1e-12)
                        total += -doubleLog(p)
                        if computesGradient {
                            for k in 0..<width { g[start + k] = 0 }
                            g[start + label] = Float(-1 / (batch * p))
                        }
                    }
                }
            }
        }
        return total
    }

    /// Squared error of one value per row against the standardized target
    /// `(t − shift) / scale`, in binary64, summed over the rows in order; the gradient is
    /// `2 (v − t') / rows` (spec/training.md §4b).
    private static func regressionLoss(
        _ values: Matrix, targets: [Float], scaling: TargetScaling, loss: Loss,
        gradient: inout Matrix, computesGradient: Bool
    ) -> Double {
        let rows = min(values.rows, targets.count)
        if computesGradient { gradient.reshape(rows: values.rows, columns: values.columns) }
        guard rows > 0, values.columns == 1, let scale = scaling.scale.first, let shift = scaling.shift.first
        else { return rows > 0 ? .nan : 0 }
        let factor = 2.0 / Double(rows)
        var total = 0.0
        values.storage.withUnsafeBufferPointer { v in
            gradient.storage.withUnsafeMutableBufferPointer { g in
                for row in 0..<rows {
                    let target = (Double(targets[row]) - Double(shift)) / Double(scale)
                    let difference = Double(v[row]) - target
                    total += difference * difference
                    if computesGradient { g[row] = Float(factor * difference) }
                }
            }
        }
        return total
    }

    /// Cross-entropy on logits, per row `logsumexp(z) − z_label` with `logsumexp(z) = max +
    /// log Σ_k e^(z_k − max)` and the gradient `(softmax(z) − onehot) / rows` (spec/training.md
    /// §4), in binary64 with NNM's own exp and log. The batch's `e^(z_k − max)` are computed in
    /// one call of the exp kernel (the same bits as one `doubleExp` each, several at a time: it
    /// was a fifth of a softmax network's training time), summed row by row in order, and the
    /// rows' logarithms in one call of the log kernel.
    private static func crossEntropy(
        _ values: Matrix, labels: [Int], rows: Int, gradient: inout Matrix, computesGradient: Bool
    ) -> Double {
        let width = values.columns
        guard width > 1 else { return 0 }  // one output has no cross-entropy (Loss.plan refuses it)
        let batch = Double(rows)
        var total = 0.0
        values.storage.withUnsafeBufferPointer { v in
          gradient.storage.withUnsafeMutableBufferPointer { g in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: rows * width) { exps in
                var largest = [Double](repeating: 0, count: rows)
                for row in 0..<rows {
                    let start = row * width
                    var top = Double(v[start])
                    for k in 1..<width { top = max(top, Double(v[start + k])) }
                    largest[row] = top
                    for k in 0..<width { exps[start + k] = Double(v[start + k]) - top }
                }
                Kernels.exp(inPlace: exps)
                var sums = [Double](repeating: 0, count: rows)
                for row in 0..<rows {
                    for k in 0..<width { sums[row] += exps[row * width + k] }
                }
                var logs = sums
                logs.withUnsafeMutableBufferPointer { Kernels.log(inPlace: $0) }
                for row in 0..<rows {
                    // Callers validate labels first; this only keeps a bad one from reading
                    // outside the row.
                    let label = labels[row]
                    guard label >= 0, label < width else { continue }
                    let start = row * width
                    total += largest[row] + logs[row] - Double(v[start + label])
                    if computesGradient {
                        let sum = sums[row]
                        let inverse = 1 / sum
                        for k in 0..<width {
                            let p = exps[start + k] * inverse
                            g[start + k] = Float((p - (k == label ? 1 : 0)) / batch)
                        }
                    }
                }
            }
          }
        }
        return total
    }

    /// Binary cross-entropy on one logit per row, in the C kernels (`nnm_bce_logits`): NNM's own
    /// vectorised e^−|z| and log(1 + e) instead of one libm `expf` and `logf` per sample, the
    /// same bits on every kernel path (spec/training.md §4). σ(z) comes out of the same pass,
    /// bit for bit what the ``Sigmoid`` layer computes (`nnm_logistic`).
    private static func binaryCrossEntropy(
        _ values: Matrix, labels: [Int], rows: Int, gradient: inout Matrix, computesGradient: Bool,
        sigmoidOutput: inout Matrix, writesOutput: Bool
    ) -> Double {
        let inverseBatch = Float(1 / Double(rows))
        return values.storage.withUnsafeBufferPointer { v in
            labels.withUnsafeBufferPointer { l in
                sigmoidOutput.storage.withUnsafeMutableBufferPointer { y in
                    gradient.storage.withUnsafeMutableBufferPointer { g in
                        Kernels.binaryCrossEntropy(
                            rows: min(rows, v.count, l.count), logits: v.baseAddress, labels: l.baseAddress,
                            inverseBatch: inverseBatch,
                            gradient: computesGradient && g.count >= rows ? g.baseAddress : nil,
                            probabilities: writesOutput && y.count >= rows ? y.baseAddress : nil)
                    }
                }
            }
        }
    }
}
