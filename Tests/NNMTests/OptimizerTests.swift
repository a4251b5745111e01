import Foundation
import Testing
@testable import NNM

/// One-parameter networks whose gradient is known, stepped by each optimizer.
@Suite struct OptimizerTests {
    /// A 1→1 linear layer with weight `w`, bias 0, and gradients set by a backward pass of
    /// input 1, output gradient `g` (so ∂W = g, ∂b = g).
    static func model(weight: Float, gradient: Float) throws -> Sequential {
        var model = try Sequential([Linear(weight: Matrix([[weight]]), bias: [0])])
        var workspace = Workspace(layerCount: 1)
        workspace.activations[0] = try Matrix([[1]])
        model.forward(&workspace)
        workspace.gradients[1] = try Matrix([[gradient]])
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

    /// The spec's formulas (spec/training.md §5) for one element, scalar Swift (which never
    /// contracts a·b + c into an FMA): the reference the vectorised kernels must match bit for bit.
    static func referenceStep(_ kind: OptimizerKind, w: inout Float, g: Float, m: inout Float, v: inout Float,
                              lr: Float, decay: Float, mu: Float, t: Int) {
        let step = g + decay * w
        switch kind {
        case .sgd:
            w = w - lr * step
        case .momentum:
            m = mu * m + step
            w = w - lr * m
        case .nesterov:
            m = mu * m + step
            w = w - lr * (step + mu * m)
        case .adam:
            let correction1 = Float(1 - pow(Double(Float(0.9)), Double(t)))
            let correction2 = Float(1 - pow(Double(Float(0.999)), Double(t)))
            m = 0.9 * m + (1 - 0.9) * step
            v = 0.999 * v + (1 - 0.999) * step * step
            w = w - lr * (m / correction1) / ((v / correction2).squareRoot() + 1e-8)
        }
    }

    @Test(arguments: OptimizerKind.allCases)
    func vectorisedStepsMatchTheSpecBitForBit(kind: OptimizerKind) throws {
        var random = SeededRandom(seed: 7, stream: .shuffle)
        let (rows, columns) = (37, 29)   // 1073 weights: vector bodies and a remainder
        let weights = (0..<(rows * columns)).map { _ in Float(random.uniform() * 2 - 1) }
        let gradients = (0..<3).map { _ in (0..<(rows * columns)).map { _ in Float(random.uniform() - 0.5) } }
        let biasGradients = (0..<3).map { _ in (0..<rows).map { _ in Float(random.uniform() - 0.5) } }
        let (lr, decay, mu): (Float, Float, Float) = (0.05, 0.01, 0.9)

        var expectedW = weights, expectedB = [Float](repeating: 0.25, count: rows)
        var mw = [Float](repeating: 0, count: weights.count), vw = mw
        var mb = [Float](repeating: 0, count: rows), vb = mb
        for t in 1...3 {
            for i in expectedW.indices {
                Self.referenceStep(kind, w: &expectedW[i], g: gradients[t - 1][i], m: &mw[i], v: &vw[i],
                                   lr: lr, decay: decay, mu: mu, t: t)
            }
            for i in expectedB.indices {
                Self.referenceStep(kind, w: &expectedB[i], g: biasGradients[t - 1][i], m: &mb[i], v: &vb[i],
                                   lr: lr, decay: 0, mu: mu, t: t)
            }
        }
        for path in LogisticKernelTests.paths {
            var layer = try Linear(weight: Matrix(rows: rows, columns: columns, storage: weights),
                                   bias: [Float](repeating: 0.25, count: rows))
            var optimizer = Optimizer(kind, learningRate: lr, momentum: mu, weightDecay: decay)
            for t in 0..<3 {
                var g = gradients[t], b = biasGradients[t]
                layer.swapGradient(&g, role: .weight)
                layer.swapGradient(&b, role: .bias)
                var model = try Sequential([layer])
                ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                    optimizer.update(&model)
                }
                layer = try #require(model.layers[0] as? Linear)
            }
            let differentWeights = zip(layer.weight.storage, expectedW).filter { $0.bitPattern != $1.bitPattern }.count
            let differentBiases = zip(layer.bias, expectedB).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differentWeights == 0 && differentBiases == 0, "\(kind) on \(path)")
        }
    }

    /// A large parameter array is stepped in two pieces, one on the helper thread: the values
    /// are those of one thread, for every rule.
    @Test(arguments: OptimizerKind.allCases)
    func aSharedStepKeepsTheBits(kind: OptimizerKind) throws {
        var random = SeededRandom(seed: 8, stream: .shuffle)
        let (rows, columns) = (301, 131)   // 39,431 weights: above the threshold, not whole vectors
        #expect(rows * columns >= Optimizer.twoWayParameterCount)
        let weights = (0..<(rows * columns)).map { _ in Float(random.uniform() * 2 - 1) }
        let gradients = (0..<3).map { _ in (0..<(rows * columns)).map { _ in Float(random.uniform() - 0.5) } }
        var results: [[UInt32]] = []
        for threads in [1, 2] {
            var model = try Sequential([Linear(weight: Matrix(rows: rows, columns: columns, storage: weights),
                                               bias: [Float](repeating: 0.25, count: rows))])
            var optimizer = Optimizer(kind, learningRate: 0.05, momentum: 0.9, weightDecay: 0.01)
            for step in 0..<3 {
                var layer = try #require(model.layers[0] as? Linear)
                var g = gradients[step]
                layer.swapGradient(&g, role: .weight)
                model = try Sequential([layer])
                ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) { optimizer.update(&model) }
            }
            results.append(try #require(model.layers[0] as? Linear).weight.storage.map(\.bitPattern))
        }
        #expect(results[0] == results[1], "\(kind)")
    }

    @Test func sharedPiecesCoverEveryValueOnce() {
        let two = ComputeOptions(threads: 2)
        #expect(Optimizer.pieces(parameterCount: Optimizer.twoWayParameterCount - 1, options: two) == 1)
        #expect(Optimizer.pieces(parameterCount: 78_400, options: ComputeOptions(threads: 1)) == 1)
        #expect(Optimizer.pieces(parameterCount: 78_400, options: two) == 2)
        for count in [39_431, 78_400, 200_704] {
            let first = Optimizer.range(of: 0, in: 2, parameterCount: count)
            let second = Optimizer.range(of: 1, in: 2, parameterCount: count)
            #expect(first.lowerBound == 0 && first.upperBound == second.lowerBound && second.upperBound == count)
            #expect(first.count % 64 == 0 && abs(first.count - second.count) <= 64, "\(count)")
        }
        #expect(Optimizer.range(of: 0, in: 1, parameterCount: 100) == 0 ..< 100)
    }
}
