/// The decoded content of one `.nnm` file: everything a reader learns from it.
///
/// `ModelFile` is a plain value: build one, `encoded()` it to bytes, or read one back from bytes
/// or a path. It knows nothing of model math; the `NNM` library maps it to runnable layers.
/// The byte layout is defined in `spec/nnm-format.md`.
public struct ModelFile: Sendable {
    /// The format version the file was written with (reading) or will be written with (writing).
    public var version: FormatVersion
    /// The layers, in forward order.
    public var layers: [LayerRecord]
    /// The parameter tensors, in canonical order: by layer index, then in the order the layer
    /// kind lists them (`weight` before `bias`). Named `layers.<index>.<role>`.
    public var tensors: [Tensor]
    /// Free-form key/value metadata (hyperparameters, producer, user notes). Keys are unique and
    /// written sorted by their UTF-8 bytes.
    public var metadata: [String: MetadataValue]
    /// Per-epoch training history, if the producer recorded one.
    public var history: TrainingHistory?
    /// How to regenerate the data the model was trained on, if known.
    public var dataset: DatasetRecipe?
    /// Where training stood (optimizer buffers, schedule, shuffle), for a run that resumes
    /// this file; `nil` when the file has no `trst` section (spec §10a).
    public var trainingState: TrainingState? = nil
    /// The model's weights at chosen epochs of its training run (`nnm-train --snapshots`);
    /// `nil` when the file has no `snap` section (spec §10b).
    public var weightSnapshots: WeightSnapshots? = nil
    /// What the reader learned about the file (length, sections, stored digest, warnings);
    /// `nil` for a model built in memory. Not written: the writer derives all of it.
    public var readInfo: ReadInfo? = nil

    public init(
        version: FormatVersion = .current,
        layers: [LayerRecord],
        tensors: [Tensor],
        metadata: [String: MetadataValue] = [:],
        history: TrainingHistory? = nil,
        dataset: DatasetRecipe? = nil
    ) {
        self.version = version
        self.layers = layers
        self.tensors = tensors
        self.metadata = metadata
        self.history = history
        self.dataset = dataset
    }
}

/// `major.minor`. A reader refuses a major version it does not know and reads any minor
/// version of a major it knows, skipping what it does not understand.
public struct FormatVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: UInt16
    public var minor: UInt16
    public init(major: UInt16, minor: UInt16) { self.major = major; self.minor = minor }
    /// The newest version this library reads and writes (a file declares the lowest that
    /// names what it holds: `ModelFile.writtenMinorVersion`).
    public static let current = FormatVersion(major: 1, minor: 1)
    /// Version 1.0: what a file that uses nothing newer declares.
    public static let v1_0 = FormatVersion(major: 1, minor: 0)

    public static func < (a: FormatVersion, b: FormatVersion) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }
    public var description: String { "\(major).\(minor)" }
}

/// One layer of a sequential network: its kind and its input/output widths.
///
/// Shape-preserving kinds (activations, `standardize`) have `inputs == outputs`.
public struct LayerRecord: Sendable, Hashable {
    public var kind: LayerKind
    public var inputs: Int
    public var outputs: Int
    public init(kind: LayerKind, inputs: Int, outputs: Int) {
        self.kind = kind
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// The layer kinds of format v1.
///
/// Tensors each kind owns (for layer index `i`):
/// - `linear`: `layers.i.weight` shape `[outputs, inputs]` (row-major: element `(o, j)` at
///   `o * inputs + j`), `layers.i.bias` shape `[outputs]`; `y = W x + b`.
/// - `standardize`: `layers.i.mean` and `layers.i.scale`, shape `[inputs]`; `y = (x - mean) * scale`.
/// - `rescale` (format 1.1): `layers.i.scale` and `layers.i.shift`, shape `[outputs]`;
///   `y = x * scale + shift`. A regression model ends in one: it maps the standardized targets
///   the network was trained on back to the target's own units.
/// - all others own no tensors.
public enum LayerKind: Sendable, Hashable {
    case linear
    case relu
    case leakyReLU(slope: Float)
    case sigmoid
    case tanh
    case softmax
    case identity
    case standardize
    /// Per-output affine map `y = x · scale + shift` (format 1.1, layer kind 9).
    case rescale
}

/// A named float32 tensor. Its values are decoded on first use: a reader that only wants the
/// architecture never decompresses a blob.
public struct Tensor: Sendable {
    public var name: String
    /// Dimensions, outermost first. Rank 1 or 2 in v1.
    public var shape: [Int]
    /// Where the values are: already decoded, or still encoded as stored in a file.
    public var storage: TensorStorage

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.storage = .decoded(values)
    }

    public init(name: String, shape: [Int], storage: TensorStorage) {
        self.name = name
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements: the product of `shape`.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// The storage of a tensor's values.
public enum TensorStorage: Sendable {
    /// Values in memory.
    case decoded([Float])
    /// Bytes as stored in a file, not yet decompressed or checked.
    case encoded(EncodedBlob)
}

/// A value in the key/value metadata section.
public enum MetadataValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case ints([Int64])
    case doubles([Double])
}

/// Per-epoch training history: named series of equal length (one value per epoch).
///
/// Standard series names: `train_loss`, `train_accuracy`, `val_loss`, `val_accuracy`; a
/// producer may add more (e.g. `learning_rate`). A value that was not measured is NaN.
public struct TrainingHistory: Sendable, Hashable {
    public var series: [HistorySeries]
    public init(series: [HistorySeries]) { self.series = series }
    /// Number of epochs recorded (the common length of all series).
    public var epochCount: Int { series.first?.values.count ?? 0 }
    /// The series with this name, if present.
    public subscript(name: String) -> [Float]? { series.first { $0.name == name }?.values }
}

public struct HistorySeries: Sendable, Hashable {
    public var name: String
    public var values: [Float]
    public init(name: String, values: [Float]) { self.name = name; self.values = values }
}

/// Everything needed to regenerate the exact data a model saw: the generator, its parameters,
/// the seed, and how the samples were split into train/validation/test.
///
/// Generators and the split procedure are defined in `spec/datasets.md`.
public struct DatasetRecipe: Sendable, Hashable {
    /// `circles`, `moons`, `xor`, `spiral`, `blobs`, `bits4`, `csv`, `idx`, …
    public var generator: String
    /// Generator parameters, e.g. `samples`, `noise`, `factor`; for files, name, size and SHA-256.
    public var parameters: [String: MetadataValue]
    public var seed: UInt64
    public var validationFraction: Double
    public var testFraction: Double

    public init(
        generator: String, parameters: [String: MetadataValue], seed: UInt64,
        validationFraction: Double, testFraction: Double
    ) {
        self.generator = generator
        self.parameters = parameters
        self.seed = seed
        self.validationFraction = validationFraction
        self.testFraction = testFraction
    }
}
