import Testing
@testable import NNM

/// Finite-difference checks of every layer's and every loss's backward pass.
///
/// Forward passes run in float32; the checked scalar (Σ R∘output, or the mean loss) is summed in
/// float64, and central differences use a step large enough (1e-2) that float32 rounding stays
/// far below the tolerance while the truncation error (O(h²)) does too.
@Suite struct GradientCheckTests {
    static let step: Float = 1e-2

    /// `|analytic − numeric| ≤ tolerance · max(1, |analytic|, |numeric|)`.
    static func close(_ analytic: Double, _ numeric: Double, tolerance: Double = 2e-3) -> Bool {
        abs(analytic - numeric) <= tolerance * max(1, abs(analytic), abs(numeric))
    }

    /// Σ weights∘layer(input), in binary64.
    static func projected(_ layer: any Layer, _ input: Matrix, _ weights: Matrix) -> Double {
        let output = layer(input)
        var total = 0.0
        for i in output.storage.indices { total += Double(output.storage[i]) * Double(weights.storage[i]) }
        return total
    }

    /// Checks ∂/∂input and ∂/∂parameters of `layer` at `input`.
    static func check(_ original: any Layer, input: Matrix, seed: UInt64) {
        var layer = original
        let name = original.description
        let output = layer(input)
        let weights = EngineTestSupport.randomMatrix(rows: output.rows, columns: output.columns, seed: seed)
        var inputGradient = Matrix.empty
        layer.backward(input: input, output: output, outputGradient: weights,
                       inputGradient: &inputGradient, computesInputGradient: true)
        #expect(inputGradient.rows == input.rows && inputGradient.columns == input.columns)

        for i in input.storage.indices {
            var plus = input, minus = input
            plus.storage[i] += step
            minus.storage[i] -= step
            let numeric = (projected(layer, plus, weights) - projected(layer, minus, weights))
                / Double(plus.storage[i] - minus.storage[i])
            #expect(close(Double(inputGradient.storage[i]), numeric),
                    "\(name) ∂input[\(i)]: analytic \(inputGradient.storage[i]), numeric \(numeric)")
        }

        // Parameter gradients: perturb one element at a time through updateParameters.
        var gradients: [[Float]] = []
        layer.updateParameters { _, gradient, _ in gradients.append(gradient) }
        for (slot, gradient) in gradients.enumerated() {
            for element in gradient.indices {
                let (plusLayer, up) = Self.nudged(layer, slot: slot, element: element, by: step)
                let (minusLayer, down) = Self.nudged(layer, slot: slot, element: element, by: -step)
                let numeric = (projected(plusLayer, input, weights) - projected(minusLayer, input, weights))
                    / Double(up - down)
                #expect(close(Double(gradient[element]), numeric),
                        "\(name) parameter \(slot)[\(element)]: analytic \(gradient[element]), numeric \(numeric)")
            }
        }
    }

    static let input = EngineTestSupport.awayFromZero(
        EngineTestSupport.randomMatrix(rows: 4, columns: 5, low: -2, high: 2, seed: 1))

    @Test func linear() throws {
        var model = try Sequential([Linear(inputCount: 5, outputCount: 3)])
        model.initializeParameters(seed: 7, initializer: .xavier)
        var layer = try #require(model.layers[0] as? Linear)
        // Non-zero biases too, so the bias path is exercised with realistic values.
        layer.updateParameters { parameter, _, role in
            if role == .bias { for i in parameter.indices { parameter[i] = Float(i) * 0.3 - 0.2 } }
        }
        GradientCheckTests.check(layer, input: Self.input, seed: 11)
    }

    @Test func relu() { GradientCheckTests.check(ReLU(), input: Self.input, seed: 12) }
    @Test func leakyReLU() { GradientCheckTests.check(LeakyReLU(slope: 0.1), input: Self.input, seed: 13) }
    @Test func sigmoid() { GradientCheckTests.check(Sigmoid(), input: Self.input, seed: 14) }
    @Test func tanh() { GradientCheckTests.check(Tanh(), input: Self.input, seed: 15) }
    @Test func softmax() { GradientCheckTests.check(Softmax(), input: Self.input, seed: 16) }
    @Test func identity() { GradientCheckTests.check(Identity(), input: Self.input, seed: 17) }
    @Test func standardize() throws {
        let layer = try Standardize(mean: [0.5, -1, 2, 0, 0.25], scale: [2, 0.5, 1, 3, 0.1])
        GradientCheckTests.check(layer, input: Self.input, seed: 18)
    }

    /// Checks ∂(mean loss)/∂values of a loss plan at `values`.
    static func checkLoss(_ plan: LossPlan, values: Matrix, labels: [Int]) {
        var gradient = Matrix.empty
        _ = plan.evaluate(values, labels: labels, gradient: &gradient, computesGradient: true)
        var unused = Matrix.empty
        let batch = Double(labels.count)
        for i in values.storage.indices {
            var plus = values, minus = values
            plus.storage[i] += step
            minus.storage[i] -= step
            let numeric = (plan.evaluate(plus, labels: labels, gradient: &unused, computesGradient: false)
                - plan.evaluate(minus, labels: labels, gradient: &unused, computesGradient: false))
                / batch / Double(plus.storage[i] - minus.storage[i])
            #expect(close(Double(gradient.storage[i]), numeric, tolerance: 1e-3),
                    "\(plan.loss) ∂[\(i)]: analytic \(gradient.storage[i]), numeric \(numeric)")
        }
    }

    @Test func meanSquaredErrorOneHot() throws {
        let model = try Sequential([Linear(inputCount: 2, outputCount: 3)])
        let plan = try Loss.meanSquaredError.plan(for: model, classCount: 3)
        Self.checkLoss(plan, values: EngineTestSupport.randomMatrix(rows: 4, columns: 3, seed: 21), labels: [0, 2, 1, 2])
    }

    @Test func meanSquaredErrorSingleOutput() throws {
        let model = try Sequential([Linear(inputCount: 2, outputCount: 1), Sigmoid()])
        let plan = try Loss.meanSquaredError.plan(for: model, classCount: 2)
        #expect(plan.fusesLastLayer == false)
        Self.checkLoss(plan, values: EngineTestSupport.randomMatrix(rows: 5, columns: 1, low: 0.05, high: 0.95, seed: 22),
                       labels: [0, 1, 1, 0, 1])
    }

    @Test func binaryCrossEntropyFromLogits() throws {
        let model = try Sequential([Linear(inputCount: 2, outputCount: 1), Sigmoid()])
        let plan = try Loss.binaryCrossEntropy.plan(for: model, classCount: 2)
        #expect(plan.fusesLastLayer)
        Self.checkLoss(plan, values: EngineTestSupport.randomMatrix(rows: 6, columns: 1, low: -4, high: 4, seed: 23),
                       labels: [0, 1, 1, 0, 1, 0])
    }

    @Test func crossEntropyFromLogits() throws {
        let fused = try Loss.crossEntropy.plan(for: Sequential([Linear(inputCount: 2, outputCount: 4), Softmax()]), classCount: 4)
        let plain = try Loss.crossEntropy.plan(for: Sequential([Linear(inputCount: 2, outputCount: 4)]), classCount: 4)
        #expect(fused.fusesLastLayer && !plain.fusesLastLayer)
        let logits = EngineTestSupport.randomMatrix(rows: 4, columns: 4, low: -3, high: 3, seed: 24)
        Self.checkLoss(fused, values: logits, labels: [3, 0, 1, 2])
        Self.checkLoss(plain, values: logits, labels: [3, 0, 1, 2])
    }

    @Test func negativeLogLikelihood() throws {
        let plan = try Loss.negativeLogLikelihood.plan(
            for: Sequential([Linear(inputCount: 2, outputCount: 3), Softmax()]), classCount: 3)
        let probabilities = Softmax()(EngineTestSupport.randomMatrix(rows: 4, columns: 3, seed: 25))
        // Smaller steps: −log p curves fast near small p.
        var gradient = Matrix.empty
        let labels = [0, 2, 1, 1]
        _ = plan.evaluate(probabilities, labels: labels, gradient: &gradient, computesGradient: true)
        var unused = Matrix.empty
        for i in probabilities.storage.indices {
            var plus = probabilities, minus = probabilities
            plus.storage[i] += 1e-3
            minus.storage[i] -= 1e-3
            let numeric = (plan.evaluate(plus, labels: labels, gradient: &unused, computesGradient: false)
                - plan.evaluate(minus, labels: labels, gradient: &unused, computesGradient: false))
                / 4 / Double(plus.storage[i] - minus.storage[i])
            #expect(Self.close(Double(gradient.storage[i]), numeric, tolerance: 1e-3))
        }
    }

    /// The whole chain — fused loss, backward through every layer kind — against finite
    /// differences of the mean loss with respect to each weight and bias.
    @Test(arguments: [Loss.binaryCrossEntropy, .meanSquaredError])
    func wholeNetworkBinary(loss: Loss) throws {
        var model = try Sequential {
            try Standardize(mean: [0.1, -0.2], scale: [1.5, 0.8])
            try Linear(inputCount: 2, outputCount: 4)
            Tanh()
            try Linear(inputCount: 4, outputCount: 3)
            LeakyReLU(slope: 0.2)
            try Linear(inputCount: 3, outputCount: 1)
            Sigmoid()
        }
        model.initializeParameters(seed: 3)
        try Self.checkNetwork(model, loss: loss, data: EngineTestSupport.rings(samples: 6, seed: 4))
    }

    @Test(arguments: [Loss.crossEntropy, .negativeLogLikelihood, .meanSquaredError])
    func wholeNetworkMultiClass(loss: Loss) throws {
        var model = try Sequential {
            try Linear(inputCount: 2, outputCount: 5)
            ReLU()
            try Linear(inputCount: 5, outputCount: 3)
            Softmax()
        }
        model.initializeParameters(seed: 5)
        try Self.checkNetwork(model, loss: loss, data: EngineTestSupport.threeBlobs(samples: 6, seed: 6))
    }

    static func meanLoss(_ model: Sequential, _ plan: LossPlan, _ data: Dataset) throws -> Double {
        try Trainer.evaluate(model, on: data, plan: plan).loss
    }

    /// `layer` with element `element` of its `slot`-th parameter tensor moved by `delta`, and
    /// the move float32 rounding actually made (the finite difference divides by that).
    static func nudged(_ layer: any Layer, slot: Int, element: Int, by delta: Float) -> (any Layer, Float) {
        var copy = layer
        var applied: Float = 0
        var current = 0
        copy.updateParameters { parameter, _, _ in
            if current == slot {
                let before = parameter[element]
                parameter[element] += delta
                applied = parameter[element] - before
            }
            current += 1
        }
        return (copy, applied)
    }

    static func checkNetwork(_ original: Sequential, loss: Loss, data: Dataset) throws {
        var model = original
        let plan = try loss.plan(for: model, classCount: data.classCount)
        var workspace = Workspace(layerCount: model.layers.count)
        try workspace.gather(data, order: Array(0..<data.sampleCount), range: 0..<data.sampleCount)
        model.forward(&workspace)
        let index = plan.fusesLastLayer ? model.layers.count - 1 : model.layers.count
        var gradient = Matrix.empty
        _ = plan.evaluate(workspace.activations[index], labels: workspace.labels, gradient: &gradient, computesGradient: true)
        workspace.gradients[index] = gradient
        model.backward(&workspace, from: index)

        for layerIndex in model.layers.indices {
            var gradients: [[Float]] = []
            model.layers[layerIndex].updateParameters { _, g, _ in gradients.append(g) }
            for (slot, values) in gradients.enumerated() {
                for element in values.indices {
                    func shifted(_ delta: Float) -> (Sequential, Float) {
                        var copy = model
                        let (layer, applied) = Self.nudged(model.layers[layerIndex], slot: slot, element: element, by: delta)
                        copy.layers[layerIndex] = layer
                        return (copy, applied)
                    }
                    let (up, a) = shifted(1e-3)
                    let (down, b) = shifted(-1e-3)
                    let numeric = (try meanLoss(up, plan, data) - meanLoss(down, plan, data)) / Double(a - b)
                    #expect(close(Double(values[element]), numeric),
                            "\(loss) layer \(layerIndex) slot \(slot)[\(element)]: \(values[element]) vs \(numeric)")
                }
            }
        }
    }
}
