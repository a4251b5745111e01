import Testing
@testable import NNM

/// The step strategy is chosen once from the network's shape; early stopping keeps the best.
@Suite struct TrainingStepTests {
    static func path(hidden: [Int], classCount: Int, usesFusedKernels: Bool = true) throws -> TrainingStep.Path {
        let model = try Architecture.classifier(inputCount: 2, hidden: hidden, classCount: classCount)
        let plan = try Loss.defaultLoss(for: model).plan(for: model, classCount: classCount)
        return TrainingStep(model: model, plan: plan, usesFusedKernels: usesFusedKernels).path
    }

    @Test func pathFollowsTheNetworksShape() throws {
        #expect(try Self.path(hidden: [16, 16], classCount: 2) == .narrowWithFusedLoss)
        #expect(try Self.path(hidden: [8], classCount: 3) == .narrow)
        #expect(try Self.path(hidden: [40], classCount: 2) == .layerByLayer)
        #expect(try Self.path(hidden: [16, 16], classCount: 2, usesFusedKernels: false) == .layerByLayer)
    }

    @Test func earlyStoppingKeepsTheBestAndStopsAfterPatience() throws {
        let model = try Architecture.classifier(inputCount: 2, hidden: [2], classCount: 2)
        var stopping = EarlyStopping(patience: 2)
        let stop1 = stopping.shouldStop(after: 1, loss: 0.5, model: model)
        #expect(!stop1)
        let stop2 = stopping.shouldStop(after: 2, loss: 0.4, model: model)
        #expect(!stop2)
        let stop3 = stopping.shouldStop(after: 3, loss: 0.4, model: model)  // equal is no improvement
        #expect(!stop3)
        let stop4 = stopping.shouldStop(after: 4, loss: 0.6, model: model)
        #expect(stop4)
        #expect(stopping.best?.epoch == 2)
        #expect(stopping.best?.loss == 0.4)
    }

    @Test func loadedWeightsAreTheOnesToBeat() throws {
        let model = try Architecture.classifier(inputCount: 2, hidden: [2], classCount: 2)
        var resumed = EarlyStopping(patience: 1, loaded: .init(loss: 0.3, model: model, epoch: 7))
        let stop5 = resumed.shouldStop(after: 9, loss: 0.35, model: model)
        #expect(stop5)
        #expect(resumed.best?.epoch == 7)
        // A loaded loss that is not finite is no bar: the first epoch is kept.
        var fresh = EarlyStopping(patience: 1, loaded: .init(loss: .nan, model: model, epoch: 7))
        #expect(fresh.best == nil)
        let stop6 = fresh.shouldStop(after: 8, loss: 2, model: model)
        #expect(!stop6)
        #expect(fresh.best?.epoch == 8)
    }

    @Test func backPropagationEndsAtTheLowestTrainableLayer() throws {
        #expect(try Architecture.network(spec: "standardize,linear:8,relu,linear:3", inputCount: 5).lowestTrainableLayer == 1)
        #expect(try Architecture.network(spec: "linear:8,relu,linear:3", inputCount: 5).lowestTrainableLayer == 0)
        #expect(try Sequential([Standardize(featureCount: 4), ReLU()]).lowestTrainableLayer == 2)
    }

    /// Behind a Standardize layer the first Linear layer's input gradient is not computed; every
    /// parameter gradient is the one a full backward pass gives.
    @Test func aStandardizeLayerInFrontCostsNoInputGradient() throws {
        var model = try Architecture.network(spec: "standardize,linear:8,relu,linear:3", inputCount: 5)
        model.initializeParameters(seed: 2)
        let features = EngineTestSupport.randomMatrix(rows: 12, columns: 5, seed: 2)
        model.fitStandardization(on: features)
        let plan = try Loss.crossEntropy.plan(for: model, classCount: 3)
        var gradients: [[[Float]]] = []
        var inputGradientRows: [Int] = []
        for bottom in [0, model.lowestTrainableLayer] {
            var trained = model
            var workspace = Workspace(layerCount: model.layers.count)
            workspace.activations[0] = features
            workspace.labels = (0..<12).map { $0 % 3 }
            trained.forward(&workspace)
            _ = TrainingStep.loss(plan, &workspace, lossIndex: 4, top: 4, writesOutput: false)
            trained.backward(&workspace, from: 4, downTo: bottom)
            var layerGradients: [[Float]] = []
            for index in [1, 3] {
                var layer = try #require(trained.layers[index] as? Linear)
                for role in [ParameterRole.weight, .bias] {
                    var gradient = [Float](repeating: .nan, count: role == .weight ? layer.weight.storage.count : layer.bias.count)
                    layer.swapGradient(&gradient, role: role)
                    layerGradients.append(gradient)
                }
            }
            gradients.append(layerGradients)
            inputGradientRows.append(workspace.gradients[1].rows)
        }
        #expect(gradients[0].map { $0.map(\.bitPattern) } == gradients[1].map { $0.map(\.bitPattern) })
        #expect(gradients[1].allSatisfy { !$0.isEmpty && !$0.contains(where: \.isNaN) })
        #expect(inputGradientRows == [12, 0], "the first Linear layer's input gradient, then none")
    }
}
