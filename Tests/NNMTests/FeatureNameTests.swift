import Foundation
import NNMFormat
import Testing
@testable import NNM

/// A model trained on a CSV file with a header records which input is which column and the
/// label column's name; generated data records neither. A recorded data file is found beside
/// the model when it is not at its recorded path.
@Suite struct FeatureNameTests {
    static let csv = """
        width,height,colour,kind
        1.0,2.0,0.5,a
        1.5,2.5,0.1,b
        0.5,1.0,0.3,a
        2.0,3.0,0.9,b
        1.2,2.2,0.4,a
        1.9,2.8,0.7,b
        0.7,1.1,0.2,a
        2.2,3.3,0.8,b
        0.9,1.9,0.3,a
        1.8,3.1,0.6,b
        """

    static func settings(path: String) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.dataset = .csv(path: path)
        settings.epochs = 2
        settings.validationFraction = 0
        return settings
    }

    @Test func aCSVModelRecordsItsColumnNames() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("shapes.csv", Self.csv)
        let model = try TrainingSession(Self.settings(path: path)).run().model
        #expect(model.featureNames == ["width", "height", "colour"])
        #expect(model.labelName == "kind")
        #expect(model.metadata["data.feature_names.2"] == .string("colour"))
        let reloaded = try NNMModel(bytes: try model.modelFile().encoded())
        #expect(reloaded.featureNames == ["width", "height", "colour"])
    }

    @Test func aHeaderlessCSVAndGeneratedDataRecordNoNames() throws {
        let directory = try DataTestDirectory()
        let body = Self.csv.split(separator: "\n").dropFirst().joined(separator: "\n")
        let path = try directory.write("plain.csv", body)
        let plain = try TrainingSession(Self.settings(path: path)).run().model
        #expect(plain.featureNames == nil)
        #expect(plain.labelName == nil)
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 60
        settings.epochs = 1
        let moons = try TrainingSession(settings).run().model
        #expect(moons.featureNames == nil)
        #expect(!moons.metadata.keys.contains { $0.hasPrefix("data.") })
    }

    @Test func aRecordedFileIsFoundBesideTheModel() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("shapes.csv", Self.csv)
        // Recorded as a path relative to a directory the model is not read from.
        var recipe = try DataRecipe.parse("csv:" + path, seed: 1, validationFraction: 0, testFraction: 0.2)
        guard case let .csv(file, column, header, _) = recipe.source else { throw DataError.unknownDataset("?") }
        var relative = file
        relative.path = "elsewhere/shapes.csv"
        recipe.source = .csv(file: relative, labelColumn: column, header: header)
        #expect(throws: DataError.self) { try recipe.makeDataset() }

        let modelPath = directory.path + "/model.nnm"
        let located = recipe.locatingFiles(besideModelAt: modelPath)
        #expect(located.source.inputFiles.first?.path == directory.path + "/shapes.csv")
        #expect(try located.makeDataset().sampleCount == 10)

        // The same relative path under the model's directory comes first.
        try FileManager.default.createDirectory(atPath: directory.path + "/elsewhere", withIntermediateDirectories: true)
        _ = try directory.write("elsewhere/shapes.csv", Self.csv)
        #expect(recipe.locatingFiles(besideModelAt: modelPath).source.inputFiles.first?.path
                == directory.path + "/elsewhere/shapes.csv")

        // A model loaded from a file looks beside itself.
        let network = try TrainingSession(Self.settings(path: path)).run().model.network
        try NNMModel(network: network, recipe: recipe).write(to: modelPath)
        let loaded = try NNMModel(contentsOf: modelPath)
        #expect(try loaded.recipe?.makeDataset().sampleCount == 10)
    }

    @Test func aFoundFileMustStillBeTheRecordedOne() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("shapes.csv", Self.csv)
        var recipe = try DataRecipe.parse("csv:" + path, seed: 1, validationFraction: 0, testFraction: 0.2)
        guard case let .csv(file, column, header, _) = recipe.source else { throw DataError.unknownDataset("?") }
        try FileManager.default.createDirectory(atPath: directory.path + "/other", withIntermediateDirectories: true)
        _ = try directory.write("other/shapes.csv", Self.csv + "\n1.0,1.0,1.0,a")
        var moved = file
        moved.path = "missing/shapes.csv"
        moved.name = "shapes.csv"
        recipe.source = .csv(file: moved, labelColumn: column, header: header)
        let located = recipe.locatingFiles(besideModelAt: directory.path + "/other/model.nnm")
        #expect(located.source.inputFiles.first?.path == directory.path + "/other/shapes.csv")
        #expect(throws: DataError.self) { try located.makeDataset() }
    }
}
