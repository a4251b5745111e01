import NNMFormat

/// How a trained network does on each part of a split: what `nnm-train` prints and stores.
public struct SplitReport: Sendable, Equatable {
    public var train: Evaluation
    /// nil when the part is empty.
    public var validation: Evaluation?
    public var test: Evaluation?
    /// ROC AUC on the test part for two-class data (score = probability of class 1); nil for
    /// more classes, an empty test part or a test part holding one class only.
    public var testROCAUC: Double?
    /// Counts of (actual, predicted) classes on the test part; nil when it is empty.
    public var testConfusion: ConfusionMatrix?

    /// Evaluates `model` on every non-empty part of `split` with `plan`'s loss.
    public init(model: Sequential, split: DatasetSplit, plan: LossPlan) throws {
        try self.init(model: model, split: SampleSplit(split), plan: plan)
    }

    /// Evaluates `model` on every non-empty part of `split` (in memory or streamed) with
    /// `plan`'s loss; the test part is read in chunks, so a streamed part is never loaded whole.
    public init(model: Sequential, split: SampleSplit, plan: LossPlan) throws {
        train = try Trainer.evaluate(model, on: split.train, plan: plan)
        validation = split.validation.sampleCount > 0 ? try Trainer.evaluate(model, on: split.validation, plan: plan) : nil
        test = split.test.sampleCount > 0 ? try Trainer.evaluate(model, on: split.test, plan: plan) : nil
        testROCAUC = nil
        testConfusion = nil
        guard split.test.sampleCount > 0, !plan.isRegression else { return }
        let outputs = try SplitReport.outputs(model, split.test)
        testConfusion = try ConfusionMatrix(
            predictions: Sequential.classes(of: outputs), labels: split.test.labels,
            classCount: split.test.classCount, classNames: split.test.classNames)
        if split.test.classCount == 2, Set(split.test.labels).count == 2 {
            let width = outputs.columns
            let scores = (0..<outputs.rows).map { outputs.storage[$0 * width + (width == 1 ? 0 : 1)] }
            testROCAUC = try ClassificationMetrics.rocAUC(scores: scores, labels: split.test.labels)
        }
    }

    /// The network's outputs for every sample of `samples`, computed chunk by chunk.
    static func outputs(_ model: Sequential, _ samples: some SampleSource) throws -> Matrix {
        var values = [Float]()
        values.reserveCapacity(samples.sampleCount * model.outputCount)
        try samples.forEachChunk(chunkRows: model.predictionChunkRows) { chunk, _ in
            values.append(contentsOf: try model.predict(chunk).storage)
        }
        return Matrix(rows: samples.sampleCount, columns: model.outputCount, storage: values)
    }

    /// The probability (or score) of class 1 for each sample of a two-class network.
    public static func positiveScores(_ model: Sequential, _ features: Matrix) throws -> [Float] {
        let output = try model.predict(features)
        let width = output.columns
        return (0..<output.rows).map { output.storage[$0 * width + (width == 1 ? 0 : 1)] }
    }

    /// Whether the figures are a regression model's (MSE, RMSE, MAE, R²).
    public var isRegression: Bool { train.regression != nil }

    /// The figures as `eval.*` metadata for a model file.
    public var metadata: [String: MetadataValue] {
        if isRegression { return regressionMetadata }
        var values: [String: MetadataValue] = [MetadataKey.trainAccuracy: .double(train.accuracy)]
        if let validation { values[MetadataKey.validationAccuracy] = .double(validation.accuracy) }
        if let test {
            values[MetadataKey.testAccuracy] = .double(test.accuracy)
            values[MetadataKey.testLoss] = .double(test.loss)
        }
        if let testROCAUC { values[MetadataKey.testROCAUC] = .double(testROCAUC) }
        return values
    }

    /// `eval.train_r2`, `eval.val_r2`, and the test part's loss, R², MSE, RMSE and MAE.
    private var regressionMetadata: [String: MetadataValue] {
        var values: [String: MetadataValue] = [:]
        if let r2 = train.regression?.r2 { values[MetadataKey.trainR2] = .double(r2) }
        if let r2 = validation?.regression?.r2 { values[MetadataKey.validationR2] = .double(r2) }
        if let test {
            values[MetadataKey.testLoss] = .double(test.loss)
            if let metrics = test.regression {
                values[MetadataKey.testR2] = .double(metrics.r2)
                values[MetadataKey.testMSE] = .double(metrics.meanSquaredError)
                values[MetadataKey.testRMSE] = .double(metrics.rootMeanSquaredError)
                values[MetadataKey.testMAE] = .double(metrics.meanAbsoluteError)
            }
        }
        return values
    }
}
