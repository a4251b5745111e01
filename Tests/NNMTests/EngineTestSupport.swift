import Foundation
@testable import NNM

/// Helpers shared by the engine's tests (layers, losses, trainer, files).
enum EngineTestSupport {
    /// A `rows × columns` matrix of uniform values in [low, high), seeded.
    static func randomMatrix(rows: Int, columns: Int, low: Double = -1, high: Double = 1, seed: UInt64) -> Matrix {
        var random = SeededRandom(seed: seed, stream: 99)
        return Matrix(rows: rows, columns: columns,
                      storage: (0..<rows * columns).map { _ in Float(random.uniform(low, high)) })
    }

    /// Values whose magnitude is at least `gap`, so a finite difference never crosses a kink at 0.
    static func awayFromZero(_ m: Matrix, gap: Float = 0.1) -> Matrix {
        var copy = m
        for i in copy.storage.indices where abs(copy.storage[i]) < gap {
            copy.storage[i] = copy.storage[i] < 0 ? -gap - abs(copy.storage[i]) : gap + copy.storage[i]
        }
        return copy
    }

    /// Two interleaved noisy rings (a tiny circles-like problem), deterministic.
    static func rings(samples: Int, seed: UInt64) -> Dataset {
        var random = SeededRandom(seed: seed, stream: 98)
        var values: [Float] = []
        var labels: [Int] = []
        for i in 0..<samples {
            let label = i % 2
            let radius = label == 0 ? 1.0 : 0.5
            let angle = random.uniform(0, 2 * Double.pi)
            values.append(Float(radius * cosine(angle) + 0.03 * random.normal()))
            values.append(Float(radius * sine(angle) + 0.03 * random.normal()))
            labels.append(label)
        }
        return Dataset(features: Matrix(rows: samples, columns: 2, storage: values), labels: labels, classCount: 2)
    }

    /// Three separated blobs in 2-D (a multi-class problem), deterministic.
    static func threeBlobs(samples: Int, seed: UInt64) -> Dataset {
        var random = SeededRandom(seed: seed, stream: 97)
        let centers: [(Double, Double)] = [(-2, 0), (2, 0), (0, 2.5)]
        var values: [Float] = []
        var labels: [Int] = []
        for i in 0..<samples {
            let label = i % 3
            values.append(Float(centers[label].0 + 0.4 * random.normal()))
            values.append(Float(centers[label].1 + 0.4 * random.normal()))
            labels.append(label)
        }
        return Dataset(features: Matrix(rows: samples, columns: 2, storage: values), labels: labels, classCount: 3)
    }

    static func cosine(_ x: Double) -> Double { cos(x) }
    static func sine(_ x: Double) -> Double { sin(x) }
}
