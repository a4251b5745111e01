import Testing
@testable import NNM

/// A Standardize layer fitted on held pixel bytes (`Standardize.fit(unitBytes:)`, the byte
/// kernels) has the bits of the fit on the converted floats, on every kernel path and thread
/// count, and never reads outside the bytes it was given.
@Suite struct StandardizeUnitBytesTests {
    /// Bytes covering every value, in a scrambled order.
    static func bytes(_ count: Int, seed: UInt64 = 5) -> [UInt8] {
        var random = SeededRandom(seed: seed, stream: .initialization)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// Row offsets scattered over `byteCount` bytes (repeats and descending runs included).
    static func offsets(rows: Int, width: Int, byteCount: Int, seed: UInt64 = 8) -> [Int] {
        var random = SeededRandom(seed: seed, stream: .initialization)
        return (0..<rows).map { _ in Int(random.integer(below: UInt64(byteCount - width + 1))) }
    }

    /// The rows converted one byte at a time, in Swift: what every kernel must match.
    static func converted(_ bytes: [UInt8], offsets: [Int], width: Int) -> Matrix {
        Matrix(rows: offsets.count, columns: width,
               storage: offsets.flatMap { start in bytes[start ..< start + width].map { Float($0) / 255 } })
    }

    @Test func byteKernelsMatchAScalarLoopOnEveryPath() {
        let bytes = Self.bytes(3000)
        for width in [1, 7, 8, 9, 16, 17, 100] {
            let offsets = Self.offsets(rows: 37, width: width, byteCount: bytes.count)
            let rows = Self.converted(bytes, offsets: offsets, width: width)
            var sums = [Double](repeating: 0.25, count: width)
            var squares = [Double](repeating: 0.5, count: width)
            let mean = (0..<width).map { 0.3 + Double($0) / 1000 }
            for r in 0..<rows.rows {
                for j in 0..<width {
                    let x = Double(rows.storage[r * width + j])
                    sums[j] += x
                    let d = x - mean[j]
                    let square = d * d
                    squares[j] += square
                }
            }
            for path in LogisticKernelTests.paths {
                let options = ComputeOptions(threads: 1, kernelPath: path)
                var gotSums = [Double](repeating: 0.25, count: width)
                var gotSquares = [Double](repeating: 0.5, count: width)
                var gotRows = [Float](repeating: .nan, count: offsets.count * width)
                bytes.withUnsafeBufferPointer { b in
                    offsets.withUnsafeBufferPointer { o in
                        Kernels.unitByteColumnSums(rows: o.count, columns: width, base: b.baseAddress, offsets: o.baseAddress,
                                                   sums: &gotSums, options: options)
                        Kernels.unitByteColumnSquaredDeviations(rows: o.count, columns: width, base: b.baseAddress,
                                                                offsets: o.baseAddress, mean: mean, squares: &gotSquares,
                                                                options: options)
                        gotRows.withUnsafeMutableBufferPointer {
                            Kernels.unitByteRows(rows: o.count, width: width, base: b.baseAddress, offsets: o.baseAddress,
                                                 floats: $0.baseAddress, options: options)
                        }
                    }
                }
                #expect(gotSums.map(\.bitPattern) == sums.map(\.bitPattern), "\(path), width \(width)")
                #expect(gotSquares.map(\.bitPattern) == squares.map(\.bitPattern), "\(path), width \(width)")
                #expect(gotRows.map(\.bitPattern) == rows.storage.map(\.bitPattern), "\(path), width \(width)")
            }
        }
    }

    /// Wide rows (bands of columns on both threads) and more rows than one block.
    @Test(arguments: [(784, 300), (20, Standardize.unitByteBlockRows + 77)])
    func fitOnBytesHasTheBitsOfTheFitOnFloats(width: Int, rows: Int) throws {
        let bytes = Self.bytes(width * 400 + 13)
        let offsets = Self.offsets(rows: rows, width: width, byteCount: bytes.count)
        var expected = try Standardize(featureCount: width)
        expected.fit(Self.converted(bytes, offsets: offsets, width: width))
        for threads in [1, 2] {
            for _ in 0..<(threads == 2 ? 10 : 1) {  // the helper takes bands early or late
                var layer = try Standardize(featureCount: width)
                try ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
                    try bytes.withUnsafeBufferPointer { b in
                        let byteRows = try #require(UnitByteRows(bytes: b, offsets: offsets, width: width))
                        try layer.fit(unitBytes: byteRows)
                    }
                }
                #expect(layer.isFitted)
                #expect(layer.mean.map(\.bitPattern) == expected.mean.map(\.bitPattern), "threads \(threads)")
                #expect(layer.scale.map(\.bitPattern) == expected.scale.map(\.bitPattern), "threads \(threads)")
            }
        }
    }

    @Test func bandsCoverEveryColumnOnceInWholeVectors() {
        for width in [1, 8, 63, 64, 100, 127, 128, 255, 256, 784, 5000] {
            let bands = Standardize.columnBands(width: width)
            #expect(bands.count == max(1, min(4, width / 64)), "width \(width)")
            #expect(bands.first?.lowerBound == 0 && bands.last?.upperBound == width, "width \(width)")
            #expect(zip(bands, bands.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$0.isEmpty })
            #expect(bands.allSatisfy { $0.lowerBound % 8 == 0 }, "width \(width): \(bands)")
        }
    }

    @Test func rowsReachingOutsideTheBytesAreRefused() {
        let bytes = [UInt8](repeating: 7, count: 100)
        bytes.withUnsafeBufferPointer { b in
            #expect(UnitByteRows(bytes: b, offsets: [0, 90], width: 10) != nil)
            #expect(UnitByteRows(bytes: b, offsets: [0, 91], width: 10) == nil)
            #expect(UnitByteRows(bytes: b, offsets: [-1], width: 10) == nil)
            #expect(UnitByteRows(bytes: b, offsets: [0], width: 0) == nil)
            #expect(UnitByteRows(bytes: b, offsets: [0], width: 101) == nil)
        }
    }

    /// Through `Sequential.fitStandardization(on:)`: images held in memory (fitted on their
    /// bytes) and read from the file (converted chunk by chunk) give one layer, bit for bit,
    /// on a shuffled training part; a stop request leaves the network as it was.
    @Test func heldImagesFitLikeImagesReadFromTheFile() throws {
        let (directory, images, labels) = try IDXStreamTests.files(count: 150)
        let held = try IDXStream(imagesPath: images, labelsPath: labels, storage: .memory)
            .split(validationFraction: 0.2, testFraction: 0, seed: 4).train
        let read = try IDXStream(imagesPath: images, labelsPath: labels, storage: .file)
            .split(validationFraction: 0.2, testFraction: 0, seed: 4).train
        let network = try Architecture.classifier(inputCount: 15, hidden: [4], classCount: 3, standardizes: true)
        var fromBytes = network, fromFloats = network
        try fromBytes.fitStandardization(on: held)
        try fromFloats.fitStandardization(on: read)
        let first = try #require(fromBytes.layers.first as? Standardize)
        let other = try #require(fromFloats.layers.first as? Standardize)
        #expect(first.isFitted && first.mean.map(\.bitPattern) == other.mean.map(\.bitPattern))
        #expect(first.scale.map(\.bitPattern) == other.scale.map(\.bitPattern))
        #expect(first.scale != [Float](repeating: 1, count: 15))

        var stopped = network
        #expect(throws: TrainingError.interruptedBeforeTraining) {
            try stopped.fitStandardization(on: held, shouldStop: { true })
        }
        #expect((stopped.layers.first as? Standardize)?.isFitted == false)
        _ = directory
    }
}
