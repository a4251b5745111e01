import NNMFormat
import Foundation
import NNM
import Testing

/// The example in NNM.docc, compiled and run (fewer epochs), through the public API only.
@Suite struct TrainingExampleTests {
    @Test func documentedExampleRuns() throws {
        let data = try DataRecipe.parse("moons", noise: 0.1, seed: 42,
                                           validationFraction: 0.1, testFraction: 0.2).makeSplit()
        var model = try Sequential {
            try Linear(inputCount: 2, outputCount: 16)
            ReLU()
            try Linear(inputCount: 16, outputCount: 1)
            Sigmoid()
        }
        model.initializeParameters(seed: 42)
        let trainer = Trainer(TrainingConfiguration(epochs: 60, seed: 42, schedule: .cosine))
        let result = try trainer.fit(&model, on: data.train, validation: data.validation)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("doc-example-\(getpid()).nnm").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NNMModel(network: model, history: result.history).write(to: path)

        let loaded = try NNMModel(contentsOf: path).network
        let classes = try loaded.predictClasses(data.test.features)
        let accuracy = Double(zip(classes, data.test.labels).filter { $0 == $1 }.count) / Double(classes.count)
        #expect(accuracy >= 0.95)
        #expect(try ModelFile(contentsOf: path).history?.epochCount == 60)
    }

    /// README's streaming example (files written here; fewer epochs), public API only.
    @Test func readmeStreamingExampleRuns() throws {
        let directory = try DataTestDirectory()
        let count = 64
        let images = try directory.write("train-images.idx", DataIDXTests.idxImages(count: count, rows: 28, columns: 28))
        let labels = try directory.write("train-labels.idx", DataIDXTests.idxLabels((0..<count).map { UInt8($0 % 10) }))

        var model = try Architecture.classifier(inputCount: 784, hidden: [100], classCount: 10)
        model.initializeParameters(seed: 1)
        let digits = try IDXStream(imagesPath: images, labelsPath: labels)
        let result = try Trainer(TrainingConfiguration(epochs: 2, batchSize: 32)).fit(&model, on: digits)
        #expect(result.history.epochCount == 2)
        #expect(result.history["train_loss"]?.allSatisfy(\.isFinite) == true)
    }
}
