@testable import NNMFormat

/// Deterministic sample models for tests and vectors (no randomness beyond a fixed LCG).
enum Fixtures {
    /// A tiny deterministic generator: values look like He-initialised weights.
    struct LCG {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Float(state >> 40) / Float(1 << 24)            // [0, 1)
            let v = Float((state >> 16) & 0xFFFFFF) / Float(1 << 24)
            return (u + v - 1) * 1.7                                // triangular in (-1.7, 1.7)
        }
    }

    static func values(_ count: Int, seed: UInt64, scale: Float = 0.5) -> [Float] {
        var g = LCG(state: seed)
        return (0..<count).map { _ in g.next() * scale }
    }

    /// Builds a model from layer records, with deterministic tensors for every owned role.
    static func model(_ layers: [LayerRecord], seed: UInt64 = 1) -> ModelFile {
        let tensors = ModelFile.expectedTensors(for: layers).enumerated().map { i, t in
            Tensor(name: t.name, shape: t.shape, values: values(t.shape.reduce(1, *), seed: seed &+ UInt64(i)))
        }
        return ModelFile(layers: layers, tensors: tensors)
    }

    /// Every v1 layer kind in one network: `inputs` → `hidden` (through each activation) → `classes`.
    static func everyKindLayers(inputs: Int, hidden: Int, classes: Int) -> [LayerRecord] {
        [
            LayerRecord(kind: .standardize, inputs: inputs, outputs: inputs),
            LayerRecord(kind: .linear, inputs: inputs, outputs: hidden),
            LayerRecord(kind: .relu, inputs: hidden, outputs: hidden),
            LayerRecord(kind: .leakyReLU(slope: 0.01), inputs: hidden, outputs: hidden),
            LayerRecord(kind: .sigmoid, inputs: hidden, outputs: hidden),
            LayerRecord(kind: .tanh, inputs: hidden, outputs: hidden),
            LayerRecord(kind: .identity, inputs: hidden, outputs: hidden),
            LayerRecord(kind: .linear, inputs: hidden, outputs: classes),
            LayerRecord(kind: .softmax, inputs: classes, outputs: classes),
        ]
    }

    /// `file` with every tensor value rounded to a multiple of `1 / steps`, so zlib pays even
    /// for small tensors.
    static func quantized(_ file: ModelFile, steps: Float) -> ModelFile {
        var m = file
        m.tensors = m.tensors.map { t in
            Tensor(name: t.name, shape: t.shape, values: ((try? t.values()) ?? []).map { ($0 * steps).rounded() / steps })
        }
        return m
    }

    /// 2 → 4 → 3 with every v1 layer kind present.
    static var everyKind: ModelFile {
        model(everyKindLayers(inputs: 2, hidden: 4, classes: 3))
    }

    /// The circles net of the seeds: 2-5-2-1 with tanh and sigmoid.
    static var small: ModelFile {
        model([
            LayerRecord(kind: .linear, inputs: 2, outputs: 5),
            LayerRecord(kind: .tanh, inputs: 5, outputs: 5),
            LayerRecord(kind: .linear, inputs: 5, outputs: 2),
            LayerRecord(kind: .tanh, inputs: 2, outputs: 2),
            LayerRecord(kind: .linear, inputs: 2, outputs: 1),
            LayerRecord(kind: .sigmoid, inputs: 1, outputs: 1),
        ])
    }

    static var history: TrainingHistory {
        TrainingHistory(series: [
            HistorySeries(name: "train_loss", values: [0.69, 0.5, 0.31, 0.2]),
            HistorySeries(name: "train_accuracy", values: [0.5, 0.7, 0.88, 0.95]),
            HistorySeries(name: "val_loss", values: [0.7, 0.52, 0.35, .nan]),
            HistorySeries(name: "val_accuracy", values: [0.48, 0.69, 0.86, 0.93]),
        ])
    }

    static var recipe: DatasetRecipe {
        DatasetRecipe(generator: "circles", parameters: ["samples": .int(500), "noise": .double(0.1), "factor": .double(0.5)],
                      seed: 42, validationFraction: 0.2, testFraction: 0.0)
    }

    static var metadata: [String: MetadataValue] {
        ["train.optimizer": .string("sgd"), "train.learning_rate": .double(0.1), "train.epochs": .int(4),
         "train.shuffle": .bool(true), "train.batch_sizes": .ints([32, 64]), "user.note": .string("héllo\u{1B}[31m"),
         "train.losses": .doubles([0.5, -0.0, .infinity])]
    }

    /// The small model with metadata, history and recipe.
    static var full: ModelFile {
        var m = small
        m.metadata = metadata
        m.history = history
        m.dataset = recipe
        return m
    }

    /// A model with a tensor larger than one block (1 MiB raw): 300 × 1000 weights = 1.2 MB.
    static var multiBlock: ModelFile {
        model([
            LayerRecord(kind: .linear, inputs: 1000, outputs: 300),
            LayerRecord(kind: .relu, inputs: 300, outputs: 300),
        ], seed: 7)
    }
}

/// Bit-exact equality of the decoded content of two models.
func sameContent(_ a: ModelFile, _ b: ModelFile) throws -> Bool {
    guard a.layers == b.layers, a.tensors.count == b.tensors.count, a.metadata == b.metadata,
          a.dataset == b.dataset, a.history?.series.map(\.name) == b.history?.series.map(\.name) else { return false }
    for (x, y) in zip(a.history?.series ?? [], b.history?.series ?? []) {
        guard x.values.map(\.bitPattern) == y.values.map(\.bitPattern) else { return false }
    }
    for (x, y) in zip(a.tensors, b.tensors) {
        guard x.name == y.name, x.shape == y.shape,
              try x.values().map(\.bitPattern) == y.values().map(\.bitPattern) else { return false }
    }
    return true
}
