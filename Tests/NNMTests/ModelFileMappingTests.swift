import NNMFormat
import Foundation
import Testing
@testable import NNM

@Suite struct ModelFileMappingTests {
    static func trainedModel() throws -> (Sequential, TrainingResult, Dataset) {
        let data = try Dataset.moons(samples: 80, noise: 0.1, seed: 1)
        var model = try Architecture.network(
            spec: "standardize,linear:6,tanh,linear:4,leaky-relu:0.05,linear:1,sigmoid", inputCount: 2)
        model.initializeParameters(seed: 1)
        let result = try Trainer(TrainingConfiguration(epochs: 3, batchSize: 16, seed: 1)).fit(&model, on: data)
        return (model, result, data)
    }

    @Test func savingCopiesLayersAndTensorsInCanonicalOrder() throws {
        let (model, _, _) = try Self.trainedModel()
        let file = model.modelFile()
        #expect(file.layers.map(\.kind) == [.standardize, .linear, .tanh, .linear, .leakyReLU(slope: 0.05), .linear, .sigmoid])
        #expect(file.layers.map(\.inputs) == [2, 2, 6, 6, 4, 4, 1])
        #expect(file.layers.map(\.outputs) == [2, 6, 6, 4, 4, 1, 1])
        #expect(file.tensors.map(\.name) == [
            "layers.0.mean", "layers.0.scale", "layers.1.weight", "layers.1.bias",
            "layers.3.weight", "layers.3.bias", "layers.5.weight", "layers.5.bias",
        ])
        let linear = try #require(model.layers[1] as? Linear)
        #expect(file.tensors[2].shape == [6, 2])
        #expect(try file.tensors[2].values() == linear.weight.storage, "weight [outputs, inputs] is saved as is")
    }

    @Test func inMemoryRoundTripPredictsTheSame() throws {
        let (model, _, data) = try Self.trainedModel()
        let loaded = try Sequential(file: model.modelFile())
        #expect(loaded.layers.flatMap(\.parameters) == model.layers.flatMap(\.parameters))
        #expect(try loaded.predict(data.features) == (try model.predict(data.features)))
    }

    @Test func bytesRoundTripKeepsEverything() throws {
        let (model, result, _) = try Self.trainedModel()
        let configuration = TrainingConfiguration(epochs: 3, batchSize: 16, optimizer: .nesterov, learningRate: 0.05,
                                                  momentum: 0.8, weightDecay: 1e-4, seed: 7, patience: 4, schedule: .cosine)
        var metadata = configuration.metadata(loss: .binaryCrossEntropy)
        metadata[MetadataKey.producer] = .string(NNMVersion.producer)
        let recipe = DatasetRecipe(try DataRecipe.parse("moons", samples: 80, noise: 0.1, seed: 1, validationFraction: 0.1, testFraction: 0.2))
        let bytes = try model.modelFile(metadata: metadata, history: result.history, dataset: recipe).encoded()
        let file = try ModelFile(bytes: bytes)
        let loaded = try Sequential(file: file)
        #expect(loaded.layers.flatMap(\.parameters) == model.layers.flatMap(\.parameters))
        #expect(file.dataset == recipe)
        #expect(file.metadata[MetadataKey.learningRate] == .double(0.05))
        let history = try #require(file.history)
        #expect(history["train_loss"] == result.history["train_loss"])
        #expect(history["val_loss"]?.allSatisfy(\.isNaN) == true)
        let restored = TrainingConfiguration(metadata: file.metadata)
        #expect(restored.optimizer == .nesterov && restored.learningRate == 0.05 && restored.momentum == 0.8)
        #expect(restored.weightDecay == 1e-4 && restored.seed == 7 && restored.patience == 4)
        #expect(restored.loss == .binaryCrossEntropy && restored.schedule == .cosine && restored.batchSize == 16)
        // Same network, same bytes.
        #expect(try model.modelFile(metadata: metadata, history: result.history, dataset: recipe).encoded() == bytes)
    }

    @Test func fileRoundTripThroughAPath() throws {
        let (model, _, data) = try Self.trainedModel()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nnm-engine-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.nnm").path
        try NNMModel(network: model).write(to: path)
        let loaded = try NNMModel(contentsOf: path).network
        #expect(try loaded.predictClasses(data.features) == (try model.predictClasses(data.features)))
    }

    static func file(layers: [LayerRecord], tensors: [Tensor]) -> ModelFile {
        ModelFile(layers: layers, tensors: tensors)
    }

    @Test func refusesTensorsThatDoNotFitTheLayers() throws {
        let linear = LayerRecord(kind: .linear, inputs: 2, outputs: 3)
        let weight = Tensor(name: "layers.0.weight", shape: [3, 2], values: [Float](repeating: 1, count: 6))
        let bias = Tensor(name: "layers.0.bias", shape: [3], values: [0, 0, 0])
        #expect(throws: NNMFormatError.tensorMismatch(.missing(TensorName(layer: 0, role: .bias)))) {
            try Sequential(file: Self.file(layers: [linear], tensors: [weight]))
        }
        let transposed = Tensor(name: "layers.0.weight", shape: [2, 3], values: [Float](repeating: 1, count: 6))
        #expect(throws: NNMFormatError.tensorMismatch(.shape(TensorName(layer: 0, role: .weight), expected: [3, 2], found: [2, 3]))) {
            try Sequential(file: Self.file(layers: [linear], tensors: [transposed, bias]))
        }
        let extra = Tensor(name: "layers.1.weight", shape: [1], values: [1])
        #expect(throws: NNMFormatError.tensorMismatch(.unowned(name: "layers.1.weight"))) {
            try Sequential(file: Self.file(layers: [linear, LayerRecord(kind: .relu, inputs: 3, outputs: 3)],
                                          tensors: [weight, bias, extra]))
        }
        #expect(throws: NNMFormatError.tensorMismatch(.duplicate(name: "layers.0.bias"))) {
            try Sequential(file: Self.file(layers: [linear], tensors: [weight, bias, bias]))
        }
        let short = Tensor(name: "layers.0.bias", shape: [3], values: [0, 0])
        #expect(throws: NNMFormatError.tensorMismatch(.valueCount(TensorName(layer: 0, role: .bias), expected: 3, found: 2))) {
            try Sequential(file: Self.file(layers: [linear], tensors: [weight, short]))
        }
        #expect(throws: ModelFileError.self) {
            try Sequential(file: Self.file(layers: [linear, LayerRecord(kind: .relu, inputs: 3, outputs: 4)], tensors: [weight, bias]))
        }
        #expect(throws: ModelFileError.self) {
            try Sequential(file: Self.file(layers: [linear, LayerRecord(kind: .sigmoid, inputs: 5, outputs: 5)], tensors: [weight, bias]))
        }
        #expect(throws: ModelFileError.noLayers) { try Sequential(file: Self.file(layers: [], tensors: [])) }
        let manyLayers = [LayerRecord](repeating: LayerRecord(kind: .relu, inputs: 3, outputs: 3), count: 5000)
        #expect(throws: ModelFileError.tooManyLayers(count: 5001)) {
            try Sequential(file: Self.file(layers: [linear] + manyLayers, tensors: [weight, bias]))
        }
        #expect(throws: ModelFileError.self) {
            try Sequential(file: Self.file(layers: [LayerRecord(kind: .relu, inputs: 2, outputs: 2)], tensors: []))
        }
        #expect(throws: ModelFileError.self) {
            try Sequential(file: Self.file(layers: [LayerRecord(kind: .linear, inputs: 1 << 20, outputs: 1 << 20)], tensors: []))
        }
        let message = "\(NNMFormatError.tensorMismatch(.shape(TensorName(layer: 0, role: .weight), expected: [3, 2], found: [2, 3])))"
        #expect(message.contains("layers.0.weight") && message.contains("[3, 2]"))
    }
}
