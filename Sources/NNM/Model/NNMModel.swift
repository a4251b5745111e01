#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNMFormat

/// A saved model as a whole: the runnable network and everything its file knows about it.
///
/// This is the one way to load a `.nnm` file for use. `Sequential` alone is only the layers;
/// a model also has the names of its classes, the hyperparameters it was trained with, its
/// per-epoch history and the recipe of the data it saw, and forgetting them on load would make
/// every caller re-read the file by hand.
///
/// ```swift
/// let model = try NNMModel(contentsOf: URL(fileURLWithPath: "iris.nnm"))
/// let flower = try model.classify([5.1, 3.5, 1.4, 0.2])
/// print(flower.className ?? "class \(flower.classIndex)", flower.probabilities)
/// ```
public struct NNMModel: Sendable {
    /// The layers, ready to run.
    public let network: Sequential
    /// The key/value metadata the file holds (hyperparameters, producer, evaluation figures).
    public let metadata: [String: MetadataValue]
    /// Per-epoch training history, if the producer recorded one.
    public let history: TrainingHistory?
    /// The wire form of the recipe of the data the model was trained on, if recorded.
    public let datasetRecipe: DatasetRecipe?
    /// What the reader noticed and tolerated (a damaged ancillary section that was dropped);
    /// empty for a model built in memory.
    public let warnings: [ReadWarning]
    /// The SHA-256 content digest stored in the file; `nil` for a model built in memory.
    public let storedDigest: [UInt8]?
    /// The path the model was loaded from; `nil` for a model built in memory or from bytes.
    /// ``recipe`` looks for the recorded data files beside it too.
    public let filePath: String?
    /// Where training stood when the file was written (optimizer buffers, schedule, shuffle),
    /// for a run that continues it; nil when the file has none (or it was dropped as damaged).
    public var trainingState: TrainingState? = nil
    /// The weights at chosen epochs of the training run (`nnm-train --snapshots`), for
    /// `nnm-render evolution`; nil when the file has none (or they were dropped as damaged).
    public var weightSnapshots: WeightSnapshots? = nil
    /// The network prepared for one sample at a time (``predict(_:)-(Array<Float>)``).
    let rowPlan: RowPlan

    /// A model held in memory, for instance one just trained, so that it can be predicted
    /// with, drawn or saved like a loaded one.
    public init(
        network: Sequential, metadata: [String: MetadataValue] = [:], history: TrainingHistory? = nil,
        recipe: DataRecipe? = nil
    ) {
        self.network = network
        rowPlan = RowPlan(network)
        self.metadata = metadata
        self.history = history
        self.datasetRecipe = recipe.map(DatasetRecipe.init)
        self.warnings = []
        self.storedDigest = nil
        self.filePath = nil
    }

    /// The model in a decoded file. Every tensor is decoded (and its CRC-32 checked); with
    /// `.digest` the file's SHA-256 content digest is recomputed and compared too, for a file
    /// that was read (one built in memory has no stored digest to compare with).
    public init(file: ModelFile, verification: Verification = .checksums) throws(ModelLoadError) {
        try self.init(file: file, verification: verification, path: nil)
    }

    /// Loads the model in the `.nnm` file at `url` (see ``Verification`` for what is checked).
    public init(contentsOf url: URL, verification: Verification = .checksums) throws(ModelLoadError) {
        try self.init(contentsOf: url.path, verification: verification)
    }

    /// Loads the model in the `.nnm` file at `path`.
    public init(contentsOf path: String, verification: Verification = .checksums) throws(ModelLoadError) {
        let file: ModelFile
        do {
            file = try ModelFile(contentsOf: path)
        } catch {
            throw ModelLoadError(error, path: path)
        }
        try self.init(file: file, verification: verification, path: path)
    }

    /// Loads the model from the bytes of a `.nnm` file (received over a network, say).
    public init(bytes: [UInt8], verification: Verification = .checksums) throws(ModelLoadError) {
        let file: ModelFile
        do {
            file = try ModelFile(bytes: bytes)
        } catch {
            throw ModelLoadError(error, path: nil)
        }
        try self.init(file: file, verification: verification, path: nil)
    }

    private init(file: ModelFile, verification: Verification, path: String?) throws(ModelLoadError) {
        do {
            let decoded = try file.decodingAllTensors()
            if verification == .digest, decoded.readInfo != nil { _ = try decoded.verify() }
            network = try Sequential(file: decoded)
        } catch {
            throw ModelLoadError(error, path: path)
        }
        rowPlan = RowPlan(network)
        metadata = file.metadata
        history = file.history
        datasetRecipe = file.dataset
        trainingState = file.trainingState
        weightSnapshots = file.weightSnapshots
        warnings = file.readInfo?.warnings ?? []
        storedDigest = file.readInfo?.storedDigest
        filePath = path
    }

    /// How much of a file is checked on load.
    public enum Verification: Sendable, Hashable {
        /// The header, the tables and every tensor's CRC-32: catches damage in what the model
        /// is built from. A damaged ancillary section (metadata, history, recipe) is dropped
        /// with a warning in ``NNMModel/warnings``.
        case checksums
        /// Everything `.checksums` checks, plus the SHA-256 content digest and every section's
        /// CRC-32; any damage, even in a section the model does not need, is an error.
        case digest
    }
}

extension NNMModel {
    /// Features per input sample.
    public var inputCount: Int { network.inputCount }
    /// Values per output sample.
    public var outputCount: Int { network.outputCount }
    /// Whether the model predicts a number rather than classes: its network ends in the
    /// ``Rescale`` layer regression training adds, so its outputs are in the target's units.
    public var isRegression: Bool { network.lastLayerKind == .rescale }

    /// The name of each class, by index, when the training data named them (a CSV label
    /// column); `nil` for generated data, whose classes are 0, 1, ….
    public var classNames: [String]? { ModelFile.classNames(from: metadata) }

    /// The recipe of the data the model was trained on, typed; `nil` when the file records
    /// none. Throws a `DataError` when the recorded recipe is not one this library can
    /// regenerate (an unknown generator, a parameter out of range): a file is untrusted input.
    /// For a model loaded from a file, a data file that is not at its recorded path is looked
    /// for beside the model (``DataRecipe/locatingFiles(besideModelAt:)``).
    public var recipe: DataRecipe? {
        get throws {
            guard let recipe = try datasetRecipe.map(DataRecipe.init) else { return nil }
            return filePath.map(recipe.locatingFiles(besideModelAt:)) ?? recipe
        }
    }

    /// The name of each input feature, in input order, when the file records them (a model
    /// trained on a CSV file with a header); `nil` otherwise, or when their count is not
    /// ``inputCount``.
    public var featureNames: [String]? {
        guard let names = ModelFile.featureNames(from: metadata), names.count == inputCount else { return nil }
        return names
    }

    /// The name of the label column of the training data, when the file records it.
    public var labelName: String? { ModelFile.labelName(from: metadata) }

    /// The content of a `.nnm` file for this model: its network with the metadata, history
    /// and recipe it carries.
    public func modelFile() -> ModelFile {
        var file = network.modelFile(metadata: metadata, history: history, dataset: datasetRecipe)
        file.trainingState = trainingState
        file.weightSnapshots = weightSnapshots
        return file
    }

    /// Saves the model to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try modelFile().write(to: path)
    }

    /// Saves the model to `url` atomically.
    public func write(to url: URL) throws {
        try write(to: url.path)
    }
}
