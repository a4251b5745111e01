import NNMFormat

/// Collects the per-epoch series of a training run, continuing an earlier history.
struct HistoryRecorder {
    private var series: [HistorySeriesName: [Float]]

    init(continuing previous: TrainingHistory?) {
        series = [:]
        let count = previous?.epochCount ?? 0
        for name in HistorySeriesName.allCases {
            series[name] = previous?[name] ?? [Float](repeating: .nan, count: count)
        }
        // Series a producer added that we do not record are dropped: they would no longer
        // have one value per epoch.
    }

    var epochCount: Int { series[.trainLoss]?.count ?? 0 }

    /// Forgets the last epoch: a part-done epoch that is now being completed.
    mutating func dropLastEpoch() {
        for name in HistorySeriesName.allCases where !(series[name]?.isEmpty ?? true) {
            series[name]?.removeLast()
        }
    }

    mutating func append(trainLoss: Double, trainAccuracy: Double, validation: Evaluation?) {
        series[.trainLoss, default: []].append(Float(trainLoss))
        series[.trainAccuracy, default: []].append(Float(trainAccuracy))
        series[.validationLoss, default: []].append(Float(validation?.loss ?? .nan))
        series[.validationAccuracy, default: []].append(Float(validation?.accuracy ?? .nan))
    }

    var history: TrainingHistory {
        TrainingHistory(series: HistorySeriesName.allCases.map {
            HistorySeries(name: $0.rawValue, values: series[$0] ?? [])
        })
    }
}
