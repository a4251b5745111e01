/// Collects the per-epoch series of a training run, continuing an earlier history.
struct HistoryRecorder {
    static let names = ["train_loss", "train_accuracy", "val_loss", "val_accuracy"]
    private var series: [String: [Float]]
    private var extra: [HistorySeries]

    init(continuing previous: TrainingHistory?) {
        series = [:]
        extra = []
        let count = previous?.epochCount ?? 0
        for name in HistoryRecorder.names {
            series[name] = previous?[name] ?? [Float](repeating: .nan, count: count)
        }
        // Series a producer added that we do not record are dropped: they would no longer
        // have one value per epoch.
    }

    var epochCount: Int { series["train_loss"]?.count ?? 0 }

    mutating func append(trainLoss: Double, trainAccuracy: Double, validation: Evaluation?) {
        series["train_loss", default: []].append(Float(trainLoss))
        series["train_accuracy", default: []].append(Float(trainAccuracy))
        series["val_loss", default: []].append(Float(validation?.loss ?? .nan))
        series["val_accuracy", default: []].append(Float(validation?.accuracy ?? .nan))
    }

    var history: TrainingHistory {
        TrainingHistory(series: HistoryRecorder.names.map { HistorySeries(name: $0, values: series[$0] ?? []) })
    }
}
