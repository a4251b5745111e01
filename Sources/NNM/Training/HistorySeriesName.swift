import NNMFormat

/// The series every training run records, one value per epoch; the raw value is the series'
/// name in a `.nnm` file's history (NaN where a value was not measured, e.g. no validation data).
public enum HistorySeriesName: String, Sendable, CaseIterable {
    case trainLoss = "train_loss"
    case trainAccuracy = "train_accuracy"
    case validationLoss = "val_loss"
    case validationAccuracy = "val_accuracy"
}

extension TrainingHistory {
    /// The values of a standard series, if the history has it.
    public subscript(_ series: HistorySeriesName) -> [Float]? { self[series.rawValue] }
}
