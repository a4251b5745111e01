import NNM

/// W1/W2 through the engine itself: `Architecture.classifier` + `Trainer.fit`, exactly what
/// `nnm-train` runs (full batch, plain SGD, BCE on a sigmoid head).
func benchEngineCircles(name: String, hidden: [Int], epochs: Int, learningRate: Float) throws {
    let data = try Dataset.circles(samples: 5000, noise: 0.04, factor: 0.8, seed: 1)
    let test = try Dataset.circles(samples: 1000, noise: 0.04, factor: 0.8, seed: 2)
    let trainer = Trainer(TrainingConfiguration(
        epochs: epochs, batchSize: 5000, optimizer: .sgd, learningRate: learningRate, seed: 4))
    let (seconds, model) = try fastestOf(trainingRuns) { () -> (seconds: Double, result: Sequential) in
        var model = try Architecture.classifier(inputCount: 2, hidden: hidden, classCount: 2)
        model.initializeParameters(seed: 3)
        let t0 = now()
        _ = try trainer.fit(&model, on: data)
        return (now() - t0, model)
    }
    let predicted = try model.predictClasses(test.features)
    let accuracy = Double(zip(predicted, test.labels).filter { $0 == $1 }.count) / Double(test.sampleCount)
    report(name, seconds: seconds, throughput: Double(epochs) / seconds, unit: "epochs/s",
           note: "test acc \(format3(accuracy)); the engine's Trainer.fit (Sequential, per-layer Ops)\(repeatedNote)")
}

/// W3 through the engine: 784-100-200-10 softmax classifier, batch 32, SGD 0.1, one epoch.
func benchEngineMNISTShaped(name: String, samples: Int) throws {
    let data = mnistShapedData(samples: samples)
    let (seconds, _) = try fastestOf(trainingRuns) { () -> (seconds: Double, result: Void) in
        var (model, trainer) = try mnistShapedTraining()
        let t0 = now()
        _ = try trainer.fit(&model, on: data)
        return (now() - t0, ())
    }
    report(name, seconds: seconds, throughput: Double(samples) / seconds, unit: "samples/s",
           note: "the engine's Trainer.fit (shuffled batches gathered per step, per-layer Ops)\(repeatedNote)")
}

/// W3's data: `samples` MNIST-shaped rows (784 uniform features in [0, 1), 10 classes).
func mnistShapedData(samples: Int) -> Dataset {
    var noise = InputNoise(seed: 11)
    let features = Matrix(rows: samples, columns: 784, storage: noise.matrix(samples, 784, 0, 1))
    let labels = (0..<samples).map { _ in Int(noise.next(0, 10)) % 10 }
    return Dataset(features: features, labels: labels, classCount: 10)
}

/// W3's network (784-100-200-10 softmax) and trainer (one epoch, batch 32, SGD 0.1).
func mnistShapedTraining() throws -> (Sequential, Trainer) {
    var model = try Architecture.classifier(inputCount: 784, hidden: [100, 200], classCount: 10)
    model.initializeParameters(seed: 5)
    let trainer = Trainer(TrainingConfiguration(
        epochs: 1, batchSize: 32, optimizer: .sgd, learningRate: 0.1, seed: 6))
    return (model, trainer)
}
