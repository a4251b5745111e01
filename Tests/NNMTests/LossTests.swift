import Testing
@testable import NNM

@Suite struct LossTests {
    @Test func valuesMatchTheirDefinitions() throws {
        var unused = Matrix.empty
        let bce = try Loss.binaryCrossEntropy.plan(for: Sequential([Linear(inputCount: 1, outputCount: 1), Sigmoid()]), classCount: 2)
        // Logit 0 → p = 0.5 → loss ln 2 (float32 per sample) for either label; a huge logit with the wrong label is
        // finite (1000), not infinite.
        #expect(try abs(bce.evaluate(Matrix([[0]]), labels: [1], gradient: &unused, computesGradient: false) - 0.6931471805599453) < 1e-7)
        #expect(try bce.evaluate(Matrix([[1000]]), labels: [0], gradient: &unused, computesGradient: false) == 1000)
        let ce = try Loss.crossEntropy.plan(for: Sequential([Linear(inputCount: 1, outputCount: 3)]), classCount: 3)
        #expect(try abs(ce.evaluate(Matrix([[1, 1, 1]]), labels: [2], gradient: &unused, computesGradient: false) - 1.0986122886681098) < 1e-12)
        let mse = try Loss.meanSquaredError.plan(for: Sequential([Linear(inputCount: 1, outputCount: 2)]), classCount: 2)
        #expect(try mse.evaluate(Matrix([[0.5, 0.5]]), labels: [0], gradient: &unused, computesGradient: false) == 0.25)
    }

    @Test func lossesRefuseNetworksTheyDoNotFit() throws {
        let linearHead = try Sequential([Linear(inputCount: 2, outputCount: 1)])
        #expect(throws: LossError.needsLastLayer(loss: .binaryCrossEntropy, expected: "sigmoid", found: .linear)) {
            try Loss.binaryCrossEntropy.plan(for: linearHead, classCount: 2)
        }
        let softmax3 = try Sequential([Linear(inputCount: 2, outputCount: 3), Softmax()])
        #expect(throws: LossError.outputWidthMismatch(loss: .crossEntropy, outputs: 3, classes: 4)) {
            try Loss.crossEntropy.plan(for: softmax3, classCount: 4)
        }
        let sigmoid = try Sequential([Linear(inputCount: 2, outputCount: 1), Sigmoid()])
        #expect(throws: LossError.needsLastLayer(loss: .negativeLogLikelihood, expected: "softmax", found: .sigmoid)) {
            try Loss.negativeLogLikelihood.plan(for: sigmoid, classCount: 2)
        }
        #expect(throws: LossError.outputWidthMismatch(loss: .binaryCrossEntropy, outputs: 1, classes: 3)) {
            try Loss.binaryCrossEntropy.plan(for: sigmoid, classCount: 3)
        }
        #expect(throws: LossError.needsLastLayer(loss: .crossEntropy, expected: "softmax or linear", found: .sigmoid)) {
            try Loss.crossEntropy.plan(for: sigmoid, classCount: 2)
        }
        let message = "\(LossError.needsLastLayer(loss: .binaryCrossEntropy, expected: "sigmoid", found: .linear))"
        #expect(message.contains("bce") && message.contains("sigmoid"))
    }

    @Test func defaultLossFollowsTheLastLayer() throws {
        #expect(Loss.defaultLoss(for: try Sequential([Linear(inputCount: 2, outputCount: 1), Sigmoid()])) == .binaryCrossEntropy)
        #expect(Loss.defaultLoss(for: try Sequential([Linear(inputCount: 2, outputCount: 3), Softmax()])) == .crossEntropy)
        #expect(Loss.defaultLoss(for: try Sequential([Linear(inputCount: 2, outputCount: 3)])) == .crossEntropy)
        #expect(Loss.defaultLoss(for: try Sequential([Linear(inputCount: 2, outputCount: 1)])) == .meanSquaredError)
    }

    /// The trainer takes σ(z) from the fused loss instead of running the Sigmoid layer: the two
    /// must agree bit for bit.
    @Test func fusedBinaryCrossEntropyWritesTheSigmoidLayersBits() throws {
        let plan = try Loss.binaryCrossEntropy.plan(for: Sequential([Linear(inputCount: 1, outputCount: 1), Sigmoid()]), classCount: 2)
        var logits = EngineTestSupport.randomMatrix(rows: 2000, columns: 1, low: -30, high: 30, seed: 31)
        logits.storage += [0, -0.0, 1e-8, -1e-8, 88, -88, 104, -104, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        logits.reshape(rows: logits.storage.count, columns: 1)
        let labels = logits.storage.indices.map { $0 % 2 }
        var gradient = Matrix.empty
        var output = Matrix.empty
        _ = plan.evaluate(logits, labels: labels, gradient: &gradient, computesGradient: true,
                          sigmoidOutput: &output, writesSigmoidOutput: true)
        #expect(output.storage.map(\.bitPattern) == Sigmoid()(logits).storage.map(\.bitPattern))
    }
}
