/// What a model learns from its label column: classes, or a number.
///
/// The raw value is how `--task` and a stored recipe spell it (a recipe records only
/// `regression`: a recipe without the key is classification, as every recipe before it was).
public enum LearningTask: String, Sendable, Hashable, CaseIterable {
    case classification
    case regression
}

extension Dataset {
    /// Regression needs fewer distinct integer labels than this before `--task auto` calls
    /// integer labels classes without asking...
    public static let autoTaskClassLimit = 20
    /// ...or at least this many samples per distinct value on average.
    public static let autoTaskSamplesPerClass = 10

    /// `--task auto` (spec/datasets.md §5): labels that are all numbers, some not an integer,
    /// are a regression target; integers with more than ``autoTaskClassLimit`` distinct values
    /// and fewer than ``autoTaskSamplesPerClass`` samples per value on average are refused
    /// (they could be either: a count, a price, or many classes), naming `--task`; anything else
    /// (words, or integers with few values) is classes.
    public static func inferTask(labels texts: [String], path: String, column: Int) throws -> LearningTask {
        var distinct = Set<Double>()
        var integral = true
        for text in texts {
            guard let value = Double(text), value.isFinite else { return .classification }
            if value.rounded() != value { integral = false }
            distinct.insert(value)
        }
        guard integral else { return .regression }
        if distinct.count > autoTaskClassLimit, distinct.count * autoTaskSamplesPerClass > texts.count {
            throw DataError.unusableDataset(
                "\(path): the label column (\(column + 1)) holds \(distinct.count) distinct integers in "
                    + "\(texts.count) rows: is it a number to predict or a class? Say which with --task regression "
                    + "or --task classification")
        }
        return .classification
    }
}
