import Testing
@testable import NNM

/// Small, fast training runs (debug builds): convergence, determinism, early stopping,
/// divergence and the errors a mismatched network or dataset gives.
@Suite struct TrainerTests {
    static func ringsModel(seed: UInt64 = 1) throws -> Sequential {
        var model = try Architecture.classifier(inputCount: 2, hidden: [8, 8], classCount: 2)
        model.initializeParameters(seed: seed)
        return model
    }

    @Test func learnsTwoRings() throws {
        let data = try Dataset.circles(samples: 300, noise: 0.03, factor: 0.5, seed: 3)
        var model = try Self.ringsModel()
        let result = try Trainer(TrainingConfiguration(epochs: 40, batchSize: 16, seed: 1)).fit(&model, on: data)
        #expect(result.lossPlan == LossPlan(loss: .binaryCrossEntropy, fusesLastLayer: true))
        let accuracy = try Trainer.evaluate(model, on: data, plan: result.lossPlan).accuracy
        #expect(accuracy >= 0.97, "accuracy \(accuracy)")
        let losses = try #require(result.history["train_loss"])
        #expect(losses.count == 40)
        #expect(losses[39] < losses[0] / 3)
        #expect(result.history["val_loss"]?.allSatisfy(\.isNaN) == true, "no validation → NaN")
    }

    /// Full-batch training visits the samples in their stored order and draws nothing from the
    /// shuffle generator (spec/training.md §3): the shuffle seed cannot change its result, while
    /// with mini-batches it must.
    @Test func fullBatchTrainingIgnoresTheShuffleSeed() throws {
        let data = try Dataset.circles(samples: 200, noise: 0.05, factor: 0.5, seed: 4)
        func weights(batchSize: Int, seed: UInt64) throws -> [UInt32] {
            var model = try Self.ringsModel()
            _ = try Trainer(TrainingConfiguration(epochs: 6, batchSize: batchSize, seed: seed)).fit(&model, on: data)
            return model.layers.flatMap(\.parameters).flatMap(\.values).map(\.bitPattern)
        }
        #expect(try weights(batchSize: 200, seed: 1) == weights(batchSize: 200, seed: 2))
        #expect(try weights(batchSize: 5000, seed: 1) == weights(batchSize: 200, seed: 3))
        #expect(try weights(batchSize: 50, seed: 1) != weights(batchSize: 50, seed: 2))
    }

    @Test(arguments: [OptimizerKind.sgd, .momentum, .nesterov, .adam])
    func everyOptimizerLearnsBlobs(optimizer: OptimizerKind) throws {
        let data = EngineTestSupport.threeBlobs(samples: 150, seed: 2)
        var model = try Architecture.classifier(inputCount: 2, hidden: [8], activation: .tanh, classCount: 3)
        model.initializeParameters(seed: 2)
        let configuration = TrainingConfiguration(epochs: 15, batchSize: 10, optimizer: optimizer, seed: 2)
        let result = try Trainer(configuration).fit(&model, on: data)
        #expect(result.lossPlan.loss == .crossEntropy)
        let accuracy = try Trainer.evaluate(model, on: data, plan: result.lossPlan).accuracy
        #expect(accuracy >= 0.95, "\(optimizer): accuracy \(accuracy)")
    }

    @Test func sameSeedSameWeightsAndHistory() throws {
        let data = try Dataset.moons(samples: 120, noise: 0.1, seed: 5)
        let split = try data.split(validationFraction: 0.25, testFraction: 0, seed: 5)
        let configuration = TrainingConfiguration(epochs: 5, batchSize: 8, weightDecay: 1e-4, seed: 9)
        var first = try Self.ringsModel(seed: 4)
        var second = try Self.ringsModel(seed: 4)
        let a = try Trainer(configuration).fit(&first, on: split.train, validation: split.validation)
        let b = try Trainer(configuration).fit(&second, on: split.train, validation: split.validation)
        #expect(first.layers.flatMap(\.parameters) == second.layers.flatMap(\.parameters))
        #expect(a.history == b.history)
        var third = try Self.ringsModel(seed: 4)
        var other = configuration
        other.seed = 10
        _ = try Trainer(other).fit(&third, on: split.train, validation: split.validation)
        #expect(third.layers.flatMap(\.parameters) != first.layers.flatMap(\.parameters),
                "another shuffle seed visits batches in another order")
    }

    @Test func earlyStoppingRestoresTheBestWeights() throws {
        // Validation labels that disagree with the training labels: validation loss soon rises.
        let train = try Dataset.circles(samples: 100, noise: 0.05, factor: 0.5, seed: 6)
        var validation = try Dataset.circles(samples: 60, noise: 0.05, factor: 0.5, seed: 7)
        validation.labels = validation.labels.map { 1 - $0 }
        var model = try Self.ringsModel()
        let configuration = TrainingConfiguration(epochs: 50, batchSize: 10, seed: 1, patience: 2)
        let result = try Trainer(configuration).fit(&model, on: train, validation: validation)
        #expect(result.stoppedEarly)
        #expect(result.epochsRun < 50)
        let best = try #require(result.bestEpoch)
        let losses = try #require(result.history["val_loss"])
        #expect(losses.count == result.epochsRun)
        #expect(losses[best - 1] == losses.min())
        #expect(result.epochsRun == best + 2)
        let restored = try Trainer.evaluate(model, on: validation, plan: result.lossPlan).loss
        #expect(Float(restored) == losses[best - 1])
    }

    @Test func divergenceStopsWithAClearError() throws {
        let data = try Dataset.circles(samples: 64, noise: 0.05, factor: 0.5, seed: 8)
        var model = try Architecture.network(spec: "linear:8,relu,linear:1", inputCount: 2)
        model.initializeParameters(seed: 1)
        let configuration = TrainingConfiguration(epochs: 50, batchSize: 8, loss: .meanSquaredError,
                                                  optimizer: .sgd, learningRate: 1e4, seed: 1)
        do {
            _ = try Trainer(configuration).fit(&model, on: data)
            Issue.record("training with lr 1e4 should diverge")
        } catch let error as TrainingError {
            guard case .diverged = error else { Issue.record("unexpected \(error)"); return }
            #expect("\(error)".contains("smaller learning rate"))
            // A tenth of 1e4 is still absurd: the message suggests SGD's default instead.
            #expect("\(error)".contains("than 1e+04, e.g. 0.1"), "\(error)")
        }
    }

    @Test func standardizeIsFittedOnTheTrainingData() throws {
        var features = try Dataset.circles(samples: 200, noise: 0.05, factor: 0.5, seed: 9)
        for row in 0..<features.sampleCount {
            features.features[row, 0] = features.features[row, 0] * 100 + 500
        }
        var model = try Architecture.classifier(inputCount: 2, hidden: [8], classCount: 2, standardizes: true)
        model.initializeParameters(seed: 1)
        _ = try Trainer(TrainingConfiguration(epochs: 1, seed: 1)).fit(&model, on: features)
        let standardize = try #require(model.layers[0] as? Standardize)
        #expect(standardize.isFitted)
        #expect(abs(standardize.mean[0] - 500) < 10)
        #expect(standardize.scale[0] < 0.05)
    }

    @Test func mismatchedDataIsRefused() throws {
        var model = try Self.ringsModel()
        let threeFeatures = Dataset(features: Matrix(rows: 4, columns: 3), labels: [0, 1, 0, 1], classCount: 2)
        #expect(throws: ModelError.inputWidthMismatch(expected: 2, found: 3)) {
            try Trainer().fit(&model, on: threeFeatures)
        }
        let threeClasses = Dataset(features: Matrix(rows: 3, columns: 2), labels: [0, 1, 2], classCount: 3)
        #expect(throws: LossError.outputWidthMismatch(loss: .binaryCrossEntropy, outputs: 1, classes: 3)) {
            try Trainer().fit(&model, on: threeClasses)
        }
        let badLabel = Dataset(features: Matrix(rows: 2, columns: 2), labels: [0, 1], classCount: 2)
        var broken = badLabel
        broken.labels[1] = 5
        #expect(throws: LossError.labelOutOfRange(sample: 1, label: 5, classCount: 2)) {
            try Trainer().fit(&model, on: broken)
        }
        #expect(throws: TrainingError.self) {
            try Trainer(TrainingConfiguration(batchSize: 0)).fit(&model, on: badLabel)
        }
    }

    @Test func resumingContinuesTheHistory() throws {
        let data = try Dataset.xor(samples: 80, noise: 0.05, seed: 3)
        var model = try Self.ringsModel()
        let trainer = Trainer(TrainingConfiguration(epochs: 3, batchSize: 16, seed: 1))
        let first = try trainer.fit(&model, on: data)
        let second = try trainer.fit(&model, on: data, continuing: first.history)
        #expect(second.history.epochCount == 6)
        #expect(Array(second.history["train_loss"]?.prefix(3) ?? []) == first.history["train_loss"])
    }

    @Test func resumingWithPatienceNeverKeepsWorseWeights() throws {
        // Validation labels that disagree with the training labels: after the first run's best
        // epoch, further training only makes validation worse, so the resumed run must keep
        // the loaded weights and name the first run's epoch.
        let train = try Dataset.circles(samples: 100, noise: 0.05, factor: 0.5, seed: 6)
        var validation = try Dataset.circles(samples: 60, noise: 0.05, factor: 0.5, seed: 7)
        validation.labels = validation.labels.map { 1 - $0 }
        var model = try Self.ringsModel()
        let trainer = Trainer(TrainingConfiguration(epochs: 50, batchSize: 10, seed: 1, patience: 2))
        let first = try trainer.fit(&model, on: train, validation: validation)
        let kept = try #require(first.bestEpoch)
        let loaded = try Trainer.evaluate(model, on: validation, plan: first.lossPlan).loss
        let second = try trainer.fit(
            &model, on: train, validation: validation, continuing: first.history, keptEpoch: kept)
        let after = try Trainer.evaluate(model, on: validation, plan: second.lossPlan).loss
        #expect(after <= loaded, "resumed run kept val loss \(after), loaded \(loaded)")
        #expect(second.bestEpoch == kept)
        #expect(second.stoppedEarly)
        #expect(second.history.epochCount == first.history.epochCount + 2)
        let losses = try #require(second.history["val_loss"])
        #expect(losses[kept - 1] == losses.min())
    }

    @Test func progressReportsEveryBatchAndEpoch() throws {
        let data = try Dataset.moons(samples: 50, noise: 0.1, seed: 1)
        var model = try Self.ringsModel()
        final class Log: @unchecked Sendable { var reports: [TrainingProgress] = [] }
        let log = Log()
        _ = try Trainer(TrainingConfiguration(epochs: 2, batchSize: 20, seed: 1)).fit(&model, on: data) {
            log.reports.append($0)
        }
        #expect(log.reports.count == 2 * 3 + 2)
        #expect(log.reports.filter(\.isEpochEnd).map(\.epoch) == [1, 2])
        #expect(log.reports.last?.remainingSeconds == 0)
    }
}

/// Narrow networks always train through the fused narrow kernels (chosen by the network's shape
/// alone), whose batch sums use the 16-partial split (spec/training.md §1): the same bits on
/// every kernel path and thread count. The layer-by-layer path sums the batch in one chain, so
/// it lands near, not on, the same weights.
@Suite struct NarrowPathTests {
    @Test(arguments: [
        ("linear:16,relu,linear:16,relu,linear:1,sigmoid", Loss.binaryCrossEntropy),
        ("linear:5,relu,linear:2,relu,linear:1,sigmoid", Loss.binaryCrossEntropy),
        ("linear:8,relu,linear:1", Loss.meanSquaredError),
        ("linear:8,relu,linear:2,softmax", Loss.crossEntropy),
    ])
    func fusedKernelsGiveTheSameBitsOnEveryPath(spec: String, loss: Loss) throws {
        let data = try Dataset.circles(samples: 90, noise: 0.05, factor: 0.5, seed: 4)
        var configuration = TrainingConfiguration(epochs: 3, batchSize: 40, loss: loss, seed: 2, schedule: .cosine)
        var initial = try Architecture.network(spec: spec, inputCount: 2)
        initial.initializeParameters(seed: 3)
        #expect(NarrowTraining(model: initial, lossIndex: initial.layers.count - (loss == .binaryCrossEntropy || loss == .crossEntropy ? 1 : 0)) != nil)
        var runs: [(parameters: [[Float]], history: [[UInt32]])] = []
        for (path, threads) in [(KernelPath.automatic, 1), (.automatic, 2), (.avx2, 1), (.portable, 1)] {
            var model = initial
            let result = try ComputeOptions.$current.withValue(ComputeOptions(threads: threads, kernelPath: path)) {
                try Trainer(configuration).fit(&model, on: data)
            }
            // Bit patterns: the NaN of an absent validation series is not equal to itself.
            runs.append((model.layers.flatMap(\.parameters).map(\.values), result.history.series.map { $0.values.map(\.bitPattern) }))
        }
        for run in runs.dropFirst() {
            #expect(run.parameters.map { $0.map(\.bitPattern) } == runs[0].parameters.map { $0.map(\.bitPattern) })
            #expect(run.history == runs[0].history)
        }
        // The layer path: a different (single-chain) batch sum, so close but not the same bits.
        configuration.usesFusedKernels = false
        var plain = initial
        _ = try Trainer(configuration).fit(&plain, on: data)
        let fused = runs[0].parameters.flatMap { $0 }
        let layered = plain.layers.flatMap(\.parameters).flatMap(\.values)
        #expect(fused.count == layered.count)
        for (a, b) in zip(fused, layered) { #expect(abs(a - b) <= 1e-4 * max(1, abs(a))) }
    }

    @Test func otherShapesUseTheLayerPath() throws {
        let tanh = try Architecture.network(spec: "linear:8,tanh,linear:1,sigmoid", inputCount: 2)
        #expect(NarrowTraining(model: tanh, lossIndex: 3) == nil)
        let wide = try Architecture.network(spec: "linear:64,relu,linear:1,sigmoid", inputCount: 2)
        #expect(NarrowTraining(model: wide, lossIndex: 3) == nil)
        let standardized = try Architecture.network(spec: "standardize,linear:8,relu,linear:1,sigmoid", inputCount: 2)
        #expect(NarrowTraining(model: standardized, lossIndex: 4) == nil)
    }
}
