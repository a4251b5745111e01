/// The one pseudo-random generator NNM uses, for datasets, splits, initial weights and
/// shuffling — written down exactly in `spec/random.md`, so any language can regenerate the
/// same data and the same initial weights from a seed.
///
/// Algorithm: xoshiro256** (Blackman & Vigna), its 256-bit state filled by SplitMix64.
/// Independent streams for independent purposes come from the same seed and a stream number,
/// so drawing one more initial weight never changes the dataset.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Stream numbers for the purposes NNM draws randomness for.
    public enum Stream: UInt64, Sendable {
        case dataset = 1
        case split = 2
        case initialization = 3
        case shuffle = 4
    }

    /// A generator for `seed` and `stream`: the SplitMix64 sequence is started at
    /// `seed XOR mix64(stream + 0x6A09E667F3BCC909)`, and its first four outputs are the state.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = seed ^ SeededRandom.mix64(stream &+ 0x6A09_E667_F3BC_C909)
        s0 = SeededRandom.splitMix64(&sm)
        s1 = SeededRandom.splitMix64(&sm)
        s2 = SeededRandom.splitMix64(&sm)
        s3 = SeededRandom.splitMix64(&sm)
    }

    public init(seed: UInt64, stream: Stream) {
        self.init(seed: seed, stream: stream.rawValue)
    }

    /// A generator with a raw xoshiro256** state, to check against the algorithm's published
    /// outputs (`spec/random.md` §5). The state must not be all zero.
    init(rawState s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        (self.s0, self.s1, self.s2, self.s3) = (s0, s1, s2, s3)
    }

    /// The raw xoshiro256** state, to store where a shuffle stands (the `trst` section) and
    /// continue it later with ``init(stateWords:)``.
    public var stateWords: [UInt64] { [s0, s1, s2, s3] }

    /// A generator continuing from ``stateWords``; nil unless there are four words, not all zero.
    public init?(stateWords words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// Uniform in [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high): `low + (high - low) * uniform()`, in binary64.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal, by Box–Muller: two uniforms per value, nothing cached between calls.
    /// `u1 = 1 - uniform()` (in (0, 1]), `u2 = uniform()`,
    /// result `sqrt(-2 ln u1) * cos(2π u2)`, all in binary64.
    public mutating func normal() -> Double {
        let u1 = 1.0 - uniform()
        let u2 = uniform()
        return (-2.0 * doubleLog(u1)).squareRoot() * doubleCos(2.0 * Double.pi * u2)
    }

    /// Normals from which ``normals(count:)`` shares its logarithms and cosines with the
    /// kernels' helper thread: below, waking it costs about what it saves.
    static let twoWayNormals = 4096

    /// `count` values of ``normal()``: the same draws in the same order and the same bits, with
    /// the logarithms and cosines computed a batch at a time by the vector kernels
    /// (`nnm_log_many`, `nnm_cos_many`: NNM's own functions, lane by lane).
    public mutating func normals(count: Int) -> [Double] {
        guard count > 0 else { return [] }
        var logs = [Double](repeating: 0, count: count)
        var cosines = [Double](repeating: 0, count: count)
        for i in 0..<count {
            logs[i] = 1.0 - uniform()
            cosines[i] = 2.0 * Double.pi * uniform()
        }
        // The logarithms on one thread, the cosines on the other (each ~5 ms for a 784-100
        // layer's 78,400 weights): element by element, so the bits do not depend on who ran them.
        let options = ComputeOptions.current
        logs.withUnsafeMutableBufferPointer { logs in
            cosines.withUnsafeMutableBufferPointer { cosines in
                let pieces = count >= Self.twoWayNormals ? 2 : 1
                TwoWayWork.run(pieces: pieces, options: options) { piece in
                    if piece == 0 { Kernels.log(inPlace: logs, options: options) }
                    if piece == pieces - 1 { Kernels.cos(inPlace: cosines, options: options) }
                }
            }
        }
        return (0..<count).map { (-2.0 * logs[$0]).squareRoot() * cosines[$0] }
    }

    /// Uniform integer in `0..<bound` (Lemire's multiply-and-reject, unbiased).
    /// `bound` must be positive.
    public mutating func integer(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "integer(below:) needs a positive bound")
        // Lemire's test: threshold < bound, so `low >= bound` accepts without the division
        // (same draws and results as always computing the threshold; a shuffle is ~10 % of a
        // full-batch epoch otherwise).
        var threshold: UInt64?
        while true {
            let (high, low) = next().multipliedFullWidth(by: bound)
            if low >= bound { return high }
            let limit = threshold ?? (0 &- bound) % bound
            threshold = limit
            if low >= limit { return high }
        }
    }

    /// Fisher–Yates: for i from count-1 down to 1, swap element i with element `integer(below: i+1)`.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            var i = buffer.count - 1
            while i >= 1 {
                let j = Int(integer(below: UInt64(i + 1)))
                buffer.swapAt(i, j)
                i -= 1
            }
        }
    }

    /// The SplitMix64 output function (a bijective 64-bit mixer).
    public static func mix64(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix64(state)
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(by k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
