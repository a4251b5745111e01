import Foundation
@testable import NNMPlot

/// Deterministic pseudo-data for chart tests (no model needed).
struct DemoRandom {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    mutating func normal() -> Double {
        let u = max(1e-12, next()), v = next()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

enum DemoData {
    /// Two interleaved moons with noise, labels 0/1 (sklearn's shapes).
    static func moons(_ n: Int, seed: UInt64 = 7) -> [ScatterPoint] {
        var r = DemoRandom(state: seed)
        return (0..<n).map { i in
            let t = r.next() * .pi
            let outer = i % 2 == 0
            let x = outer ? cos(t) : 1 - cos(t), y = outer ? sin(t) : 1 - sin(t) - 0.5
            return ScatterPoint(x: x + 0.1 * r.normal(), y: y + 0.1 * r.normal(), label: outer ? 0 : 1, isTest: i % 5 == 0)
        }
    }

    /// A smooth "probability of class 1" shaped roughly like a moons boundary.
    static func moonsProbability(_ x: Double, _ y: Double) -> Float {
        let s = (y - 0.25) - 0.6 * cos(2.2 * (x - 0.5)) + 0.1
        return Float(1 / (1 + exp(6 * s)))
    }

    static func weights(rows: Int, cols: Int, seed: UInt64 = 3) -> [Float] {
        var r = DemoRandom(state: seed)
        return (0..<(rows * cols)).map { _ in Float(r.normal() * 0.08) }
    }
}
