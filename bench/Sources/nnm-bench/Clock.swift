#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic seconds, for timing only.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Median of `repeats` timings of `body` (after one warm-up call).
func medianSeconds(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<max(1, repeats) {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    times.sort()
    return times[times.count / 2]
}

/// Runs a whole training workload `runs` times, each from a fresh start (the same data, seeds
/// and work), and keeps the fastest: on a shared machine the slow runs measure the neighbours.
/// `body` returns the run's seconds and whatever the report needs from it. The peers
/// (bench/peers) take the fastest of the same number of runs.
func fastestOf<R>(_ runs: Int, _ body: () throws -> (seconds: Double, result: R)) rethrows -> (seconds: Double, result: R) {
    var best = try body()
    for _ in 1..<max(1, runs) {
        let next = try body()
        if next.seconds < best.seconds { best = next }
    }
    return best
}

/// One result line that bench/run parses: tab-separated
/// `RESULT  workload  seconds  throughput  unit  note`.
func report(_ workload: String, seconds: Double, throughput: Double, unit: String,
            note: String = "") {
    print("RESULT\t\(workload)\t\(seconds)\t\(throughput)\t\(unit)\t\(note)")
}

/// Deterministic pseudo-random floats in [lo, hi) (xorshift), for inputs only.
struct InputNoise {
    private var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return lo + (hi - lo) * Float(state >> 40) / Float(1 << 24)
    }
    mutating func matrix(_ rows: Int, _ columns: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
        (0..<(rows * columns)).map { _ in next(lo, hi) }
    }
}
