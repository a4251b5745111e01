import Testing
@testable import NNM

@Suite struct DataSplitTests {
    /// A dataset whose single feature is the sample's own index, to trace where samples go.
    static func numbered(_ count: Int) -> Dataset {
        Dataset(features: Matrix(rows: count, columns: 1, storage: (0..<count).map(Float.init)),
                labels: (0..<count).map { $0 % 2 }, classCount: 2)
    }

    static func indices(_ data: Dataset) -> [Int] { data.features.storage.map { Int($0) } }

    @Test func sizesRoundHalfUp() throws {
        #expect(try Dataset.splitSizes(count: 1000, validationFraction: 0.1, testFraction: 0.2) == (700, 100, 200))
        #expect(try Dataset.splitSizes(count: 16, validationFraction: 0.1, testFraction: 0.2) == (11, 2, 3))
        #expect(try Dataset.splitSizes(count: 10, validationFraction: 0.25, testFraction: 0.05) == (6, 3, 1))
        #expect(try Dataset.splitSizes(count: 5, validationFraction: 0, testFraction: 0) == (5, 0, 0))
    }

    @Test func partsAreDisjointCoverEverythingAndKeepLabels() throws {
        let data = Self.numbered(1001)
        let split = try data.split(validationFraction: 0.15, testFraction: 0.25, seed: 77)
        #expect(split.train.sampleCount == 601 && split.validation.sampleCount == 150 && split.test.sampleCount == 250)
        let all = Self.indices(split.train) + Self.indices(split.validation) + Self.indices(split.test)
        #expect(all.sorted() == Array(0..<1001))
        for part in [split.train, split.validation, split.test] {
            for (row, index) in Self.indices(part).enumerated() { #expect(part.labels[row] == index % 2) }
        }
        #expect(Self.indices(split.train) != Self.indices(split.train).sorted())
    }

    @Test func splitIsSeededAndUsesTheSplitStream() throws {
        let data = Self.numbered(50)
        let a = try data.split(validationFraction: 0.2, testFraction: 0.2, seed: 1)
        let b = try data.split(validationFraction: 0.2, testFraction: 0.2, seed: 1)
        let c = try data.split(validationFraction: 0.2, testFraction: 0.2, seed: 2)
        #expect(a == b)
        #expect(a != c)
        var order = Array(0..<50)
        var random = SeededRandom(seed: 1, stream: .split)
        random.shuffle(&order)
        #expect(Self.indices(a.train) == Array(order[0..<30]))
        #expect(Self.indices(a.validation) == Array(order[30..<40]))
        #expect(Self.indices(a.test) == Array(order[40..<50]))
    }

    @Test func impossibleFractionsAreRejected() {
        let data = Self.numbered(10)
        #expect(throws: DataError.self) { try data.split(validationFraction: 0.5, testFraction: 0.5, seed: 0) }
        #expect(throws: DataError.self) { try data.split(validationFraction: -0.1, testFraction: 0.1, seed: 0) }
        #expect(throws: DataError.self) { try data.split(validationFraction: .nan, testFraction: 0.1, seed: 0) }
        #expect(throws: DataError.self) { try data.split(validationFraction: 1, testFraction: 0, seed: 0) }
    }

    @Test func subsetKeepsNamesAndClassCount() throws {
        let data = try Dataset(features: Matrix([[1, 2], [3, 4], [5, 6]]), labels: [0, 2, 1], classCount: 3,
                           featureNames: ["a", "b"], classNames: ["x", "y", "z"])
        let part = data.subset([2, 0])
        #expect(try part.features == Matrix([[5, 6], [1, 2]]))
        #expect(part.labels == [1, 0] && part.classCount == 3)
        #expect(part.featureNames == ["a", "b"] && part.classNames == ["x", "y", "z"])
    }
}
