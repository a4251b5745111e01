import Testing
@testable import NNM
import NNMFormat

@Suite struct DataRecipeTests {
    @Test func defaultsAreWrittenIntoTheRecipe() throws {
        let recipe = try DataRecipe.parse("circles", seed: 42, validationFraction: 0.1, testFraction: 0.2)
        #expect(recipe.source == .circles(samples: 1000, noise: 0.05, factor: 0.8))
        let wire = DatasetRecipe(recipe)
        #expect(wire.generator == "circles")
        #expect(wire.parameters == ["samples": .int(1000), "noise": .double(0.05), "factor": .double(0.8)])
        #expect(recipe.seed == 42 && recipe.validationFraction == 0.1 && recipe.testFraction == 0.2)
        let data = try recipe.makeDataset()
        #expect(data.sampleCount == 1000)
    }

    @Test func summaryReadsWell() throws {
        let recipe = try DataRecipe.parse("circles", samples: 5000, noise: 0.04, seed: 42,
                                             validationFraction: 0.1, testFraction: 0.2)
        #expect(recipe.summary == "circles (factor 0.8, noise 0.04, samples 5000), seed 42, validation 0.1, test 0.2")
        let bits = try DataRecipe.parse("bits4", seed: 1, validationFraction: 0.25, testFraction: 0.25)
        #expect(bits.summary == "bits4, seed 1, validation 0.25, test 0.25")
    }

    @Test func givenParametersOverrideDefaults() throws {
        let recipe = try DataRecipe.parse("Circles", samples: 5000, noise: 0.04, seed: 1,
                                          validationFraction: 0, testFraction: 0.2)
        #expect(recipe.source == .circles(samples: 5000, noise: 0.04, factor: 0.8))
        let parameters = DatasetRecipe(recipe).parameters
        #expect(parameters["samples"] == .int(5000))
        #expect(parameters["noise"] == .double(0.04))
        #expect(parameters["factor"] == .double(0.8))
        let split = try recipe.makeSplit()
        #expect(split.train.sampleCount == 4000 && split.validation.sampleCount == 0 && split.test.sampleCount == 1000)
    }

    @Test func everyGeneratorParsesAndRegeneratesIdentically() throws {
        for kind in DataSource.Kind.allCases where kind.isGenerated {
            let name = kind.rawValue
            let recipe = try DataRecipe.parse(name, seed: 9, validationFraction: 0.1, testFraction: 0.1)
            let a = try recipe.makeSplit()
            let b = try recipe.makeSplit()
            #expect(a == b, "\(name)")
            #expect(a.train.features.storage.map(\.bitPattern) == b.train.features.storage.map(\.bitPattern))
        }
    }

    /// The fractions are checked on their own: the message names the rule, not a sample
    /// count the user never gave (it used to say "of 4611686018427387903 samples").
    @Test func fractionsSummingToOneNameTheRule() throws {
        let expected = DataError.invalidSplit("validation fraction 0.1 + test fraction 0.99 must be below 1")
        #expect(throws: expected) {
            try DataRecipe.parse("circles", seed: 1, validationFraction: 0.1, testFraction: 0.99)
        }
        #expect(throws: expected) { try Dataset.checkSplitFractions(validation: 0.1, test: 0.99) }
        #expect(throws: DataError.invalidSplit("validation fraction 0.5 + test fraction 0.5 must be below 1")) {
            try Dataset.splitSizes(count: 3, validationFraction: 0.5, testFraction: 0.5)
        }
    }

    @Test func blobsTakeNoiseAsSpread() throws {
        let recipe = try DataRecipe.parse("blobs", noise: 0.3, centers: 4, seed: 1,
                                          validationFraction: 0.1, testFraction: 0.1)
        #expect(recipe.source == .blobs(samples: 1000, centers: 4, spread: 0.3))
        #expect(DatasetRecipe(recipe).parameters["spread"] == .double(0.3))
        #expect(DatasetRecipe(recipe).parameters["noise"] == nil)
        #expect(try recipe.makeDataset().classCount == 4)
        #expect(throws: DataError.self) {
            try DataRecipe.parse("blobs", noise: 0.3, spread: 0.2, seed: 1, validationFraction: 0, testFraction: 0)
        }
    }

    @Test func mistakesAreNamed() {
        #expect(throws: DataError.unknownDataset("cirlces")) {
            try DataRecipe.parse("cirlces", seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.parameterNotApplicable(dataset: "moons", name: "factor")) {
            try DataRecipe.parse("moons", factor: 0.5, seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.parameterNotApplicable(dataset: "bits4", name: "samples")) {
            try DataRecipe.parse("bits4", samples: 10, seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.self) {
            try DataRecipe.parse("circles", factor: 1.2, seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.self) {
            try DataRecipe.parse("circles", seed: 1, validationFraction: 0.6, testFraction: 0.5)
        }
        #expect(throws: DataError.self) {
            try DataRecipe.parse("spiral", samples: 2, classes: 3, seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.self) {
            try DataRecipe.parse("csv:", seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.self) {
            try DataRecipe.parse("idx:only-one-file", seed: 1, validationFraction: 0, testFraction: 0)
        }
        #expect(throws: DataError.self) {
            try DataRecipe.parse("csv:/nonexistent/file.csv", seed: 1, validationFraction: 0, testFraction: 0)
        }
        let message = "\(DataError.parameterNotApplicable(dataset: "moons", name: "factor"))"
        #expect(message == "moons does not take the parameter 'factor'")
    }

    @Test func untrustedRecipesAreCheckedBeforeGenerating() {
        let huge = DatasetRecipe(generator: "circles",
                                 parameters: ["samples": .int(Int64.max), "noise": .double(0), "factor": .double(0.5)],
                                 seed: 0, validationFraction: 0, testFraction: 0)
        #expect(throws: DataError.self) { try DataRecipe(huge).makeDataset() }
        let wrongType = DatasetRecipe(generator: "moons", parameters: ["samples": .string("many"), "noise": .double(0)],
                                      seed: 0, validationFraction: 0, testFraction: 0)
        #expect(throws: DataError.self) { try DataRecipe(wrongType).makeDataset() }
        let missing = DatasetRecipe(generator: "moons", parameters: ["samples": .int(10)],
                                    seed: 0, validationFraction: 0, testFraction: 0)
        #expect(throws: DataError.missingParameter(dataset: "moons", name: "noise")) { try DataRecipe(missing).makeDataset() }
        let unknown = DatasetRecipe(generator: "mnist-from-the-web", parameters: [:],
                                    seed: 0, validationFraction: 0, testFraction: 0)
        #expect(throws: DataError.self) { try DataRecipe(unknown).makeDataset() }
    }

    @Test func csvRecipeRecordsTheFileAndNoticesChanges() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("points.csv", "a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n")
        let recipe = try DataRecipe.parse("csv:" + path, labelColumn: "label", seed: 3,
                                          validationFraction: 0, testFraction: 0)
        let wire = DatasetRecipe(recipe)
        #expect(wire.generator == "csv")
        #expect(wire.parameters["file_name"] == .string("points.csv"))
        #expect(wire.parameters["file_bytes"] == .int(33))
        // As `sha256sum` prints it for these 33 bytes.
        let digest = "96f53f80622aa5c4e70406d5fc647972f20d358a1d0d1f2297de53d1029e8935"
        #expect(wire.parameters["file_sha256"] == .string(digest))
        #expect(wire.parameters["label_column"] == .string("label"))
        #expect(recipe.source == .csv(file: RecordedFile(path: path, name: "points.csv", byteCount: 33, sha256: digest),
                                      labelColumn: "label", header: .auto))
        #expect(recipe.summary.hasPrefix("csv (points.csv sha256 96f53f80622a, label column label)"))
        let data = try recipe.makeDataset()
        #expect(data.classNames == ["no", "yes"] && data.labels == [1, 0, 1])
        _ = try directory.write("points.csv", "a,b,label\n1,2,yes\n3,4,no\n5,7,yes\n")
        #expect(throws: DataError.self) { try recipe.makeDataset() }
    }

    @Test func sha256MatchesKnownDigests() throws {
        #expect(try DataFile.sha256Hex([], path: "empty") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try DataFile.sha256Hex(Array("abc".utf8), path: "abc")
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func idxRecipeLoadsBothFiles() throws {
        let directory = try DataTestDirectory()
        let images = try directory.write("images", DataIDXTests.idxImages(count: 3, rows: 2, columns: 2))
        let labels = try directory.write("labels", DataIDXTests.idxLabels([0, 1, 2]))
        let recipe = try DataRecipe.parse("idx:\(images),\(labels)", seed: 1, validationFraction: 0, testFraction: 0)
        #expect(DatasetRecipe(recipe).parameters["images_bytes"] == .int(16 + 12))
        #expect(DatasetRecipe(recipe).parameters["labels_name"] == .string("labels"))
        #expect(recipe.source.inputFiles.map(\.path) == [images, labels])
        let data = try recipe.makeDataset()
        #expect(data.sampleCount == 3 && data.featureCount == 4 && data.classCount == 3)
    }

    /// Training reads a new recipe's files once: fingerprints deferred to the first read are
    /// the ones taken up front, and the split is the same.
    @Test func fingerprintsTakenAtFirstReadMatchThoseTakenUpFront() throws {
        let directory = try DataTestDirectory()
        let images = try directory.write("images", DataIDXTests.idxImages(count: 5, rows: 2, columns: 2))
        let labels = try directory.write("labels", DataIDXTests.idxLabels([0, 1, 2, 1, 0]))
        let csv = try directory.write("points.csv", "a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n7,8,no\n")
        let choices: [(DatasetChoice, DataSourceOptions)] = [
            (.idx(images: images, labels: labels), DataSourceOptions()),
            (.csv(path: csv), DataSourceOptions(labelColumn: "label")),
        ]
        for (choice, options) in choices {
            let upFront = DataRecipe(source: try DataSource(choice, options: options), seed: 4,
                                     validationFraction: 0.2, testFraction: 0.2)
            let deferred = DataRecipe(source: try DataSource(choice, options: options, fingerprints: .atFirstRead),
                                      seed: 4, validationFraction: 0.2, testFraction: 0.2)
            #expect(deferred.source.inputFiles.allSatisfy { $0.sha256 == nil && $0.byteCount == nil })
            #expect(upFront.source.inputFiles.allSatisfy { $0.sha256?.count == 64 && $0.byteCount != nil })
            let (recorded, split) = try deferred.makeSampleSplitRecordingFiles()
            #expect(recorded == upFront)
            let expected = try upFront.makeSampleSplit()
            #expect(split.train.labels == expected.train.labels && split.test.labels == expected.test.labels)
        }
    }

    @Test func trainingANewRecipeRecordsItsFilesFingerprints() throws {
        let directory = try DataTestDirectory()
        let images = try directory.write("images", DataIDXTests.idxImages(count: 6, rows: 2, columns: 2))
        let labels = try directory.write("labels", DataIDXTests.idxLabels([0, 1, 0, 1, 0, 1]))
        var settings = TrainingSettings()
        settings.dataset = .idx(images: images, labels: labels)
        settings.validationFraction = 0
        settings.testFraction = 0
        // The recipe made from the flags takes no fingerprint (no file is hashed before the
        // split reads it); the session's recipe holds the one taken as the split read the files.
        #expect(try TrainingSession.recipe(settings).source.inputFiles.allSatisfy { $0.sha256 == nil })
        let session = try TrainingSession(settings)
        let upFront = try DataSource(.idx(images: images, labels: labels))
        #expect(session.recipe.source == upFront)
    }
}
