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

    /// Forgets the last epoch: a part-done epoch that is now being completed.
    mutating func dropLastEpoch() {
        for name in HistorySeriesName.allCases where !(series[name]?.isEmpty ?? true) {
            series[name]?.removeLast()
        }
    }

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
        for name in names { series[name, default: []].append(Self.stored(values[name] ?? .nan)) }
    }

    /// The float32 a history keeps for `value`, with every NaN as the one quiet NaN 0x7FC00000:
    /// the NaN a diverging loss carries depends on the instruction set (x86 makes 0xFFC00000 for
    /// 0·∞ or ∞ − ∞, aarch64 0x7FC00000; spec/training.md §4), and a file must not.
    static func stored(_ value: Double) -> Float {
        value.isNaN ? Float(bitPattern: 0x7FC0_0000) : Float(value)
    }

    var history: TrainingHistory {
        TrainingHistory(series: names.map {
            HistorySeries(name: $0.rawValue, values: series[$0] ?? [])
        })
    }
}
