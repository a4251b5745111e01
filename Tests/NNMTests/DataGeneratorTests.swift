import Testing
@testable import NNM

@Suite struct DataGeneratorTests {
    static func radius(_ dataset: Dataset, _ row: Int) -> Double {
        let point = dataset.features.row(row).map(Double.init)
        return (point[0] * point[0] + point[1] * point[1]).squareRoot()
    }

    @Test func circlesFollowScikitLearnStructure() throws {
        let data = try Dataset.circles(samples: 101, noise: 0, factor: 0.3, seed: 5)
        #expect(data.sampleCount == 101)
        #expect(data.featureCount == 2)
        #expect(data.classCount == 2)
        // n_out = n // 2 on the outer circle (label 0), the extra point goes inside.
        #expect(data.labels.filter { $0 == 0 }.count == 50)
        #expect(data.labels.filter { $0 == 1 }.count == 51)
        for row in 0..<data.sampleCount {
            let expected = data.labels[row] == 0 ? 1.0 : 0.3
            #expect(abs(Self.radius(data, row) - expected) < 1e-6)
        }
        // Angle 0 is on the list for both circles (linspace starts at 0).
        #expect(data.features.storage.chunks(2).contains([1, 0]))
        #expect(data.features.storage.chunks(2).contains([0.3, 0]))
    }

    @Test func circlesAreShuffledNotSortedByLabel() throws {
        let data = try Dataset.circles(samples: 200, noise: 0.04, factor: 0.8, seed: 1)
        #expect(data.labels != data.labels.sorted())
    }

    @Test func noiseBlursTheRadiusByAboutItsSize() throws {
        let data = try Dataset.circles(samples: 4000, noise: 0.04, factor: 0.8, seed: 9)
        var squares = 0.0
        for row in 0..<data.sampleCount {
            let expected = data.labels[row] == 0 ? 1.0 : 0.8
            let error = Self.radius(data, row) - expected
            squares += error * error
        }
        let rms = (squares / Double(data.sampleCount)).squareRoot()
        #expect(rms > 0.03 && rms < 0.05, "rms radial error \(rms)")
    }

    @Test func moonsHaveTheirNoiseFreeExtent() throws {
        // 101 points per moon: θ = π/2 is one of them, so the extremes are reached exactly.
        let data = try Dataset.moons(samples: 202, noise: 0, seed: 2)
        #expect(data.labels.filter { $0 == 0 }.count == 101)
        let xs = stride(from: 0, to: 404, by: 2).map { data.features.storage[$0] }
        let ys = stride(from: 1, to: 404, by: 2).map { data.features.storage[$0] }
        #expect(abs((xs.min() ?? 0) - -1) < 1e-6 && abs((xs.max() ?? 0) - 2) < 1e-6)
        #expect(abs((ys.min() ?? 0) - -0.5) < 1e-6 && abs((ys.max() ?? 0) - 1) < 1e-6)
        for row in 0..<202 {
            let (x, y) = (Double(xs[row]), Double(ys[row]))
            // Upper moon: unit circle around (0, 0); lower moon: unit circle around (1, 0.5).
            let (cx, cy) = data.labels[row] == 0 ? (0.0, 0.0) : (1.0, 0.5)
            #expect(abs(((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot() - 1) < 1e-6)
        }
    }

    @Test func xorLabelsAreSignDisagreement() throws {
        let data = try Dataset.xor(samples: 500, noise: 0, seed: 3)
        for row in 0..<data.sampleCount {
            let point = data.features.row(row)
            #expect(abs(point[0]) >= 0.1 && abs(point[0]) <= 1.1)
            #expect(abs(point[1]) >= 0.1 && abs(point[1]) <= 1.1)
            #expect(data.labels[row] == ((point[0] > 0) != (point[1] > 0) ? 1 : 0))
        }
        let ones = data.labels.filter { $0 == 1 }.count
        #expect(ones > 200 && ones < 300)
    }

    @Test func spiralDealsSamplesToClassesAndStaysInTheUnitDisk() throws {
        let data = try Dataset.spiral(samples: 302, classes: 3, noise: 0, seed: 4)
        #expect(data.classCount == 3)
        #expect((0..<3).map { k in data.labels.filter { $0 == k }.count } == [101, 101, 100])
        for row in 0..<data.sampleCount { #expect(Self.radius(data, row) < 1) }
    }

    @Test func blobsSitAroundTheirCenters() throws {
        let data = try Dataset.blobs(samples: 3000, centers: 3, spread: 0.2, seed: 5)
        #expect((0..<3).map { k in data.labels.filter { $0 == k }.count } == [1000, 1000, 1000])
        for k in 0..<3 {
            let rows = (0..<data.sampleCount).filter { data.labels[$0] == k }
            let meanX = rows.map { Double(data.features[$0, 0]) }.reduce(0, +) / Double(rows.count)
            let meanY = rows.map { Double(data.features[$0, 1]) }.reduce(0, +) / Double(rows.count)
            let angle = 2 * Double.pi * Double(k) / 3
            #expect(abs(meanX - doubleCos(angle)) < 0.03 && abs(meanY - doubleSin(angle)) < 0.03)
        }
    }

    @Test func bits4IsTheFirstSeedsTable() {
        let data = Dataset.bits4()
        #expect(data.sampleCount == 16 && data.featureCount == 4)
        #expect(data.features.row(0) == [1, 1, 0, 1] && data.labels[0] == 0)
        #expect(data.features.row(3) == [1, 0, 1, 0] && data.labels[3] == 1)
        for row in 0..<16 { #expect(data.labels[row] == Int(data.features[row, 2])) }
    }

    @Test func sameSeedSameBitsOtherSeedOtherPoints() throws {
        let a = try Dataset.moons(samples: 300, noise: 0.1, seed: 11)
        let b = try Dataset.moons(samples: 300, noise: 0.1, seed: 11)
        let c = try Dataset.moons(samples: 300, noise: 0.1, seed: 12)
        #expect(a.features.storage.map(\.bitPattern) == b.features.storage.map(\.bitPattern))
        #expect(a.labels == b.labels)
        #expect(a.features != c.features)
    }

    @Test func badParametersAreClearErrors() {
        #expect(throws: DataError.self) { try Dataset.circles(samples: 1, noise: 0, factor: 0.5, seed: 0) }
        #expect(throws: DataError.self) { try Dataset.circles(samples: 10, noise: 0, factor: 1, seed: 0) }
        #expect(throws: DataError.self) { try Dataset.circles(samples: 10, noise: -1, factor: 0.5, seed: 0) }
        #expect(throws: DataError.self) { try Dataset.moons(samples: 10, noise: .nan, seed: 0) }
        #expect(throws: DataError.self) { try Dataset.xor(samples: Dataset.maximumGeneratedSamples + 1, noise: 0, seed: 0) }
        #expect(throws: DataError.self) { try Dataset.spiral(samples: 10, classes: 1, noise: 0, seed: 0) }
        #expect(throws: DataError.self) { try Dataset.blobs(samples: 2, centers: 3, spread: 0.1, seed: 0) }
        do {
            _ = try Dataset.circles(samples: 10, noise: 0, factor: 1.5, seed: 0)
            Issue.record("factor 1.5 accepted")
        } catch {
            #expect("\(error)".contains("factor") && "\(error)".contains("[0, 1)"))
        }
    }
}

extension Array {
    fileprivate func chunks(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
