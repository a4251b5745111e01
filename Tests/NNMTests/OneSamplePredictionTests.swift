import Testing
@testable import NNM

/// `NNMModel.predict([Float])` runs its own one-sample path (`RowPlan`: transposed weights,
/// fused ReLU, scratch rows on the stack). It must give, bit for bit, what the batch path gives
/// for the same row, on every kernel path, for every kind of layer and for widths that are not
/// multiples of a vector.
@Suite struct OneSamplePredictionTests {
    /// Networks after a fitted standardization of their input: (inputs, layers after it).
    static let networks: [(inputs: Int, spec: String)] = [
        (2, "linear:16,relu,linear:16,relu,linear:1,sigmoid"),
        (784, "linear:100,relu,linear:10,softmax"),
        (5, "linear:37,tanh,linear:17,leaky-relu:0.1,linear:3,softmax"),
        (3, "linear:129,relu,relu,linear:65,sigmoid"),
        (1, "linear:1"),
        (300, "linear:8,identity,linear:200,relu,linear:4"),
    ]

    /// The network of `spec` behind a standardization with varied statistics, weights seeded.
    static func model(inputs: Int, spec: String, seed: UInt64) throws -> NNMModel {
        var body = try Architecture.network(spec: spec, inputCount: inputs)
        body.initializeParameters(seed: seed)
        let mean = EngineTestSupport.randomMatrix(rows: 1, columns: inputs, seed: seed + 1).storage
        let scale = EngineTestSupport.randomMatrix(rows: 1, columns: inputs, low: 0.2, high: 3, seed: seed + 2).storage
        let network = try Sequential([try Standardize(mean: mean, scale: scale)] + body.layers)
        return NNMModel(network: network)
    }

    /// Rows with exact zeros, negative zeros and large values among uniform ones, so ReLU sees
    /// −0, +0 and both signs.
    static func rows(_ count: Int, width: Int, seed: UInt64) -> Matrix {
        var m = EngineTestSupport.randomMatrix(rows: count, columns: width, low: -3, high: 3, seed: seed)
        for i in stride(from: 0, to: m.storage.count, by: 7) { m.storage[i] = 0 }
        for i in stride(from: 3, to: m.storage.count, by: 11) { m.storage[i] = -0.0 }
        for i in stride(from: 5, to: m.storage.count, by: 13) { m.storage[i] *= 1000 }
        return m
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test(arguments: KernelPath.allCases)
    func oneSampleEqualsTheBatchRowBitForBit(path: KernelPath) throws {
        try ComputeOptions.$current.withValue(ComputeOptions(threads: 2, kernelPath: path)) {
            for (index, network) in Self.networks.enumerated() {
                let model = try Self.model(inputs: network.inputs, spec: network.spec, seed: UInt64(40 + index))
                let input = Self.rows(9, width: network.inputs, seed: UInt64(index))
                let batch = try model.predict(input)
                for row in 0..<input.rows {
                    let single = try model.predict(input.row(row))
                    #expect(Self.bits(single) == Self.bits(batch.row(row)), "\(network.spec), row \(row), \(path)")
                }
            }
        }
    }

    @Test func aRegressionModelsRescaleRunsToo() throws {
        var body = try Architecture.network(spec: "linear:24,relu,linear:1", inputCount: 3)
        body.initializeParameters(seed: 5)
        let layers: [any Layer] = [try Standardize(mean: [1, -2, 0.5], scale: [0.5, 2, 1])] + body.layers
            + [try Rescale(scale: [3.5], shift: [-7])]
        let model = NNMModel(network: try Sequential(layers))
        let input = Self.rows(6, width: 3, seed: 9)
        let batch = try model.predict(input)
        for row in 0..<input.rows {
            #expect(Self.bits(try model.predict(input.row(row))) == Self.bits(batch.row(row)))
        }
    }

    /// The transposed copies are capped over the whole network, not per layer: of two layers
    /// of 0.75 × the cap each, the first is transposed and the second runs on its batch path
    /// (same bits); the small last layer still fits. The cap counts the padding too.
    @Test func transposedWeightsAreCappedOverAllLayers() throws {
        let width = 1774   // 1774² ≈ 0.75 · 2²²
        let model = try Self.model(inputs: width, spec: "linear:\(width),relu,linear:\(width),relu,linear:2", seed: 8)
        let transposed = model.rowPlan.steps.filter { $0.kind == .linear || $0.kind == .linearReLU }
        #expect(transposed.count == 2)
        #expect(transposed.reduce(0) { $0 + $1.inputs * $1.stride } <= RowPlan.maximumTransposedWeights)
        #expect(model.rowPlan.parameters.count < RowPlan.maximumTransposedWeights + 4 * width + 64)
        #expect(model.rowPlan.steps.contains { $0.kind == .layer })
        let input = Self.rows(2, width: width, seed: 3)
        let batch = try model.predict(input)
        for row in 0..<input.rows {
            #expect(Self.bits(try model.predict(input.row(row))) == Self.bits(batch.row(row)))
        }
    }

    /// A layer of one output is kept as NNM_LINEAR_ROW_PAD floats per input: a million inputs
    /// are 16 Mi floats transposed though the weight has 1 Mi, so it runs on its batch path.
    @Test func theCapCountsTheTransposedPadding() throws {
        let model = try Self.model(inputs: 1 << 20, spec: "linear:1", seed: 2)
        #expect(!model.rowPlan.steps.contains { $0.kind == .linear || $0.kind == .linearReLU })
        #expect(model.rowPlan.parameters.count <= 2 << 20 + 1)
    }

    @Test func aSampleOfTheWrongWidthIsAnError() throws {
        let model = try Self.model(inputs: 2, spec: "linear:4,relu,linear:1,sigmoid", seed: 1)
        #expect(throws: ModelError.inputWidthMismatch(expected: 2, found: 3)) { try model.predict([1, 2, 3] as [Float]) }
        #expect(throws: ModelError.inputWidthMismatch(expected: 2, found: 0)) { try model.predict([] as [Float]) }
    }

    @Test func classifyAgreesWithTheBatchClassification() throws {
        let model = try Self.model(inputs: 5, spec: "linear:37,tanh,linear:17,leaky-relu:0.1,linear:3,softmax", seed: 3)
        let input = Self.rows(12, width: 5, seed: 4)
        let batch = try model.classify(input)
        for row in 0..<input.rows {
            #expect(try model.classify(input.row(row)) == batch[row])
        }
    }
}

/// nnm-predict's lines are appended as bytes (`PredictionTable.appendLines`); the text must stay
/// what joining each number's interpolation gave.
@Suite struct PredictionTableTextTests {
    /// The lines as they were built before: cells as strings, joined.
    static func joinedLines(_ table: PredictionTable, _ outputs: Matrix, _ delimiter: CSVDelimiter) -> String {
        var text = ""
        for row in 0..<outputs.rows {
            let output = outputs.row(row)
            var cells: [String]
            if table.isClassifier {
                let probabilities = output.count == 1 ? [1 - output[0], output[0]] : output
                cells = [PredictionTable.field(table.className(PredictionTable.classIndex(output)), delimiter)]
                    + probabilities.map { "\($0)" }
            } else {
                cells = output.map { "\($0)" }
            }
            text += cells.joined(separator: delimiter.rawValue) + "\n"
        }
        return text
    }

    static let awkward: [Float] = [0, -0.0, 1, 0.1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 3.4028235e38, .infinity, -.infinity, .nan,
                                   1e-5, 123456.79, 0.99999994, 5e-8, 16777216, 1e16]

    @Test(arguments: CSVDelimiter.allCases)
    func bytesEqualTheJoinedCells(delimiter: CSVDelimiter) throws {
        for spec in ["linear:1,sigmoid", "linear:4,softmax", "linear:3", "linear:1"] {
            let network = try Architecture.network(spec: spec, inputCount: 2)
            let table = PredictionTable(model: NNMModel(network: network))
            let width = network.outputCount
            var values = Self.awkward
            while values.count % width != 0 { values.append(0.25) }
            let outputs = Matrix(rows: values.count / width, columns: width, storage: values)
            #expect(table.lines(outputs, delimiter: delimiter) == Self.joinedLines(table, outputs, delimiter), "\(spec)")
        }
    }
}
