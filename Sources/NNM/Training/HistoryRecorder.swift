import NNMFormat

/// Collects the per-epoch series of a training run, continuing an earlier history.
struct HistoryRecorder {
    private var series: [HistorySeriesName: [Float]]
    private let names: [HistorySeriesName]

    init(continuing previous: TrainingHistory?, task: LearningTask = .classification) {
        series = [:]
        names = HistorySeriesName.recorded(for: task)
        let count = previous?.epochCount ?? 0
        for name in names {
            series[name] = previous?[name] ?? [Float](repeating: .nan, count: count)
        }
        // Series a producer added that we do not record are dropped: they would no longer
        // have one value per epoch.
    }

    var epochCount: Int { series[.trainLoss]?.count ?? 0 }

    /// One epoch: the training loss and accuracy (for regression: the R² of the running
    /// loss), and the validation figures.
    mutating func append(trainLoss: Double, trainAccuracy: Double, validation: Evaluation?) {
        let regression = validation?.regression
        let values: [HistorySeriesName: Double] = [
            .trainLoss: trainLoss,
            .trainAccuracy: trainAccuracy,
            .validationLoss: validation?.loss ?? .nan,
            .validationAccuracy: validation?.accuracy ?? .nan,
            .trainR2: trainAccuracy,
            .validationR2: regression?.r2 ?? .nan,
            .validationRMSE: regression?.rootMeanSquaredError ?? .nan,
            .validationMAE: regression?.meanAbsoluteError ?? .nan,
        ]
        for name in names { series[name, default: []].append(Float(values[name] ?? .nan)) }
    }

    var history: TrainingHistory {
        TrainingHistory(series: names.map {
            HistorySeries(name: $0.rawValue, values: series[$0] ?? [])
        })
    }
}
