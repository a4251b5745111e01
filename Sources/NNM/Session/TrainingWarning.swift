import NNMFormat

/// Something a session goes ahead with but a user should know before trusting the figures.
public enum TrainingWarning: Sendable, Equatable, CustomStringConvertible {
    /// The data is small or a held-out part is (``TrainingWarning/smallData(split:)``'s rule):
    /// an accuracy measured on a few samples moves in coarse steps (3 test samples: 33 %
    /// each), so "test 100 %" says little. The split is not changed: the recipe records the
    /// fractions given, and the same recipe must always give the same split (spec/datasets.md §4).
    case smallData(total: Int, train: Int, validation: Int, test: Int)
    /// Classes the model has outputs for but no training sample of (by name, at most
    /// ``shownClasses``; `missing` counts them all). An IDX label file makes as many classes as
    /// its largest label + 1, so one far-out label makes classes that never occur; a rare class
    /// of a CSV file may also fall entirely into the held-out parts. The model can never learn
    /// to predict such a class.
    case classesWithoutTrainingSamples(names: [String], missing: Int, classCount: Int)

    /// Fewer samples in all than this is small data, whatever the split.
    public static let smallTotal = 50
    /// A validation or test part that is not empty but holds fewer samples than this is small:
    /// one sample then moves its accuracy by more than 10 %.
    public static let smallPart = 10

    /// The warning for `split`, if it is small by the rule above.
    public static func smallData(split: SampleSplit) -> TrainingWarning? {
        let train = split.train.sampleCount, validation = split.validation.sampleCount, test = split.test.sampleCount
        let total = train + validation + test
        let smallPart = [validation, test].contains { (1..<Self.smallPart).contains($0) }
        guard total < smallTotal || smallPart else { return nil }
        return .smallData(total: total, train: train, validation: validation, test: test)
    }

    /// Most class names ``classesWithoutTrainingSamples(names:missing:classCount:)`` lists.
    public static let shownClasses = 8

    /// The warning for a classification training part with classes it holds no sample of.
    public static func classesWithoutTrainingSamples(train: any SampleSource) -> TrainingWarning? {
        guard !train.isRegression, train.classCount > 0 else { return nil }
        var counts = [Int](repeating: 0, count: train.classCount)
        for label in train.labels where counts.indices.contains(label) { counts[label] += 1 }
        let missing = counts.indices.filter { counts[$0] == 0 }
        guard !missing.isEmpty else { return nil }
        let names = missing.prefix(shownClasses).map { index in
            train.classNames.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? String(index)
        }
        return .classesWithoutTrainingSamples(names: Array(names), missing: missing.count, classCount: train.classCount)
    }

    public var description: String {
        switch self {
        case let .classesWithoutTrainingSamples(names, missing, classCount):
            let listed = names.map { "'\($0)'" }.joined(separator: ", ") + (missing > names.count ? ", …" : "")
            return "\(missing) of the \(classCount) classes \(missing == 1 ? "has" : "have") no training sample (\(listed)): "
                + "the model cannot learn to predict \(missing == 1 ? "it" : "them")"
        case let .smallData(total, train, validation, test):
            let parts = [("validation", validation), ("test", test)].filter { $0.1 > 0 }
            let steps = parts.map { "\($0.0) \(MetricText.accuracy(1 / Double($0.1)))" }
            var text = "small data: \(total) samples, split train \(train), validation \(validation), test \(test)"
            if !steps.isEmpty {
                text += "; one sample moves the accuracy by " + steps.joined(separator: ", ")
            }
            return text
        }
    }
}
