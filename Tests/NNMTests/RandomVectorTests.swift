import Testing
@testable import NNM

/// The test vectors of `spec/random.md` §5. The Python reference prints the same lines
/// (`DataReferenceTests`), so spec, Swift and reference all agree.
@Suite struct RandomVectorTests {
    static let nextVectors: [(seed: UInt64, stream: UInt64, outputs: [UInt64])] = [
        (0, 0, [0x54e6_1aaa_7ae3_1d17, 0xb786_ead9_365c_25b8, 0xd3b7_5527_58f6_50aa, 0x8d13_05dc_c8ed_739b]),
        (42, 1, [0xa39d_0aaa_c35a_982b, 0x0d57_b948_290f_26ce, 0x886a_5938_d801_69b8, 0xbe77_55e0_d7bb_d65d]),
        (42, 2, [0x28ff_1c55_8083_817a, 0x906a_1d30_c6e1_bc85, 0xda8f_a2de_22e2_a4ea, 0xec23_2378_f39b_d960]),
        (.max, 4, [0xe10d_9fb4_9941_30ee, 0xca78_8b3b_71c8_7d2d, 0x85eb_bc2f_fdef_34d7, 0x8a49_cd83_53c7_92bc]),
    ]

    @Test func firstOutputsMatchTheSpec() {
        for vector in Self.nextVectors {
            var random = SeededRandom(seed: vector.seed, stream: vector.stream)
            let outputs = (0..<4).map { _ in random.next() }
            #expect(outputs == vector.outputs, "seed \(vector.seed) stream \(vector.stream)")
        }
    }

    @Test func publishedAlgorithmAnchors() {
        #expect(SeededRandom.mix64(0x9E37_79B9_7F4A_7C15) == 0xE220_A839_7B1D_CDAF)
        var random = SeededRandom(rawState: 1, 2, 3, 4)
        #expect((0..<4).map { _ in random.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func namedStreamsAreTheirNumbers() {
        var byName = SeededRandom(seed: 42, stream: .dataset)
        var byNumber = SeededRandom(seed: 42, stream: 1)
        #expect(byName.next() == byNumber.next())
        #expect(SeededRandom.Stream.split.rawValue == 2)
        #expect(SeededRandom.Stream.initialization.rawValue == 3)
        #expect(SeededRandom.Stream.shuffle.rawValue == 4)
    }

    @Test func derivedDrawsMatchTheSpec() {
        var random = SeededRandom(seed: 42, stream: 1)
        #expect((0..<3).map { _ in random.uniform() }
            == [0x1.473a155586b53p-1, 0x1.aaf7290521e40p-5, 0x1.10d4b271b002dp-1])
        random = SeededRandom(seed: 42, stream: 1)
        #expect((0..<3).map { _ in random.normal() }
            == [0x1.5a12bc368ab39p+0, -0x1.7c6acc145c6edp-5, 0x1.5e0043e0e1a47p-1])
        random = SeededRandom(seed: 42, stream: 1)
        #expect((0..<8).map { _ in random.integer(below: 10) } == [6, 0, 5, 7, 4, 8, 6, 8])
        random = SeededRandom(seed: 42, stream: 1)
        var values = Array(0..<10)
        random.shuffle(&values)
        #expect(values == [1, 8, 3, 9, 7, 2, 5, 4, 0, 6])
    }

    @Test func uniformStaysInItsRangeAndNormalHasUnitVariance() {
        var random = SeededRandom(seed: 7, stream: 9)
        var sum = 0.0, sumSquares = 0.0
        let count = 20_000
        for _ in 0..<count {
            let u = random.uniform()
            #expect(u >= 0 && u < 1)
            let z = random.normal()
            sum += z
            sumSquares += z * z
        }
        let mean = sum / Double(count)
        let variance = sumSquares / Double(count) - mean * mean
        #expect(abs(mean) < 0.05)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func integerBelowIsUnbiasedAndInRange() {
        var random = SeededRandom(seed: 3)
        var histogram = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 {
            let value = Int(random.integer(below: 6))
            histogram[value] += 1
        }
        #expect(histogram.allSatisfy { abs($0 - 10_000) < 400 }, "\(histogram)")
        #expect(random.integer(below: 1) == 0)
    }

    @Test func differentSeedsAndStreamsDiffer() {
        var a = SeededRandom(seed: 1, stream: 1)
        var b = SeededRandom(seed: 2, stream: 1)
        var c = SeededRandom(seed: 1, stream: 2)
        let first = a.next()
        #expect(first != b.next())
        #expect(first != c.next())
    }
}
