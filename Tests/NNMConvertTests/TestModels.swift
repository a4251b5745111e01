import Foundation
import NNM
import NNMFormat
@testable import NNMConvert

/// Fresh models for the conversion tests: every layer kind, with seeded weights.
enum TestModels {
    /// The specs that together use every layer kind (Standardize is added in front by `model`).
    static let specs: [(name: String, spec: String, inputs: Int, standardizes: Bool)] = [
        ("softmax-leaky", "linear:8,leaky-relu:0.2,linear:8,tanh,linear:3,softmax", 4, true),
        ("raw-identity", "linear:5,sigmoid,linear:4,identity,linear:2", 3, false),
        ("sigmoid-relu", "linear:6,relu,linear:1,sigmoid", 2, false),
        ("wide", "linear:12,relu,linear:4,softmax", 100, true),
        ("regression", "linear:8,tanh,linear:1,rescale", 3, true),
    ]

    /// A network from `spec`, weights from `seed`, and (with `standardizes`) a first
    /// Standardize layer with uneven statistics, plus class and feature names.
    static func model(_ spec: String, inputs: Int, standardizes: Bool, seed: UInt64 = 7, names: Bool = true) throws -> NNMModel {
        var network = try Architecture.network(spec: spec, inputCount: inputs)
        network.initializeParameters(seed: seed)
        var layers = network.layers
        if standardizes {
            let mean = (0..<inputs).map { Float($0) * 0.75 - 1 }
            let scale = (0..<inputs).map { 1 / (0.5 + Float($0 % 5)) }
            layers.insert(try Standardize(mean: mean, scale: scale), at: 0)
        }
        if layers.last is Rescale {
            // A regression output in target units: uneven scale and shift, as a fit would give.
            let outputs = 1  // the spec's last Linear width
            layers[layers.count - 1] = try Rescale(scale: (0..<outputs).map { 2.5 + Float($0) }, shift: (0..<outputs).map { -1.25 * Float($0 + 1) })
        }
        let built = try Sequential(layers)
        var metadata: [String: MetadataValue] = [MetadataKey.producer: .string(NNMVersion.producer)]
        if names {
            if !(layers.last is Rescale) {
                let classes = built.outputCount == 1 ? 2 : built.outputCount
                metadata.merge(ModelFile.classNameMetadata((0..<classes).map { "class \"\($0)\"" })) { $1 }
            }
            metadata.merge(ModelFile.featureNameMetadata((0..<inputs).map { "feature,\($0)" }, labelName: "label")) { $1 }
        }
        return NNMModel(network: built, metadata: metadata)
    }

    static func all() throws -> [(String, NNMModel)] {
        try specs.map { ($0.name, try model($0.spec, inputs: $0.inputs, standardizes: $0.standardizes)) }
    }

    /// The model as a source for conversion, as if read from a `.nnm` file.
    static func source(_ model: NNMModel) -> SourceModel {
        SourceModel(model: model, format: .nnm, digest: "sha256:" + String(repeating: "ab", count: 32), notes: [])
    }

    /// The weights of a model by tensor name, as bit patterns.
    static func bits(_ model: NNMModel) -> [String: [UInt32]] {
        var out: [String: [UInt32]] = [:]
        for tensor in model.modelFile().tensors {
            if case .decoded(let values) = tensor.storage { out[tensor.name] = values.map(\.bitPattern) }
        }
        return out
    }

    /// A temporary directory for one test, removed afterwards.
    static func inTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nnm-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.path)
    }
}
