import Testing
@testable import NNM

/// A ``SampleSource`` written as a library user would: rows in an array of arrays, no pointers.
struct RowsSource: SampleSource {
    var rows: [[Float]]
    var labels: [Int]
    var classCount: Int
    var sampleCount: Int { rows.count }
    var featureCount: Int { rows.first?.count ?? 0 }
    var classNames: [String]? { nil }

    func features(at index: Int) throws -> [Float] { rows[index] }

    init(_ data: Dataset) {
        rows = (0..<data.sampleCount).map { data.features.row($0) }
        labels = data.labels
        classCount = data.classCount
    }
}

/// A source whose sample 3 has one value too many.
struct RaggedSource: SampleSource {
    var sampleCount: Int { 8 }
    var featureCount: Int { 2 }
    var classCount: Int { 2 }
    var labels: [Int] { [0, 1, 0, 1, 0, 1, 0, 1] }
    var classNames: [String]? { nil }
    func features(at index: Int) throws -> [Float] { index == 3 ? [1, 2, 3] : [1, 2] }
}

/// User-defined sources train through the same trainer as the library's own, to the same bits.
@Suite struct SampleSourceTests {
    static func trained(
        _ source: some SampleSource, validation: (any SampleSource)?, hidden: [Int], classCount: Int,
        configuration: TrainingConfiguration, threads: Int
    ) throws -> (bits: [UInt32], result: TrainingResult) {
        var model = try Architecture.classifier(inputCount: source.featureCount, hidden: hidden, classCount: classCount)
        model.initializeParameters(seed: 3)
        let result = try ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
            try Trainer(configuration).fit(&model, on: source, validation: validation)
        }
        return (model.layers.flatMap(\.parameters).flatMap(\.values).map(\.bitPattern), result)
    }

    /// Narrow with fused binary cross-entropy (circles, 2-8-1) and layer by layer (a 3-class
    /// spiral through a 40-wide layer), shuffled batches with read-ahead, validation and
    /// early stopping: the same weights and history from the user's source as from the `Dataset`.
    @Test(arguments: [1, 2])
    func userSourceTrainsToTheSameBitsAsADataset(threads: Int) throws {
        let circles = try Dataset.circles(samples: 300, noise: 0.1, factor: 0.5, seed: 1)
            .split(validationFraction: 0.2, testFraction: 0, seed: 1)
        let spiral = try Dataset.spiral(samples: 240, classes: 3, noise: 0.1, seed: 2)
            .split(validationFraction: 0.2, testFraction: 0, seed: 2)
        let configuration = TrainingConfiguration(epochs: 12, batchSize: 16, learningRate: 0.05, seed: 7, patience: 3)
        for (split, hidden) in [(circles, [8]), (spiral, [40])] {
            let classes = split.train.classCount
            let reference = try Self.trained(split.train, validation: split.validation, hidden: hidden,
                                             classCount: classes, configuration: configuration, threads: threads)
            let user = try Self.trained(RowsSource(split.train), validation: RowsSource(split.validation),
                                        hidden: hidden, classCount: classes, configuration: configuration,
                                        threads: threads)
            #expect(user.bits == reference.bits)
            #expect(user.result.history == reference.result.history)
            #expect(user.result.bestEpoch == reference.result.bestEpoch)
        }
    }

    @Test func userSourceMaterializesToItsValues() throws {
        let data = try Dataset.circles(samples: 40, noise: 0.1, factor: 0.5, seed: 4)
        let materialized = try RowsSource(data).materialized()
        #expect(materialized.features == data.features)
        #expect(materialized.labels == data.labels)
        #expect(try data.features(at: 5) == data.features.row(5))
        #expect(throws: DataError.self) { try data.features(at: 40) }
    }

    @Test func aSampleOfTheWrongLengthStopsTraining() throws {
        var model = try Architecture.classifier(inputCount: 2, hidden: [4], classCount: 2)
        model.initializeParameters(seed: 1)
        #expect(throws: TrainingError.self) {
            _ = try Trainer(TrainingConfiguration(epochs: 1, batchSize: 4, seed: 1)).fit(&model, on: RaggedSource())
        }
    }
}
