extension Trainer {
    /// Rows per evaluation batch: large enough for efficient products, small enough that a
    /// batch's activations stay in cache.
    static let evaluationBatchSize = 256

    /// Mean loss and accuracy of `model` on `data`, in batches of 256 (no training).
    ///
    /// Batches are independent, so a large evaluation (the final report over 50,000 training
    /// images) on the library's own sources shares them with the kernels' helper thread. Each
    /// batch's loss is summed on its own and the sums are added in batch order afterwards: the
    /// bits of one pass in order, whichever thread ran a batch and whatever the thread count. A
    /// source of your own is read one sample at a time, as before, never from two threads at
    /// once.
    /// - Throws: ``DataError`` when a streamed source cannot be read.
    public static func evaluate(_ model: Sequential, on data: some SampleSource, plan: LossPlan) throws -> Evaluation {
        try evaluate(model, on: data, plan: plan, keepsOutputs: false).evaluation
    }

    /// ``evaluate(_:on:plan:)``, and when `keepsOutputs` the network's outputs for every sample
    /// too (a row each, in sample order): what a test part's confusion matrix and ROC AUC are
    /// computed from, without a second pass over the data.
    static func evaluate(
        _ model: Sequential, on data: some SampleSource, plan: LossPlan, keepsOutputs: Bool
    ) throws -> (evaluation: Evaluation, outputs: Matrix?) {
        guard data.sampleCount > 0, data.featureCount == model.inputCount else {
            return (Evaluation(loss: .nan, accuracy: .nan, sampleCount: 0), nil)
        }
        let sampleCount = data.sampleCount
        let width = model.outputCount
        let batchCount = (sampleCount + evaluationBatchSize - 1) / evaluationBatchSize
        let options = ComputeOptions.current
        let pieces = data is any BatchReadingSource
            ? evaluationPieces(batchCount: batchCount, parameterCount: model.parameterCount, options: options) : 1
        let order = Array(0..<sampleCount)
        var losses = [Double](repeating: 0, count: batchCount)
        var correct = [Int](repeating: 0, count: batchCount)
        // A regression's outputs are its predictions (one column): kept for its metrics.
        let keeps = keepsOutputs || plan.isRegression
        var outputs = [Float](repeating: 0, count: keeps ? sampleCount * width : 0)
        var failures = [(any Error)?](repeating: nil, count: pieces)
        losses.withUnsafeMutableBufferPointer { losses in
            correct.withUnsafeMutableBufferPointer { correct in
                outputs.withUnsafeMutableBufferPointer { outputs in
                    failures.withUnsafeMutableBufferPointer { failures in
                        TwoWayWork.run(pieces: pieces, options: options) { piece in
                            // The helper thread does not see this task's options: bind them.
                            ComputeOptions.$current.withValue(options) {
                                var workspace = Workspace(layerCount: model.layers.count)
                                do {
                                    for batch in (piece * batchCount / pieces) ..< ((piece + 1) * batchCount / pieces) {
                                        let result = try evaluateBatch(
                                            batch, of: model, on: data, order: order, plan: plan, workspace: &workspace,
                                            outputs: outputs)
                                        losses[batch] = result.loss
                                        correct[batch] = result.correct
                                    }
                                } catch {
                                    failures[piece] = error
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        let lossSum = losses.reduce(0, +)
        let count = Double(sampleCount)
        let kept = keepsOutputs ? Matrix(rows: sampleCount, columns: width, storage: outputs) : nil
        guard plan.isRegression else {
            return (Evaluation(loss: lossSum / count, accuracy: Double(correct.reduce(0, +)) / count,
                               sampleCount: sampleCount), kept)
        }
        let evaluation = Evaluation(
            loss: lossSum / count, accuracy: .nan, sampleCount: sampleCount,
            regression: RegressionMetrics(predictions: outputs, targets: data.targets ?? []))
        return (evaluation, kept)
    }

    /// How many pieces an evaluation of `batchCount` batches is cut into: one (this thread
    /// alone, each product possibly shared) unless the options allow a second thread and a
    /// batch is worth sharing, as ``ComputeOptions/parallelThreshold`` judges a product;
    /// else at most 8, so that a helper that wakes late, or is preempted, delays the end by
    /// one small piece.
    static func evaluationPieces(batchCount: Int, parameterCount: Int, options: ComputeOptions) -> Int {
        let (work, overflow) = evaluationBatchSize.multipliedReportingOverflow(by: parameterCount)
        guard options.threads > 1, batchCount > 1, overflow || work >= options.parallelThreshold else { return 1 }
        return min(batchCount, 8)
    }

    /// Loss sum and correct count of batch `batch` (rows `order[256 batch ..< 256 (batch + 1)]`);
    /// the batch's outputs go into their rows of `outputs` when it has room for every sample.
    private static func evaluateBatch(
        _ batch: Int, of model: Sequential, on data: some SampleSource, order: [Int], plan: LossPlan,
        workspace: inout Workspace, outputs: UnsafeMutableBufferPointer<Float>
    ) throws -> (loss: Double, correct: Int) {
        let start = batch * evaluationBatchSize
        let range = start ..< min(start + evaluationBatchSize, data.sampleCount)
        try workspace.gather(data, order: order, range: range)
        model.forward(&workspace)
        let top = model.layers.count
        var unusedGradient = Matrix.empty
        var unusedSigmoid = Matrix.empty
        let loss = plan.evaluate(
            workspace.activations[plan.fusesLastLayer ? top - 1 : top], labels: workspace.labels,
            targets: workspace.targets, gradient: &unusedGradient, computesGradient: false,
            sigmoidOutput: &unusedSigmoid, writesSigmoidOutput: false)
        let result = workspace.activations[top]
        let width = result.columns
        if outputs.count == data.sampleCount * width {
            for (offset, value) in result.storage.prefix(range.count * width).enumerated() {
                outputs[range.lowerBound * width + offset] = value
            }
        }
        return (loss, plan.isRegression ? 0 : countCorrect(result, labels: workspace.labels))
    }
}
