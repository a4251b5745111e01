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

    /// A file of another size at the recorded path (an unrelated `shapes.csv` where training
    /// ran) does not hide the recorded one beside the model; with none of the recorded size
    /// anywhere, the recorded path is kept and refused.
    @Test func aFileOfAnotherSizeAtTheRecordedPathDoesNotHideTheModelsOwn() throws {
        let directory = try DataTestDirectory()
        for folder in ["models", "work"] {
            try FileManager.default.createDirectory(atPath: directory.path + "/" + folder, withIntermediateDirectories: true)
        }
        let path = try directory.write("work/shapes.csv", Self.csv)
        let recipe = try DataRecipe.parse("csv:" + path, seed: 1, validationFraction: 0, testFraction: 0.2)
        _ = try directory.write("models/shapes.csv", Self.csv)
        _ = try directory.write("work/shapes.csv", Self.csv + "\n1.0,1.0,1.0,a")
        let modelPath = directory.path + "/models/model.nnm"
        let located = recipe.locatingFiles(besideModelAt: modelPath)
        #expect(located.source.inputFiles.first?.path == directory.path + "/models/shapes.csv")
        #expect(try located.makeDataset().sampleCount == 10)

        _ = try directory.write("models/shapes.csv", Self.csv + "\n2.0,2.0,2.0,b\n3.0,3.0,3.0,b")
        let stale = recipe.locatingFiles(besideModelAt: modelPath)
        #expect(stale.source.inputFiles.first?.path == path)
        #expect(throws: DataError.self) { try stale.makeDataset() }
    }
}

/// A header that names two used columns alike made a model whose predictions fed the first
/// column's values to both inputs: such a header is refused at training, and a data file or an
/// old model with repeated names is never matched by name.
@Suite struct RepeatedColumnNameTests {
    static func model(featureNames: [String]) throws -> NNMModel {
        var metadata: [String: MetadataValue] = [:]
        for (index, name) in featureNames.enumerated() { metadata["data.feature_names.\(index)"] = .string(name) }
        return NNMModel(network: try Architecture.network(spec: "linear:1,sigmoid", inputCount: featureNames.count),
                        metadata: metadata)
    }

    @Test func aHeaderNamingTwoUsedColumnsAlikeIsRefusedForTraining() throws {
        var text = "a,a,c,y\n"
        for row in 0..<12 { text += "\(row),\(row * 2),\(row % 3),\(row % 2 == 0 ? "p" : "q")\n" }
        let directory = try DataTestDirectory()
        let path = try directory.write("dup.csv", text)
        var settings = FeatureNameTests.settings(path: path)
        #expect(throws: TrainingSessionError.repeatedColumnName("a")) { _ = try TrainingSession(settings) }
        #expect(TrainingSessionError.repeatedColumnName("a").description.contains("--drop-columns"))
        // The file still parses: an older model recorded with such a header rebuilds its data.
        #expect(try Dataset.parseCSV(Array(text.utf8), path: "t.csv").featureNames == ["a", "a", "c"])
        // Naming the shared name picks neither (it took the first, training on the wrong one).
        for format in [CSVFormat(dropColumns: ["a"]), CSVFormat(columns: ["a", "c"])] {
            #expect { try Dataset.parseCSV(Array(text.utf8), path: "t.csv", format: format) } throws: { error in
                "\(error)".contains("columns 0 and 1 are both named 'a'")
            }
        }
        #expect(try Dataset.parseCSV(Array(text.utf8), path: "t.csv", format: CSVFormat(dropColumns: ["1"])).featureNames == ["a", "c"])
        // A header naming the label like a feature is the same mistake.
        let labelled = try directory.write("label.csv", text.replacingOccurrences(of: "a,a,c,y", with: "a,b,c,a"))
        settings = FeatureNameTests.settings(path: labelled)
        settings.dataOptions.labelColumn = "3"
        #expect(throws: TrainingSessionError.repeatedColumnName("a")) { _ = try TrainingSession(settings) }
    }

    @Test func aDataFileWithARepeatedNameTheModelUsesIsRefused() throws {
        let model = try Self.model(featureNames: ["a", "c"])
        #expect { try ColumnMatch(header: ["a", "a", "c"], width: 3, model: model, path: "d.csv") } throws: { error in
            "\(error)".contains("columns 1 and 2 both 'a'")
        }
        // A repeated name the model does not use is only an ignored column.
        let match = try ColumnMatch(header: ["x", "a", "x", "c"], width: 4, model: model, path: "d.csv")
        #expect(match.featureColumns == [1, 3] && match.byName)
    }

    @Test func aModelWithRepeatedNamesIsMatchedByPositionAndSaysWhy() throws {
        let old = try Self.model(featureNames: ["a", "a", "c"])
        let match = try ColumnMatch(header: ["a", "a", "c"], width: 3, model: old, path: "d.csv")
        #expect(match.featureColumns == [0, 1, 2] && !match.byName)
        #expect { try ColumnMatch(header: ["a", "c"], width: 2, model: old, path: "d.csv") } throws: { error in
            "\(error)".contains("feature names repeat")
        }
        // A named model and a file without a header: the message says so, not "no feature names".
        let named = try Self.model(featureNames: ["a", "b", "c"])
        #expect { try ColumnMatch(header: nil, width: 2, model: named, path: "d.csv") } throws: { error in
            "\(error)".contains("no header row") && !"\(error)".contains("records no feature names")
        }
        #expect { try ColumnMatch(header: nil, width: 1, model: named, path: "d.csv") } throws: { error in
            "\(error)".contains("is --delimiter right?")
        }
    }
}
