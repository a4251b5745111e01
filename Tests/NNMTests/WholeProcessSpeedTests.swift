import Testing
@testable import NNM

/// The speed-ups of issue 17 that must not move a bit: the Standardize statistics kernels
/// (vectorised across columns) and cross-entropy's exps computed once per output.
@Suite struct WholeProcessSpeedTests {
    /// Rows with values of very different sizes, so a changed summation order would show.
    static func rows(_ count: Int, width: Int) -> [Float] {
        var random = SeededRandom(seed: 17, stream: .shuffle)
        return (0..<(count * width)).map { i in
            let magnitude: Float = [1e-6, 1, 3e3, 1e7][i % 4]
            return (Float(random.next() % 10_000) / 5000 - 1) * magnitude + Float(i % 7)
        }
    }

    @Test(arguments: [1, 3, 17, 784])
    func standardizeStatisticsAreTheScalarLoopsBitsOnEveryPath(width: Int) {
        let count = 301
        let x = Self.rows(count, width: width)
        var sums = [Double](repeating: 0, count: width)
        for row in 0..<count { for j in 0..<width { sums[j] += Double(x[row * width + j]) } }
        let mean = sums.map { $0 / Double(count) }
        var squares = [Double](repeating: 0, count: width)
        for row in 0..<count {
            for j in 0..<width {
                let d = Double(x[row * width + j]) - mean[j]
                squares[j] += d * d
            }
        }
        let results = LogisticKernelTests.onEveryPath { () -> [UInt64] in
            var kernelSums = [Double](repeating: 0, count: width)
            var kernelSquares = [Double](repeating: 0, count: width)
            x.withUnsafeBufferPointer { x in
                // Two calls, as the chunks of a fit arrive: the sums carry over.
                kernelSums.withUnsafeMutableBufferPointer { s in
                    Kernels.columnSums(rows: 100, width: width, x: x.baseAddress, sums: s.baseAddress)
                    Kernels.columnSums(rows: count - 100, width: width, x: x.baseAddress! + 100 * width, sums: s.baseAddress)
                }
                kernelSquares.withUnsafeMutableBufferPointer { q in
                    mean.withUnsafeBufferPointer { m in
                        Kernels.columnSquaredDeviations(rows: count, width: width, x: x.baseAddress, mean: m.baseAddress,
                                                        squares: q.baseAddress)
                    }
                }
            }
            return kernelSums.map(\.bitPattern) + kernelSquares.map(\.bitPattern)
        }
        for (path, result) in zip(LogisticKernelTests.paths, results) {
            #expect(result == sums.map(\.bitPattern) + squares.map(\.bitPattern), "\(path)")
        }
    }

    @Test func fittedStandardizeMatchesTheDefinition() throws {
        let width = 5, count = 40
        let x = Self.rows(count, width: width)
        var layer = try Standardize(featureCount: width)
        layer.fit(Matrix(rows: count, columns: width, storage: x))
        for j in 0..<width {
            let column = (0..<count).map { Double(x[$0 * width + j]) }
            var sum = 0.0
            for value in column { sum += value }
            let mean = sum / Double(count)
            var squares = 0.0
            for value in column { squares += (value - mean) * (value - mean) }
            let std = (squares / Double(count)).squareRoot()
            #expect(layer.mean[j] == Float(mean))
            #expect(layer.scale[j] == (std < 1e-12 ? 1 : Float(1 / std)))
        }
    }

    @Test func crossEntropyGradientKeepsItsBits() throws {
        let classes = 10, rows = 37
        let plan = try Loss.crossEntropy.plan(for: Sequential([Linear(inputCount: 1, outputCount: classes)]),
                                              classCount: classes)
        let logits = Self.rows(rows, width: classes).map { $0 / 1e6 }
        let labels = (0..<rows).map { ($0 * 7) % classes }
        var gradient = Matrix.empty
        let loss = plan.evaluate(Matrix(rows: rows, columns: classes, storage: logits), labels: labels,
                                     gradient: &gradient, computesGradient: true)
        // The definition, with every exp computed where it is used (as before the exps were kept).
        var total = 0.0
        var expected = [Float](repeating: 0, count: rows * classes)
        for row in 0..<rows {
            let v = logits[(row * classes)..<((row + 1) * classes)].map(Double.init)
            let largest = v.max() ?? 0
            var sum = 0.0
            for value in v { sum += doubleExp(value - largest) }
            total += largest + doubleLog(sum) - v[labels[row]]
            for k in 0..<classes {
                let p = doubleExp(v[k] - largest) * (1 / sum)
                expected[row * classes + k] = Float((p - (k == labels[row] ? 1 : 0)) / Double(rows))
            }
        }
        #expect(loss.bitPattern == total.bitPattern)  // the batch's sum; callers divide
        #expect(gradient.storage.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
