import NNMFormat

/// Why a training session refused its settings before training.
///
/// The descriptions speak of settings, not of flags; `nnm-train` rewords them with its flag
/// names, so each message names what the user typed.
public enum TrainingSessionError: Error, Equatable, CustomStringConvertible {
    /// Continuing on the resumed model's data, but it records no dataset recipe.
    case resumedModelHasNoDataset
    /// Data parameters were given for a resumed model without naming the dataset they apply to.
    case dataChangeNeedsDataset
    /// A network shape was given for a resumed model, which keeps its own.
    case networkFixedByResume
    /// The reader dropped a damaged ancillary section of the resumed model: resuming would lose
    /// its hyperparameters, history or recipe without a word.
    case resumedSectionDamaged(section: SectionType, offset: Int)
    /// A data file recorded in the resumed model cannot be read or has changed.
    case recordedDataUnavailable(DataError, source: DataSource.Kind)
    /// Early stopping watches the validation loss, and there is no validation data.
    case patienceNeedsValidation
    /// A momentum was given for an optimizer that has none.
    case momentumUnused(optimizer: OptimizerKind)
    /// Two columns the run uses have the same header name.
    case repeatedColumnName(String)
    /// One batch through the network would need more memory than a run may take.
    case batchTooLarge(rows: Int, widths: [Int], gibibytes: Double)
    /// Training ended with NaN or infinity in a parameter although the loss stayed finite
    /// (features near the float32 limit overflow the standardization; a ReLU turns NaN into 0).
    case nonFiniteParameter(TensorName)
    /// The history after this run would be longer than one `.nnm` file can store.
    case historyTooLong(previousEpochs: Int, epochs: Int, maximum: Int)
    /// More weight snapshots than one file keeps (or a negative count).
    case snapshotCountOutOfRange(requested: Int, maximum: Int)
    /// The snapshots asked for would not fit one `snap` section (16 MiB) at this network's size.
    case snapshotsTooLarge(requested: Int, parameterCount: Int, fitting: Int)
    /// Snapshots describe one run from its first epoch; a resumed run cannot add to them.
    case snapshotsWithResume

    public var description: String {
        switch self {
        case .resumedModelHasNoDataset:
            return "the resumed model records no dataset: name the data to train on"
        case .dataChangeNeedsDataset:
            return "to change the data of a resumed model, name the dataset with its new parameters"
        case .networkFixedByResume:
            return "a resumed model keeps its network: its shape cannot be changed"
        case let .resumedSectionDamaged(section, offset):
            return "its \(section) section at offset \(offset) is damaged, so \(Self.lost(section)) would be lost"
        case let .recordedDataUnavailable(error, _):
            return "\(error) (the data file recorded in the resumed model)"
        case .patienceNeedsValidation:
            return "early stopping needs validation data to watch: use a validation fraction above 0"
        case .momentumUnused(let optimizer):
            return "momentum is used only by the momentum and nesterov optimizers; the optimizer is \(optimizer.rawValue)"
        case .repeatedColumnName(let name):
            let shown = name.isEmpty ? "no name" : "the name '\(escapeForDisplay(name))'"
            return "two columns of the data have \(shown) (a model finds its columns by name when it predicts): "
                + "rename one in the header, or leave one out with --drop-columns INDEX (0-based)"
        case let .batchTooLarge(rows, widths, gibibytes):
            return "a batch of \(rows) samples through layers \(widths.map(String.init).joined(separator: "-")) "
                + "would need \(Self.oneDecimal(gibibytes)) GiB of activations, gradients and inputs (at most 4 GiB): use a smaller batch or narrower layers"
        case .nonFiniteParameter(let name):
            return "training left a NaN or infinite value in \(name), so the model is not saved; "
                + "features near the float32 limit (about 3.4e38) overflow: scale the data down"
        case let .historyTooLong(previous, epochs, maximum):
            return "the model already has \(previous) epochs of history; with \(epochs) more it would hold "
                + "\(previous + epochs), more than the \(maximum) one .nnm file can store: train at most \(max(0, maximum - previous)) epochs"
        case let .snapshotCountOutOfRange(requested, maximum):
            return "snapshots must be between 0 and \(maximum), got \(requested)"
        case let .snapshotsTooLarge(requested, parameters, fitting):
            return "\(requested) snapshots of a network with \(parameters) parameters would not fit one 16 MiB snap section: "
                + (fitting > 0 ? "at most \(fitting) fit" : "not even one fits")
        case .snapshotsWithResume:
            return "snapshots are recorded over one run from its first epoch; a resumed run cannot record them (train anew with snapshots)"
        }
    }

    /// What a damaged section held, in words.
    public static func lost(_ section: SectionType) -> String {
        switch section {
        case .metadata: "its hyperparameters"
        case .history: "its training history"
        case .recipe: "its dataset recipe"
        case .trainingState: "its optimizer state"
        case .weightSnapshots: "its weight snapshots"
        case .layers, .tensors, .weights, .tail, .other: "part of it"
        }
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
