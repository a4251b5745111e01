import Foundation
import NNMFormat
import Testing
@testable import NNM

/// `NNMModel`: loading keeps what the file knows, prediction comes in the shapes people use,
/// and every way a load fails arrives as one error type that reads as one line.
@Suite struct NNMModelTests {
    static let samples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples")

    static let sampleNames = ["circles", "moons", "xor", "spiral", "spiral3", "digits"]

    static func sample(_ name: String) -> URL {
        samples.appendingPathComponent(name).appendingPathComponent("model.nnm")
    }

    @Test(arguments: sampleNames) func loadsEverySampleWithWhatItsFileKnows(name: String) throws {
        let url = Self.sample(name)
        let model = try NNMModel(contentsOf: url, verification: .digest)
        let file = try ModelFile(contentsOf: url.path)
        #expect(model.inputCount == file.layers.first?.inputs)
        #expect(model.outputCount == file.layers.last?.outputs)
        #expect(model.history == file.history)
        #expect(model.datasetRecipe == file.dataset)
        #expect(model.metadata == file.metadata)
        #expect(model.storedDigest == file.readInfo?.storedDigest)
        #expect(model.warnings.isEmpty)
        #expect(model.classNames == file.classNames)
        // The model writes back the same bytes it was read from.
        #expect(try model.modelFile().encoded() == (try Data(contentsOf: url)).map { $0 })
    }

    @Test(arguments: sampleNames) func onePredictionEqualsTheBatchRowAndClassifyAgrees(name: String) throws {
        let model = try NNMModel(contentsOf: Self.sample(name))
        var random = SeededRandom(seed: 11, stream: .dataset)
        let rows = 17
        let batch = Matrix(rows: rows, columns: model.inputCount,
                           storage: (0..<rows * model.inputCount).map { _ in Float(random.uniform() * 4 - 2) })
        let outputs = try model.predict(batch)
        let classes = try model.classify(batch)
        let decided = try model.network.predictClasses(batch)
        for row in 0..<rows {
            let single = try model.predict(batch.row(row))
            #expect(single == outputs.row(row))
            #expect(classes[row].classIndex == decided[row])
            #expect(try model.classify(batch.row(row)) == classes[row])
            let probabilities = classes[row].probabilities
            #expect(probabilities.count == max(2, model.outputCount))
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
        }
    }

    @Test func classNamesComeFromTheFile() throws {
        var network = try Architecture.classifier(inputCount: 2, hidden: [4], classCount: 3)
        network.initializeParameters(seed: 1)
        let metadata = ModelFile.classNameMetadata(["setosa", "versicolor", "virginica"])
        let bytes = try network.modelFile(metadata: metadata).encoded()
        let model = try NNMModel(bytes: bytes)
        #expect(model.classNames == ["setosa", "versicolor", "virginica"])
        let result = try model.classify([0.5, -0.5])
        #expect(result.className == model.classNames?[result.classIndex])
        #expect(result.probabilities.count == 3)
    }

    @Test func aModelInMemoryPredictsAndSavesLikeALoadedOne() throws {
        var network = try Architecture.classifier(inputCount: 2, hidden: [4], classCount: 2)
        network.initializeParameters(seed: 2)
        let model = NNMModel(network: network, metadata: ["note": .string("in memory")])
        #expect(model.storedDigest == nil && model.warnings.isEmpty)
        let reloaded = try NNMModel(bytes: try model.modelFile().encoded(), verification: .digest)
        #expect(try reloaded.predict([0.25, 0.75]) == (try model.predict([0.25, 0.75])))
        #expect(reloaded.metadata["note"] == .string("in memory"))
    }

    @Test func classifyRefusesANetworkWithoutProbabilities() throws {
        var network = try Architecture.network(spec: "linear:3,relu,linear:2", inputCount: 2)
        network.initializeParameters(seed: 3)
        let model = NNMModel(network: network)
        #expect(throws: ModelError.notAClassifier(lastLayer: "linear", outputs: 2)) { try model.classify([1, 2]) }
        #expect(try model.predict([1, 2]).count == 2)
    }

    @Test func aWrongSampleWidthIsAnErrorNotACrash() throws {
        let model = try NNMModel(contentsOf: Self.sample("circles"))
        #expect(throws: ModelError.inputWidthMismatch(expected: 2, found: 3)) { try model.predict([1, 2, 3]) }
        #expect(throws: ModelError.inputWidthMismatch(expected: 2, found: 0)) { try model.classify([]) }
    }

    @Test func everyLoadFailureIsOneErrorTypeThatReadsAsOneLine() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-model-\(UInt64.random(in: 0...UInt64.max)).nnm")
        let unreadable = try #require(throws: ModelLoadError.self) { try NNMModel(contentsOf: missing) }
        #expect(unreadable.kind == .unreadable)
        #expect(unreadable.path == missing.path)
        #expect(unreadable.localizedDescription.hasPrefix("cannot load \(missing.path): "))
        #expect(!unreadable.localizedDescription.contains("\n"))

        let bytes = try Data(contentsOf: Self.sample("circles")).map { $0 }
        let notNNM = try #require(throws: ModelLoadError.self) { try NNMModel(bytes: Array("hello".utf8)) }
        #expect(notNNM.kind == .unsupported)
        let truncated = try #require(throws: ModelLoadError.self) { try NNMModel(bytes: Array(bytes.dropLast(9))) }
        #expect(truncated.kind == .malformed)
        #expect(truncated.path == nil && truncated.localizedDescription.hasPrefix("cannot load the model: "))
    }

    @Test func aDamagedTensorIsDamageAMissingOneMalformedAndAnUnbuildableOneNotANetwork() throws {
        var network = try Architecture.classifier(inputCount: 2, hidden: [4], classCount: 2)
        network.initializeParameters(seed: 4)
        let file = network.modelFile()
        var bytes = try file.encoded()
        let info = try #require(try ModelFile(bytes: bytes).readInfo)
        let weights = try #require(info.sections.first { $0.type == .weights })
        bytes[weights.offset + 12 + 3] ^= 0x40  // a byte of the first tensor's blob
        let damaged = try #require(throws: ModelLoadError.self) { try NNMModel(bytes: bytes) }
        #expect(damaged.kind == .damaged)

        var incomplete = file
        incomplete.tensors.removeLast()
        #expect(throws: (any Error).self) { try incomplete.encoded() }
        let model = try #require(throws: ModelLoadError.self) { try NNMModel(file: incomplete) }
        #expect(model.kind == .malformed)
        #expect(model.description.contains("layers.2.bias"))

        // Every tensor in place, but a network of activations only: no input width to run.
        let activations = ModelFile(layers: [LayerRecord(kind: .relu, inputs: 2, outputs: 2)], tensors: [])
        let unbuildable = try #require(throws: ModelLoadError.self) { try NNMModel(file: activations) }
        #expect(unbuildable.kind == .notANetwork)
    }

    @Test func digestVerificationRefusesADamagedHistoryThatChecksumsTolerate() throws {
        var network = try Architecture.classifier(inputCount: 2, hidden: [4], classCount: 2)
        network.initializeParameters(seed: 5)
        let history = TrainingHistory(series: [HistorySeries(name: "train_loss", values: [0.5, 0.25])])
        var bytes = try network.modelFile(history: history).encoded()
        let info = try #require(try ModelFile(bytes: bytes).readInfo)
        let hist = try #require(info.sections.first { $0.type == .history })
        bytes[hist.offset + 12] ^= 0x01
        let tolerant = try NNMModel(bytes: bytes)
        #expect(tolerant.history == nil)
        #expect(tolerant.warnings.count == 1)
        let strict = try #require(throws: ModelLoadError.self) { try NNMModel(bytes: bytes, verification: .digest) }
        #expect(strict.kind == .damaged)
    }
}
