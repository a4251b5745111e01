import Foundation
import Testing
@testable import NNM

/// NNM's own e^x, log(1 + x), σ and binary cross-entropy (CNNMKernels/logistic_template.h,
/// spec/training.md §4): how close they are to binary64 references, what they do at the edges,
/// and that every kernel path gives the same bits.
@Suite("Logistic kernels")
struct LogisticKernelTests {
    /// Error of `got` in units in the last place of the float nearest `want`.
    static func ulps(_ got: Float, _ want: Double) -> Double {
        let nearest = Float(want)
        if got == nearest { return 0 }
        let ulp = nearest == 0 ? Double(Float.leastNonzeroMagnitude) : Double(nearest.magnitude.ulp)
        return abs(Double(got) - want) / ulp
    }

    static func evenlySpaced(_ count: Int, from low: Float, to high: Float) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    /// Small, mid-sized and unit-sized arguments: every binade from 2^-30 up, 512 values each.
    static let logArguments: [Float] = {
        var values: [Float] = [0, 1, 0.5, 0.49999997, 0.50000006]
        for exponent in -30...(-1) {
            for step in 0..<512 { values.append(Float(sign: .plus, exponent: exponent, significand: 1 + Float(step) / 512)) }
        }
        return values + evenlySpaced(20_000, from: 0, to: 1)
    }()

    static let paths: [KernelPath] = [.automatic, .avx2, .portable]

    static func onEveryPath<T: Equatable>(_ body: () -> T) -> [T] {
        paths.map { path in ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) { body() } }
    }

    @Test func expIsWithinOneUlpDownToTheSubnormals() {
        let x = Self.evenlySpaced(200_003, from: -87.3, to: 0) + [-1e-30, -0.0, 0]
        let y = Kernels.expNonPositive(x)
        let worst = zip(x, y).map { Self.ulps($1, exp(Double($0))) }.max() ?? .infinity
        #expect(worst <= 1.0, "worst error \(worst) ulp")
        #expect(Kernels.expNonPositive([0])[0] == 1)
    }

    @Test func expRoundsSubnormalResultsOnceAndReachesZeroBelowMinus104() {
        let x = Self.evenlySpaced(50_001, from: -103.9, to: -87.3)
        let y = Kernels.expNonPositive(x)
        let smallest = Double(Float.leastNonzeroMagnitude)
        let worst = zip(x, y).map { abs(Double($1) - exp(Double($0))) / smallest }.max() ?? .infinity
        #expect(worst <= 1.0, "worst error \(worst) of the smallest subnormal")
        #expect(Kernels.expNonPositive([-104.5, -1000, -.infinity]) == [0, 0, 0])
        #expect(Kernels.expNonPositive([.nan])[0].isNaN)
    }

    @Test func log1pIsWithinOneUlpOnTheUnitInterval() {
        let x = Self.logArguments
        let y = Kernels.log1pUnit(x)
        let worst = zip(x, y).map { Self.ulps($1, Foundation.log1p(Double($0))) }.max() ?? .infinity
        #expect(worst <= 1.0, "worst error \(worst) ulp")
        #expect(Kernels.log1pUnit([0]) == [0])
        #expect(Kernels.log1pUnit([.nan])[0].isNaN)
    }

    @Test func sigmoidLayerIsWithinThreeUlpsAndHandlesTheEdges() {
        let x = Self.evenlySpaced(100_001, from: -80, to: 80)
        var output = Matrix(rows: 0, columns: 0)
        Sigmoid().forward(Matrix(rows: x.count, columns: 1, storage: x), into: &output)
        let worst = zip(x, output.storage).map { Self.ulps($1, 1 / (1 + exp(-Double($0)))) }.max() ?? .infinity
        #expect(worst <= 3.0, "worst error \(worst) ulp")
        var edges = Matrix(rows: 0, columns: 0)
        Sigmoid().forward(Matrix(rows: 5, columns: 1, storage: [.nan, .infinity, -.infinity, 0, -0.0]), into: &edges)
        #expect(edges.storage[0].isNaN)
        #expect(Array(edges.storage[1...]) == [1, 0, 0.5, 0.5])
    }

    /// The fused loss's sum, gradient and probabilities over a batch, as bit patterns, every NaN
    /// as one: NaN payloads and signs are outside the kernels' same-bits promise (spec/training.md
    /// §4: which one survives when NaNs meet depends on the path and the optimisation level).
    static func lossBits(_ logits: [Float], _ labels: [Int]) -> [UInt64] {
        var gradient = [Float](repeating: 0, count: logits.count)
        var probability = [Float](repeating: 0, count: logits.count)
        let sum = Kernels.binaryCrossEntropy(
            rows: logits.count, logits: logits, labels: labels, inverseBatch: 1 / Float(logits.count),
            gradient: &gradient, probabilities: &probability)
        let float = { (value: Float) in value.isNaN ? UInt64.max : UInt64(value.bitPattern) }
        return [sum.isNaN ? .max : sum.bitPattern] + gradient.map(float) + probability.map(float)
    }

    @Test func everyPathGivesTheSameBits() {
        let logits = Self.evenlySpaced(4099, from: -120, to: 120) + [.nan, .infinity, -.infinity, -0.0]
        let exponents = logits.map { -abs($0) }
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        let exps = Self.onEveryPath { bits(Kernels.expNonPositive(exponents)) }
        let logs = Self.onEveryPath { bits(Kernels.log1pUnit(Self.logArguments)) }
        let sigmoids = Self.onEveryPath { () -> [UInt32] in
            var y = Matrix(rows: 0, columns: 0)
            Sigmoid().forward(Matrix(rows: logits.count, columns: 1, storage: logits), into: &y)
            return bits(y.storage)
        }
        let finite = Array(logits.prefix(4099))
        let labels = finite.indices.map { ($0 * 7) % 3 == 0 ? 1 : 0 }
        let losses = Self.onEveryPath { Self.lossBits(finite, labels) }
        // Labels that are neither 0 nor 1 (they add nothing), and NaN and ±∞ logits, inside whole
        // chunks of 32 samples (AVX2, AVX-512) as well as in single vectors (portable).
        let oddLabels = labels.indices.map { $0 % 37 == 5 ? 7 : $0 % 41 == 9 ? -1 : labels[$0] }
        let oddLosses = Self.onEveryPath { Self.lossBits(finite, oddLabels) }
        let edgy = Array(logits.suffix(4)) + logits + Array(logits.suffix(4))
        let edgyLabels = [1, 0, 1, 0] + oddLabels + [1, 0, 1, 0] + [0, 1, 0, 1]
        let edgyLosses = Self.onEveryPath { Self.lossBits(edgy, edgyLabels) }
        for results in [exps, logs, sigmoids] { #expect(results.allSatisfy { $0 == results[0] }) }
        #expect(losses.allSatisfy { $0 == losses[0] })
        #expect(oddLosses.allSatisfy { $0 == oddLosses[0] })
        #expect(oddLosses[0] != losses[0])
        #expect(edgyLosses.allSatisfy { $0 == edgyLosses[0] })
    }

    /// The fused loss against a binary64 reference, its probabilities against the Sigmoid
    /// layer (bit for bit), its gradient against (p − t)/B, and its summation order (spec §4).
    @Test func binaryCrossEntropyMatchesItsDefinition() {
        let rows = 1237
        let logits = (0..<rows).map { Float(($0 * 7919) % rows) / Float(rows) * 60 - 30 }
        let labels = (0..<rows).map { $0 % 3 == 0 ? 1 : 0 }
        var gradient = [Float](repeating: .nan, count: rows)
        var probability = [Float](repeating: .nan, count: rows)
        let inverse = 1 / Float(rows)
        let sum = Kernels.binaryCrossEntropy(rows: rows, logits: logits, labels: labels, inverseBatch: inverse,
                                             gradient: &gradient, probabilities: &probability)
        let reference = zip(logits, labels).reduce(0.0) { total, sample in
            let z = Double(sample.0), t = Double(sample.1)
            return total + max(z, 0) - z * t + Foundation.log1p(exp(-abs(z)))
        }
        #expect(abs(sum - reference) <= 1e-6 * reference, "sum \(sum), reference \(reference)")

        var sigmoid = Matrix(rows: 0, columns: 0)
        Sigmoid().forward(Matrix(rows: rows, columns: 1, storage: logits), into: &sigmoid)
        #expect(probability.map(\.bitPattern) == sigmoid.storage.map(\.bitPattern))
        for r in 0..<rows { #expect(gradient[r] == (probability[r] - Float(labels[r])) * inverse) }

        #expect(sum.bitPattern == Self.specSum(logits, labels).bitPattern)
    }

    /// spec §4's order for a batch's bce sum: per-sample float32 losses from the two building
    /// blocks; two halves of 16-row blocks ([0, 16·H), [16·H, B), H = ⌈⌈B/16⌉/2⌉), each with 16
    /// interleaved binary64 partials; the halves added lane by lane; then the pairwise tree.
    static func specSum(_ logits: [Float], _ labels: [Int]) -> Double {
        let e = Kernels.expNonPositive(logits.map { -abs($0) })
        let log1p = Kernels.log1pUnit(e)
        let blocks = (logits.count + 15) / 16
        let half = (blocks + 1) / 2 * 16
        var partials = [[Double]](repeating: [Double](repeating: 0, count: 16), count: 2)
        for r in logits.indices {
            let z = logits[r], t = Float(labels[r])
            let loss = (max(z, 0) - z * t) + log1p[r]
            partials[r < half ? 0 : 1][r % 16] += Double(loss)
        }
        var sums = (0..<16).map { partials[0][$0] + partials[1][$0] }
        var h = 8
        while h >= 1 {
            for j in 0..<h { sums[j] += sums[j + h] }
            h /= 2
        }
        return sums[0]
    }

    /// From 2048 rows the helper thread sums the second half: the same bits as one thread, and
    /// the spec's order, for odd sizes around the block edges. (Sums of float32 losses of
    /// similar size are exact in binary64 in any order; here the first half's losses are ~30
    /// and the second half's ~1e-13: one chain would drop each small loss, two halves keep their sum.)
    @Test func binaryCrossEntropyOnTwoThreadsHasTheSameBits() {
        for rows in [2048, 2049, 4099, 5000] {
            let logits = (0..<rows).map { r in
                r < rows / 2 ? 30 + Float((r * 7919) % 101) / 64 : -30 + Float(r % 7) / 8
            }
            let labels = [Int](repeating: 0, count: rows)
            let results = [1, 2].map { threads in
                ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) { () -> [UInt64] in
                    var gradient = [Float](repeating: .nan, count: rows)
                    var probability = [Float](repeating: .nan, count: rows)
                    let sum = Kernels.binaryCrossEntropy(rows: rows, logits: logits, labels: labels,
                                                         inverseBatch: 1 / Float(rows),
                                                         gradient: &gradient, probabilities: &probability)
                    return [sum.bitPattern] + gradient.map { UInt64($0.bitPattern) } + probability.map { UInt64($0.bitPattern) }
                }
            }
            #expect(results[0] == results[1], "\(rows) rows")
            #expect(results[1].first == Self.specSum(logits, labels).bitPattern, "\(rows) rows")
        }
    }

    @Test func binaryCrossEntropySeesNaNAndSkipsBadLabels() {
        var logits: [Float] = [0.5, -2, 3, 1]
        let clean = Kernels.binaryCrossEntropy(rows: 4, logits: logits, labels: [1, 0, 1, 0], inverseBatch: 0.25,
                                               gradient: nil, probabilities: nil)
        var gradient = [Float](repeating: 9, count: 4)
        let skipped = Kernels.binaryCrossEntropy(rows: 4, logits: logits, labels: [1, 0, 7, 0], inverseBatch: 0.25,
                                                 gradient: &gradient, probabilities: nil)
        #expect(skipped < clean)
        #expect(gradient[2] == 0)
        logits[1] = .nan
        let diverged = Kernels.binaryCrossEntropy(rows: 4, logits: logits, labels: [1, 0, 1, 0], inverseBatch: 0.25,
                                                  gradient: nil, probabilities: nil)
        #expect(diverged.isNaN)
    }

    // spec/training.md §4a, written out in scalar Swift from the spec's bit patterns alone, so a
    // drift between the spec and the kernels (a constant, an order of operations) fails here.
    static func f(_ bits: UInt32) -> Float { Float(bitPattern: bits) }

    static func specExp(_ input: Float) -> Float {
        var a = input
        if a < -104 { a = -104 }
        let t = a * f(0x3fb8_aa3b) + f(0x4b40_0000)
        let n = t - f(0x4b40_0000)
        let m = f(0x4b40_0000).bitPattern &- t.bitPattern
        var r = a.addingProduct(n, f(0xbf31_8000))
        r = r.addingProduct(n, f(0x395e_8083))
        var p = f(0x3950_0d01)
        for c: UInt32 in [0x3ab6_0b61, 0x3c08_8889, 0x3d2a_aaab, 0x3e2a_aaab, 0x3f00_0000, 0x3f80_0000, 0x3f80_0000] {
            p = f(c).addingProduct(p, r)
        }
        let m1 = m >> 1, m2 = m &- m1
        return (p * Float(bitPattern: (127 &- m1) << 23)) * Float(bitPattern: (127 &- m2) << 23)
    }

    static func specLog1p(_ e: Float) -> Float {
        let upper = e >= 0.5
        let x = upper ? (e - 1) * 0.5 : e
        let s = x / (2 + x)
        let w = s * s
        var q = f(0x3e92_4925).addingProduct(w, f(0x3e63_8e39))
        q = f(0x3ecc_cccd).addingProduct(q, w)
        q = f(0x3f2a_aaab).addingProduct(q, w)
        let v = x.addingProduct(-s, x - w * q)
        return upper ? v + f(0x3f31_7218) : v
    }

    @Test func kernelsFollowTheSpecToTheBit() {
        let exponents = Self.evenlySpaced(30_011, from: -110, to: 0)
        let exps = Kernels.expNonPositive(exponents)
        #expect(zip(exponents, exps).allSatisfy { Self.specExp($0).bitPattern == $1.bitPattern })
        let logs = Kernels.log1pUnit(Self.logArguments)
        #expect(zip(Self.logArguments, logs).allSatisfy { Self.specLog1p($0).bitPattern == $1.bitPattern })
        let logits = Self.evenlySpaced(5_003, from: -40, to: 40)
        var sigmoid = Matrix(rows: 0, columns: 0)
        Sigmoid().forward(Matrix(rows: logits.count, columns: 1, storage: logits), into: &sigmoid)
        let specSigmoid = logits.map { z -> Float in
            let e = Self.specExp(-abs(z))
            return (z >= 0 ? 1 : e) / (1 + e)
        }
        let mismatches = zip(sigmoid.storage, specSigmoid).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(mismatches == 0)
    }

    @Test func binaryAccuracyCountsRoundedOutputs() {
        for path in Self.paths {
            for rows in [1, 7, 17, 40] {
                let outputs: [Float] = (0..<rows).map { [0.5, 0.49999997, .nan, 0.9, 0.1][$0 % 5] }
                let labels = (0..<rows).map { $0 % 3 == 0 ? 1 : 0 }
                let expected = zip(outputs, labels).filter { ($0 >= 0.5 ? 1 : 0) == $1 }.count
                let counted = ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                    Kernels.binaryCorrect(rows: rows, outputs: outputs, labels: labels)
                }
                #expect(counted == expected, "\(path), \(rows) rows")
            }
        }
    }
}
