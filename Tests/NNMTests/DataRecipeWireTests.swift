import Testing
@testable import NNM
import NNMFormat

/// The typed recipe to and from the wire `DatasetRecipe`: the encoding is exactly the parameter
/// dictionary files hold, and decoding refuses what `spec/datasets.md` §5 refuses.
@Suite struct DataRecipeWireTests {
    static let file = RecordedFile(path: "data/points.csv", name: "points.csv", byteCount: 33,
                                   sha256: String(repeating: "ab", count: 32))

    static let sources: [DataSource] = [
        .circles(samples: 1000, noise: 0.05, factor: 0.8), .moons(samples: 10, noise: 0.1),
        .xor(samples: 20, noise: 0), .spiral(samples: 30, classes: 3, noise: 0.02),
        .blobs(samples: 40, centers: 4, spread: 0.2), .bits4,
        .csv(file: file, labelColumn: "label", header: .present),
        .csv(file: RecordedFile(path: "bare.csv"), labelColumn: "-1", header: .auto),
        .idx(images: RecordedFile(path: "i", name: "i", byteCount: 28, sha256: "00"),
             labels: RecordedFile(path: "l", name: "l", byteCount: 11, sha256: "11")),
    ]

    @Test(arguments: sources)
    func everySourceSurvivesTheRoundTrip(source: DataSource) throws {
        let recipe = DataRecipe(source: source, seed: 7, validationFraction: 0.1, testFraction: 0.2)
        let wire = DatasetRecipe(recipe)
        #expect(wire.generator == source.kind.rawValue)
        #expect(try DataRecipe(wire) == recipe)
        #expect(DatasetRecipe(try DataRecipe(wire)) == wire)
    }

    @Test func theEncodingIsTheOneFilesHold() {
        let csv = DatasetRecipe(DataRecipe(source: Self.sources[6], seed: 1))
        #expect(csv.parameters == [
            "file_path": .string("data/points.csv"), "file_name": .string("points.csv"), "file_bytes": .int(33),
            "file_sha256": .string(String(repeating: "ab", count: 32)),
            "label_column": .string("label"), "header": .string("present"),
        ])
        #expect(csv.validationFraction == DataRecipe.defaultValidationFraction
            && csv.testFraction == DataRecipe.defaultTestFraction)
        let spiral = DatasetRecipe(DataRecipe(source: Self.sources[3], seed: 1))
        #expect(spiral.parameters == ["samples": .int(30), "classes": .int(3), "noise": .double(0.02)])
        #expect(DatasetRecipe(DataRecipe(source: .bits4, seed: 1)).parameters.isEmpty)
        let idx = DatasetRecipe(DataRecipe(source: Self.sources[8], seed: 1))
        #expect(Set(idx.parameters.keys) == ["images_path", "images_name", "images_bytes", "images_sha256",
                                             "labels_path", "labels_name", "labels_bytes", "labels_sha256"])
    }

    @Test func anIntIsAcceptedForADouble() throws {
        let wire = DatasetRecipe(generator: "moons", parameters: ["samples": .int(10), "noise": .int(0)],
                                 seed: 0, validationFraction: 0, testFraction: 0)
        #expect(try DataRecipe(wire).source == .moons(samples: 10, noise: 0))
    }

    @Test func hostileRecipesThrowNamedErrors() {
        func decoding(_ generator: String, _ parameters: [String: MetadataValue],
                      validation: Double = 0) -> () throws -> Void {
            { _ = try DataRecipe(DatasetRecipe(generator: generator, parameters: parameters, seed: 0,
                                               validationFraction: validation, testFraction: 0)) }
        }
        #expect(throws: DataError.unknownDataset("Circles"), performing: decoding("Circles", [:]))
        #expect(throws: DataError.parameterNotApplicable(dataset: "moons", name: "extra"),
                performing: decoding("moons", ["samples": .int(10), "noise": .double(0), "extra": .bool(true), "zz": .int(1)]))
        #expect(throws: DataError.parameterNotApplicable(dataset: "bits4", name: "noise"),
                performing: decoding("bits4", ["samples": .int(3), "noise": .int(1)]))
        #expect(throws: DataError.missingParameter(dataset: "circles", name: "factor"),
                performing: decoding("circles", ["samples": .int(10), "noise": .double(0)]))
        #expect(throws: DataError.invalidParameter(dataset: "circles", name: "samples", value: "-5",
                                                   expected: "an integer from 2 to 10000000"),
                performing: decoding("circles", ["samples": .int(-5), "noise": .double(0), "factor": .double(0.5)]))
        #expect(throws: DataError.invalidParameter(dataset: "csv", name: "header", value: "maybe",
                                                   expected: "auto, present or absent"),
                performing: decoding("csv", ["file_path": .string("x"), "label_column": .string("-1"),
                                             "header": .string("maybe")]))
        #expect(throws: DataError.invalidParameter(dataset: "csv", name: "label_column", value: "''",
                                                   expected: "a column name or a 0-based index"),
                performing: decoding("csv", ["file_path": .string("x"), "label_column": .string(""),
                                             "header": .string("auto")]))
        #expect(throws: DataError.self, performing: decoding("csv", ["file_path": .string("x"), "label_column": .string("-1"),
                                                                  "header": .string("auto"), "file_bytes": .string("33")]))
        #expect(throws: DataError.missingParameter(dataset: "idx", name: "labels_path"),
                performing: decoding("idx", ["images_path": .string("/nonexistent")]))
        #expect(throws: DataError.self, performing: decoding("bits4", [:], validation: .infinity))
    }

    @Test func aStrayOptionIsNamedByItsParameter() {
        #expect(throws: DataError.parameterNotApplicable(dataset: "csv", name: "samples")) {
            try DataSourceOptions(samples: 5).checkApplicable(to: .csv)
        }
        #expect(throws: DataError.parameterNotApplicable(dataset: "xor", name: "factor")) {
            try DataSource(.xor, options: DataSourceOptions(factor: 0.5, header: .absent))
        }
    }

    @Test func datasetChoicesParse() throws {
        #expect(try DatasetChoice(" Spiral ") == .spiral)
        #expect(try DatasetChoice("CSV:data/a.csv") == .csv(path: "data/a.csv"))
        #expect(try DatasetChoice("idx:a,b") == .idx(images: "a", labels: "b"))
        #expect(throws: DataError.unknownDataset("csv")) { try DatasetChoice("csv") }
        #expect(throws: DataError.unknownDataset("moons:x")) { try DatasetChoice("moons:x") }
        #expect(DataSource.Kind.idx.datasetSyntax == "idx:IMAGES,LABELS")
    }

    @Test func filesAreWhatTheSourceReads() {
        #expect(Self.sources[0].inputFiles.isEmpty && !Self.sources[0].readsFiles)
        #expect(Self.sources[6].inputFiles == [Self.file] && Self.sources[6].readsFiles)
        #expect(Self.sources[8].inputFiles.map(\.path) == ["i", "l"])
    }
}
