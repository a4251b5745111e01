import NNMFormat

/// The series training runs record, one value per epoch; the raw value is the series' name in
/// a `.nnm` file's history (NaN where a value was not measured, e.g. no validation data).
/// A classifier records the four loss and accuracy series; a regression model the losses, the
/// R² of both parts and the validation RMSE and MAE, in the target's units
/// (``recorded(for:)``).
public enum HistorySeriesName: String, Sendable, CaseIterable {
    case trainLoss = "train_loss"
    case trainAccuracy = "train_accuracy"
    case validationLoss = "val_loss"
    case validationAccuracy = "val_accuracy"
    /// Regression: 1 − train_loss / the standardized targets' variance (the running R²).
    case trainR2 = "train_r2"
    case validationR2 = "val_r2"
    case validationRMSE = "val_rmse"
    case validationMAE = "val_mae"

    /// The series a run of `task` records, in file order.
    public static func recorded(for task: LearningTask) -> [HistorySeriesName] {
        switch task {
        case .classification: [.trainLoss, .trainAccuracy, .validationLoss, .validationAccuracy]
        case .regression: [.trainLoss, .trainR2, .validationLoss, .validationR2, .validationRMSE, .validationMAE]
        }
    }
}

extension TrainingHistory {
    /// The values of a standard series, if the history has it.
    public subscript(_ series: HistorySeriesName) -> [Float]? { self[series.rawValue] }
}
