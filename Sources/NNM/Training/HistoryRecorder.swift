import NNMFormat

/// Collects the per-epoch series of a training run, continuing an earlier history.
struct HistoryRecorder {
    /// The series this task records, and their values in the same order: arrays, not a
    /// dictionary, as one epoch of a small network takes microseconds and this runs every epoch.
    private let names: [HistorySeriesName]
    private var values: [[Float]]

    init(continuing previous: TrainingHistory?, task: LearningTask = .classification) {
        names = HistorySeriesName.recorded(for: task)
        let count = previous?.epochCount ?? 0
        values = names.map { previous?[$0] ?? [Float](repeating: .nan, count: count) }
        // Series a producer added that we do not record are dropped: they would no longer
        // have one value per epoch.
    }

    var epochCount: Int {
        names.firstIndex(of: .trainLoss).map { values[$0].count } ?? 0
    }

    /// Forgets the last epoch: a part-done epoch that is now being completed.
    mutating func dropLastEpoch() {
        for position in values.indices where !values[position].isEmpty {
            values[position].removeLast()
        }
    }

    /// One epoch: the training loss and accuracy (for regression: the R² of the running
    /// loss), and the validation figures.
    mutating func append(trainLoss: Double, trainAccuracy: Double, validation: Evaluation?) {
        let regression = validation?.regression
        for (position, name) in names.enumerated() {
            let value = switch name {
            case .trainLoss: trainLoss
            case .trainAccuracy, .trainR2: trainAccuracy
            case .validationLoss: validation?.loss ?? .nan
            case .validationAccuracy: validation?.accuracy ?? .nan
            case .validationR2: regression?.r2 ?? .nan
            case .validationRMSE: regression?.rootMeanSquaredError ?? .nan
            case .validationMAE: regression?.meanAbsoluteError ?? .nan
            }
            values[position].append(Self.stored(value))
        }
    }

    /// The float32 a history keeps for `value`, with every NaN as the one quiet NaN 0x7FC00000:
    /// the NaN a diverging loss carries depends on the instruction set (x86 makes 0xFFC00000 for
    /// 0·∞ or ∞ − ∞, aarch64 0x7FC00000; spec/training.md §4), and a file must not.
    static func stored(_ value: Double) -> Float {
        value.isNaN ? Float(bitPattern: 0x7FC0_0000) : Float(value)
    }

    var history: TrainingHistory {
        TrainingHistory(series: zip(names, values).map { HistorySeries(name: $0.rawValue, values: $1) })
    }
}
