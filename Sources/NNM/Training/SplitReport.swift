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
        train = Trainer.evaluate(model, on: split.train, plan: plan)
        validation = split.validation.sampleCount > 0 ? Trainer.evaluate(model, on: split.validation, plan: plan) : nil
        test = split.test.sampleCount > 0 ? Trainer.evaluate(model, on: split.test, plan: plan) : nil
        testROCAUC = nil
        testConfusion = nil
        if split.test.sampleCount > 0 {
            testConfusion = try ConfusionMatrix(
                predictions: try model.predictClasses(split.test.features), labels: split.test.labels,
                classCount: split.test.classCount, classNames: split.test.classNames)
        }
        if split.test.classCount == 2, split.test.sampleCount > 0,
           Set(split.test.labels).count == 2
        {
            let scores = try SplitReport.positiveScores(model, split.test.features)
            testROCAUC = try ClassificationMetrics.rocAUC(scores: scores, labels: split.test.labels)
        }
    }

    /// The probability (or score) of class 1 for each sample of a two-class network.
    public static func positiveScores(_ model: Sequential, _ features: Matrix) throws -> [Float] {
        let output = try model.predict(features)
        let width = output.columns
        return (0..<output.rows).map { output.storage[$0 * width + (width == 1 ? 0 : 1)] }
    }

    /// The figures as `eval.*` metadata for a model file.
    public var metadata: [String: MetadataValue] {
        var values: [String: MetadataValue] = [MetadataKey.trainAccuracy: .double(train.accuracy)]
        if let validation { values[MetadataKey.validationAccuracy] = .double(validation.accuracy) }
        if let test {
            values[MetadataKey.testAccuracy] = .double(test.accuracy)
            values[MetadataKey.testLoss] = .double(test.loss)
        }
        if let testROCAUC { values[MetadataKey.testROCAUC] = .double(testROCAUC) }
        return values
    }
}
