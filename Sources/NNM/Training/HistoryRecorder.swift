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

    mutating func append(trainLoss: Double, trainAccuracy: Double, validation: Evaluation?) {
        series[.trainLoss, default: []].append(Self.stored(trainLoss))
        series[.trainAccuracy, default: []].append(Self.stored(trainAccuracy))
        series[.validationLoss, default: []].append(Self.stored(validation?.loss ?? .nan))
        series[.validationAccuracy, default: []].append(Self.stored(validation?.accuracy ?? .nan))
    }

    /// The float32 a history keeps for `value`, with every NaN as the one quiet NaN 0x7FC00000:
    /// the NaN a diverging loss carries depends on the instruction set (x86 makes 0xFFC00000 for
    /// 0·∞ or ∞ − ∞, aarch64 0x7FC00000; spec/training.md §4), and a file must not.
    static func stored(_ value: Double) -> Float {
        value.isNaN ? Float(bitPattern: 0x7FC0_0000) : Float(value)
    }

    var history: TrainingHistory {
        TrainingHistory(series: HistorySeriesName.allCases.map {
            HistorySeries(name: $0.rawValue, values: series[$0] ?? [])
        })
    }
}
