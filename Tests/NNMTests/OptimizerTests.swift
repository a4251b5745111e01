import Testing
@testable import NNM

/// One-parameter networks whose gradient is known, stepped by each optimizer.
@Suite struct OptimizerTests {
    /// A 1→1 linear layer with weight `w`, bias 0, and gradients set by a backward pass of
    /// input 1, output gradient `g` (so ∂W = g, ∂b = g).
    static func model(weight: Float, gradient: Float) throws -> Sequential {
        var model = try Sequential([Linear(weight: Matrix([[weight]]), bias: [0])])
        var workspace = Workspace(layerCount: 1)
        workspace.activations[0] = Matrix([[1]])
        model.forward(&workspace)
        workspace.gradients[1] = Matrix([[gradient]])
        model.backward(&workspace, from: 1)
        return model
    }

    static func parameters(_ model: Sequential) throws -> (Float, Float) {
        let linear = try #require(model.layers[0] as? Linear)
        return (linear.weight.storage[0], linear.bias[0])
    }

    @Test func sgdAndWeightDecay() throws {
        var model = try Self.model(weight: 2, gradient: 0.5)
        var optimizer = Optimizer(.sgd, learningRate: 0.1, weightDecay: 0.01)
        optimizer.update(&model)
        let (w, b) = try Self.parameters(model)
        #expect(abs(w - (2 - 0.1 * (0.5 + 0.01 * 2))) < 1e-6)
        #expect(abs(b + 0.1 * 0.5) < 1e-7, "no decay on biases")
    }

    @Test func momentumAccumulatesVelocity() throws {
        var model = try Self.model(weight: 1, gradient: 1)
        var optimizer = Optimizer(.momentum, learningRate: 0.1, momentum: 0.9)
        optimizer.update(&model)
        optimizer.update(&model)  // same stored gradient: v = 1, then 1.9
        let (w, _) = try Self.parameters(model)
        #expect(abs(w - (1 - 0.1 * 1 - 0.1 * 1.9)) < 1e-6)
    }

    @Test func nesterovLooksAhead() throws {
        var model = try Self.model(weight: 1, gradient: 1)
        var optimizer = Optimizer(.nesterov, learningRate: 0.1, momentum: 0.9)
        optimizer.update(&model)  // v = 1, step = g + μv = 1.9
        let (w, _) = try Self.parameters(model)
        #expect(abs(w - (1 - 0.19)) < 1e-6)
    }

    @Test func adamFirstStepIsLearningRateSized() throws {
        var model = try Self.model(weight: 1, gradient: 0.003)
        var optimizer = Optimizer(.adam, learningRate: 0.01)
        optimizer.update(&model)
        // After bias correction m̂ = g, v̂ = g², so the step is lr · g/|g| (up to ε).
        let (w, b) = try Self.parameters(model)
        #expect(abs(w - 0.99) < 1e-6)
        #expect(abs(b + 0.01) < 1e-6)
        #expect(optimizer.stepCount == 1)
    }

    @Test func defaultLearningRates() {
        #expect(Optimizer(.adam).learningRate == 0.01)
        #expect(Optimizer(.sgd).learningRate == 0.1)
    }
}
