import Testing
@testable import NNM

@Suite struct LayerTests {
    @Test func linearComputesXWTransposePlusBias() throws {
        // W = [[1, 2], [3, 4], [5, 6]] ([outputs, inputs]), b = [0.5, -1, 0]
        let layer = try Linear(weight: Matrix([[1, 2], [3, 4], [5, 6]]), bias: [0.5, -1, 0])
        let y = try layer(Matrix([[1, 1], [2, -1]]))
        #expect(try y == Matrix([[3.5, 6, 11], [0.5, 1, 4]]))
        #expect(layer.parameters.map(\.shape) == [[3, 2], [3]])
    }

    @Test func activationsComputeTheirFormulas() throws {
        let x = try Matrix([[-2, 0, 3]])
        #expect(try ReLU()(x) == Matrix([[0, 0, 3]]))
        #expect(try LeakyReLU(slope: 0.1)(x) == Matrix([[-0.2, 0, 3]]))
        #expect(Identity()(x) == x)
        let s = try Sigmoid()(Matrix([[0, 100, -100]]))
        #expect(s.storage[0] == 0.5 && s.storage[1] == 1 && s.storage[2] < 1e-30 && s.storage[2] >= 0)
        let t = try Tanh()(Matrix([[0, 20]]))
        #expect(t.storage == [0, 1])
    }

    @Test func softmaxRowsSumToOneAndSurviveLargeLogits() throws {
        let y = try Softmax()(Matrix([[1000, 1000, 1000, 1000], [1, 2, 3, 4]]))
        #expect(y.storage[0 ..< 4].allSatisfy { abs($0 - 0.25) < 1e-6 })
        #expect(abs(y.storage[4 ..< 8].reduce(0, +) - 1) < 1e-6)
        #expect(y.storage[7] > y.storage[6])
    }

    @Test func standardizeFitsMeanAndScale() throws {
        var layer = try Standardize(featureCount: 2)
        #expect(!layer.isFitted)
        try layer.fit(Matrix([[1, 5], [3, 5], [5, 5]]))
        #expect(layer.isFitted)
        #expect(layer.mean == [3, 5])
        #expect(abs(layer.scale[0] - Float(1 / (8.0 / 3).squareRoot())) < 1e-6)
        #expect(layer.scale[1] == 1, "a constant feature keeps scale 1")
        let y = try layer(Matrix([[3, 5]]))
        #expect(y.storage == [0, 0])
    }

    @Test func chunkedStandardizationMatchesOnePass() throws {
        // 600 rows = two full chunks of 256 and a partial one, after a Linear layer.
        let data = try Dataset.circles(samples: 600, noise: 0.1, factor: 0.5, seed: 5)
        var model = try Sequential([Linear(inputCount: 2, outputCount: 3), Standardize(featureCount: 3)])
        model.initializeParameters(seed: 7)
        var firstLayerOutput = Matrix.empty
        model.layers[0].forward(data.features, into: &firstLayerOutput)
        model.fitStandardization(on: data.features)
        var reference = try Standardize(featureCount: 3)
        reference.fit(firstLayerOutput)
        let fitted = try #require(model.layers[1] as? Standardize)
        #expect(fitted.isFitted)
        #expect(fitted.mean == reference.mean)
        #expect(fitted.scale == reference.scale)
    }

    @Test func sequentialChecksWidths() throws {
        #expect(throws: ModelError.widthMismatch(layer: 2, expected: 8, found: 4)) {
            try Sequential([Linear(inputCount: 2, outputCount: 4), ReLU(), Linear(inputCount: 8, outputCount: 1)])
        }
        #expect(throws: ModelError.noLayers) { try Sequential([]) }
        #expect(throws: ModelError.unknownInputWidth) { try Sequential([ReLU()]) }
        #expect(throws: ModelError.invalidLayerSize(inputs: 0, outputs: 3)) { try Linear(inputCount: 0, outputCount: 3) }
        let model = try Sequential {
            try Linear(inputCount: 3, outputCount: 5)
            for _ in 0..<2 { ReLU() }
            try Linear(inputCount: 5, outputCount: 2)
            Softmax()
        }
        #expect(model.widths == [3, 5, 5, 5, 2, 2])
        #expect(model.parameterCount == 3 * 5 + 5 + 5 * 2 + 2)
        #expect(throws: ModelError.inputWidthMismatch(expected: 3, found: 2)) { try model(Matrix([[1, 2]])) }
    }

    @Test func anEmptyBatchGivesAnEmptyResult() throws {
        var model = try Architecture.classifier(inputCount: 3, hidden: [4], classCount: 3, standardizes: true)
        model.initializeParameters(seed: 1)
        let output = try model.predict(Matrix(rows: 0, columns: 3))
        #expect(output.rows == 0 && output.columns == 3)
        #expect(try model.predictClasses(Matrix(rows: 0, columns: 3)).isEmpty)
    }

    @Test func predictClassesThresholdsOrTakesArgmax() throws {
        #expect(try Sequential.classes(of: Matrix([[0.2], [0.5], [0.9]])) == [0, 1, 1])
        #expect(try Sequential.classes(of: Matrix([[0.1, 0.7, 0.2], [0.4, 0.4, 0.2]])) == [1, 0])
        let model = try Sequential([Linear(weight: Matrix([[1, 0], [0, 1]]), bias: [0, 0]), Softmax()])
        #expect(try model.predictClasses(Matrix([[3, 1], [-1, 2]])) == [0, 1])
    }

    @Test func initializationIsSeededAndFollowsTheActivation() throws {
        let architecture: [any Layer] = [try Linear(inputCount: 2, outputCount: 64), ReLU(),
                                         try Linear(inputCount: 64, outputCount: 1), Sigmoid()]
        var a = try Sequential(architecture)
        var b = try Sequential(architecture)
        a.initializeParameters(seed: 9)
        b.initializeParameters(seed: 9)
        let first = try #require(a.layers[0] as? Linear)
        #expect(first.weight == (try #require(b.layers[0] as? Linear)).weight)
        #expect(first.bias.allSatisfy { $0 == 0 })
        // He normal for the ReLU layer: variance ≈ 2 / 2 = 1; Glorot uniform for the sigmoid
        // head: |w| ≤ √(6 / 65).
        let variance = first.weight.storage.reduce(0) { $0 + Double($1 * $1) } / 128
        #expect(variance > 0.6 && variance < 1.5)
        let head = try #require(a.layers[2] as? Linear)
        #expect(head.weight.storage.allSatisfy { abs($0) <= (6.0 / 65).squareRoot() })
        var c = try Sequential(architecture)
        c.initializeParameters(seed: 10)
        #expect((try #require(c.layers[0] as? Linear)).weight != first.weight)
        // Small-normal: the tutorials' randn · 0.01.
        c.initializeParameters(seed: 9, initializer: .smallNormal)
        #expect((try #require(c.layers[0] as? Linear)).weight.storage.allSatisfy { abs($0) < 0.06 })
    }

    /// The documented draw order: one `.initialization` stream, layers in order, row-major.
    @Test func initializationMatchesTheSpecifiedOrder() throws {
        var model = try Sequential([Linear(inputCount: 3, outputCount: 2), Tanh(), Linear(inputCount: 2, outputCount: 1)])
        model.initializeParameters(seed: 123)
        var random = SeededRandom(seed: 123, stream: .initialization)
        let a1 = (6.0 / 5).squareRoot()
        let expected1 = (0..<6).map { _ in Float(random.uniform(-a1, a1)) }
        let a2 = (6.0 / 3).squareRoot()
        let expected2 = (0..<2).map { _ in Float(random.uniform(-a2, a2)) }
        #expect((try #require(model.layers[0] as? Linear)).weight.storage == expected1)
        #expect((try #require(model.layers[2] as? Linear)).weight.storage == expected2)
    }

    /// The vector in spec/training.md §2, computed independently with
    /// spec/reference/nnm_reference.py's `Random` (seed 42, stream 3).
    @Test func initialWeightsMatchTheSpecVector() throws {
        var model = try Architecture.network(spec: "linear:3,relu,linear:1,sigmoid", inputCount: 2)
        model.initializeParameters(seed: 42)
        let first = try #require(model.layers[0] as? Linear).weight.storage
        let second = try #require(model.layers[2] as? Linear).weight.storage
        #expect((first + second).map(\.bitPattern) == [
            0x3f10_4f26, 0xbf98_92f8, 0xc019_8f15, 0xbebe_bc87, 0xbe97_50f2, 0xbfcb_7853,
            0xbbcd_9515, 0xbebe_715d, 0xbf32_de27,
        ])
    }
}

/// The Standardize layer's batch kernel against the one expression the one-sample path uses:
/// the same bits on every kernel path and thread count, for widths that fill whole vectors and
/// ones that do not.
@Suite struct StandardizeKernelTests {
    @Test func batchKernelHasTheScalarBitsOnEveryPath() throws {
        var random = SeededRandom(seed: 23, stream: .dataset)
        for width in [1, 7, 8, 9, 17, 784] {
            let rows = width == 784 ? 33 : 5   // 33 × 784: two threads share the rows (Kernels.twoWayStandardizeCount)
            let mean = (0..<width).map { _ in Float(random.uniform(-3, 3)) }
            let scale = (0..<width).map { _ in Float(random.uniform(0.01, 50)) }
            let values = (0..<(rows * width)).map { i in i % 97 == 0 ? Float.nan : Float(random.uniform(-1e4, 1e4)) }
            let input = Matrix(rows: rows, columns: width, storage: values)
            let expected = values.enumerated().map { i, x in
                Standardize.standardized(x, mean: mean[i % width], scale: scale[i % width]).bitPattern
            }
            let layer = try Standardize(mean: mean, scale: scale)
            for path in KernelPath.allCases {
                for threads in [1, 2] {
                    var output = Matrix(rows: 0, columns: 0)
                    ComputeOptions.$current.withValue(ComputeOptions(threads: threads, kernelPath: path)) {
                        layer.forward(input, into: &output)
                    }
                    #expect(output.rows == rows && output.columns == width)
                    #expect(output.storage.map(\.bitPattern) == expected, "\(path), \(threads) threads, width \(width)")
                }
            }
        }
    }
}

/// Matrices from nested rows: rows of unequal length are an error, not a trap.
@Suite struct MatrixConstructionTests {
    @Test func raggedRowsThrowAndNameTheRow() throws {
        #expect(throws: MatrixError.raggedRows(row: 1, count: 1, expected: 2)) { try Matrix([[1, 2], [3]]) }
        #expect(throws: MatrixError.raggedRows(row: 2, count: 3, expected: 2)) { try Matrix([[1, 2], [3, 4], [5, 6, 7]]) }
        let empty = try Matrix([])
        #expect(empty.rows == 0 && empty.columns == 0)
        let square = try Matrix([[1, 2], [3, 4]])
        #expect(square.storage == [1, 2, 3, 4] && square.rows == 2 && square.columns == 2)
    }
}

/// The safe API cannot hand the kernels a buffer shorter than they read.
@Suite struct ParameterCountTests {
    @Test func crossEntropyOnOneColumnSkipsALabelItCannotIndex() throws {
        let plan = try Loss.crossEntropy.plan(for: try Sequential([try Linear(inputCount: 2, outputCount: 3), Softmax()]), classCount: 3)
        var gradient = Matrix.empty
        let loss = plan.evaluate(try Matrix([[0.5]]), labels: [1], gradient: &gradient, computesGradient: true)
        #expect(loss == 0 && gradient.storage == [0])
    }
}
