/// Labelled samples: one row of `features` per sample, one class index each (classification),
/// or one target value each (regression: ``targets`` is set, every label is 0, `classCount` 1).
///
/// This is the hand-off between the data side (generators, CSV, IDX, splits) and the training
/// side (trainer, metrics): generators produce it, the trainer consumes it.
public struct Dataset: Sendable, Equatable {
    /// `samples × featureCount`, row-major.
    public var features: Matrix
    /// Class index of each sample, in `0..<classCount`.
    public var labels: [Int]
    /// Number of classes (2 for binary problems).
    public var classCount: Int
    /// Optional names of the feature columns (from a CSV header, say).
    public var featureNames: [String]?
    /// Optional names of the classes (from a CSV label column, say), indexed by class.
    public var classNames: [String]?
    /// The name of the column the labels came from (a CSV header cell), when it has one.
    public var labelName: String?
    /// Regression: the target value of each sample, in the label column's units; nil for
    /// classification.
    public var targets: [Float]?

    public init(features: Matrix, labels: [Int], classCount: Int,
                featureNames: [String]? = nil, classNames: [String]? = nil, labelName: String? = nil,
                targets: [Float]? = nil) {
        precondition(features.rows == labels.count, "one label per sample")
        precondition(targets.map { $0.count == labels.count } ?? true, "one target per sample")
        self.targets = targets
        self.features = features
        self.labels = labels
        self.classCount = classCount
        self.featureNames = featureNames
        self.classNames = classNames
        self.labelName = labelName
    }

    /// A regression data set: features and one target value per sample.
    public init(features: Matrix, targets: [Float], featureNames: [String]? = nil, labelName: String? = nil) {
        self.init(features: features, labels: [Int](repeating: 0, count: targets.count), classCount: 1,
                  featureNames: featureNames, labelName: labelName, targets: targets)
    }

    public var sampleCount: Int { labels.count }
    public var featureCount: Int { features.columns }
}

/// A dataset cut into the parts training uses. `validation` and `test` may be empty.
public struct DatasetSplit: Sendable, Equatable {
    public var train: Dataset
    public var validation: Dataset
    public var test: Dataset
    public init(train: Dataset, validation: Dataset, test: Dataset) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
