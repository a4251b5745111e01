import Testing
import NNM

/// The small-data rule (spec/datasets.md §4): warned about, never adjusted.
@Suite struct TrainingWarningTests {
    static func session(_ dataset: DatasetChoice, samples: Int? = nil, validation: Double? = nil) throws -> TrainingSession {
        var settings = TrainingSettings()
        settings.dataset = dataset
        settings.dataOptions.samples = samples
        settings.validationFraction = validation
        settings.epochs = 1
        return try TrainingSession(settings)
    }

    @Test func bits4IsSmallData() throws {
        let session = try Self.session(.bits4)
        #expect(session.warnings == [.smallData(total: 16, train: 11, validation: 2, test: 3)])
        #expect(session.split.test.sampleCount == 3, "the split is not adjusted")
        let text = "\(session.warnings[0])"
        #expect(text == "small data: 16 samples, split train 11, validation 2, test 3; "
            + "one sample moves the accuracy by validation 50.00 %, test 33.33 %", "\(text)")
    }

    /// An IDX label file makes as many classes as its largest label + 1: labels 0, 1 and one
    /// stray 9 make ten classes, seven of which no sample has. Said, not refused.
    @Test func classesWithoutATrainingSampleAreWarnedAbout() throws {
        let directory = try DataTestDirectory()
        let count = 200
        let images = try directory.write("images", DataIDXTests.idxImages(count: count, rows: 2, columns: 2))
        var labels = (0..<count).map { UInt8($0 % 2) }
        labels[7] = 9
        labels[8] = 5
        let labelFile = try directory.write("labels", DataIDXTests.idxLabels(labels))
        let session = try Self.session(.idx(images: images, labels: labelFile), validation: 0)
        let warning = try #require(session.warnings.first)
        guard case let .classesWithoutTrainingSamples(names, missing, classes) = warning else {
            Issue.record("\(session.warnings)")
            return
        }
        #expect(classes == 10 && missing >= 6 && names.prefix(3) == ["2", "3", "4"], "\(warning)")
        #expect("\(warning)".hasPrefix("\(missing) of the 10 classes have no training sample ('2', '3', '4'"), "\(warning)")
        // Every class present: nothing to say.
        #expect(try Self.session(.moons, samples: 200).warnings.isEmpty)
    }

    @Test func aSmallHeldOutPartIsWarnedAbout() throws {
        // 60 samples: validation 6 (< 10), test 12.
        #expect(try Self.session(.moons, samples: 60).warnings == [.smallData(total: 60, train: 42, validation: 6, test: 12)])
        // 100 samples: validation 10, test 20: nothing to say.
        #expect(try Self.session(.moons, samples: 100).warnings.isEmpty)
        // No validation part at all is not a small one.
        #expect(try Self.session(.moons, samples: 60, validation: 0).warnings.isEmpty)
        #expect(try Self.session(.moons, samples: 49, validation: 0).warnings.count == 1, "fewer than 50 in all")
    }
}
