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
    ///
    /// `validation`, when given (and of the validation part's size), is taken as the validation
    /// part's figures instead of evaluating it again: ``TrainingResult/finalValidation``, which
    /// the run computed for these very weights (the same function on the same data: the same
    /// bits).
    /// - Throws: ``ModelError/inputWidthMismatch(expected:found:)`` when the test part's samples
    ///   are not as wide as the network's input; a `DataError` when a streamed part cannot be read.
    public init(model: Sequential, split: SampleSplit, plan: LossPlan, validation known: Evaluation? = nil) throws {
        train = try Trainer.evaluate(model, on: split.train, plan: plan)
        let reused = known.flatMap { $0.sampleCount == split.validation.sampleCount ? $0 : nil }
        validation = split.validation.sampleCount > 0
            ? try reused ?? Trainer.evaluate(model, on: split.validation, plan: plan) : nil
        testROCAUC = nil
        testConfusion = nil
        guard split.test.sampleCount > 0 else {
            test = nil
            return
        }
        guard split.test.featureCount == model.inputCount else {
            throw ModelError.inputWidthMismatch(expected: model.inputCount, found: split.test.featureCount)
        }
        // One pass over the test part gives its figures and the outputs the confusion matrix
        // and the ROC AUC are computed from.
        let (test, kept) = try Trainer.evaluate(model, on: split.test, plan: plan, keepsOutputs: !plan.isRegression)
        self.test = test
        guard let outputs = kept else { return }
        testConfusion = try ConfusionMatrix(
            predictions: Sequential.classes(of: outputs), labels: split.test.labels,
            classCount: split.test.classCount, classNames: split.test.classNames)
        if split.test.classCount == 2, Set(split.test.labels).count == 2 {
            let width = outputs.columns
            let scores = (0..<outputs.rows).map { outputs.storage[$0 * width + (width == 1 ? 0 : 1)] }
            testROCAUC = try ClassificationMetrics.rocAUC(scores: scores, labels: split.test.labels)
        }
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
