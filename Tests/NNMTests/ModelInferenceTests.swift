import Testing
@testable import NNM

/// `Sequential.predict` runs large inputs in chunks: the memory it needs must not grow with
/// rows × widest layer, and chunking must not change a single output bit.
@Suite struct ModelInferenceTests {
    @Test func chunkRowsShrinkAsTheWidestLayerGrows() throws {
        let narrow = try Architecture.classifier(inputCount: 2, hidden: [16], classCount: 2)
        #expect(narrow.predictionChunkRows == 256)
        let wide = try Architecture.network(spec: "linear:65536,relu,linear:1,sigmoid", inputCount: 2)
        #expect(wide.predictionChunkRows == 64)
        let widest = try Architecture.network(spec: "linear:1048576,linear:1", inputCount: 1)
        #expect(widest.predictionChunkRows * 1_048_576 <= 1 << 22)
        #expect(widest.predictionChunkRows >= 1)
    }

    @Test func chunkedPredictionEqualsRowByRow() throws {
        var model = try Architecture.classifier(inputCount: 3, hidden: [8, 8], classCount: 3)
        model.initializeParameters(seed: 7)
        let rows = model.predictionChunkRows * 2 + 5
        var random = SeededRandom(seed: 3, stream: .dataset)
        let input = Matrix(rows: rows, columns: 3, storage: (0..<rows * 3).map { _ in Float(random.uniform()) })
        let all = try model.predict(input)
        #expect(all.rows == rows && all.columns == 3)
        for row in [0, 1, model.predictionChunkRows - 1, model.predictionChunkRows, rows - 1] {
            let single = try model.predict(Matrix(rows: 1, columns: 3, storage: input.row(row)))
            #expect(all.row(row) == single.storage)
        }
    }

    @Test func activationCountIsBatchTimesEveryWidthAndSaturates() throws {
        let model = try Architecture.network(spec: "linear:16,relu,linear:1,sigmoid", inputCount: 2)
        #expect(model.activationCount(batchSize: 32) == 32 * (2 + 16 + 16 + 1 + 1))
        #expect(model.activationCount(batchSize: Int.max) == Int.max)
        #expect(model.activationCount(batchSize: -1) == 0)
    }
}
