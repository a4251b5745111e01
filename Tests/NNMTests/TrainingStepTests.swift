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
}
