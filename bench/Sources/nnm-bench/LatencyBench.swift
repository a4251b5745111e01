import NNM

// W5's one-sample latency: `NNMModel.predict([Float])`, one sample per call, as an app that
// predicts one input at a time calls it (bench/inference/run; targets in bench/README.md).

/// A model of `spec` behind a fitted standardization (varied mean and scale), weights seeded.
private func latencyModel(inputs: Int, spec: String) throws -> NNMModel {
    var body = try Architecture.network(spec: spec, inputCount: inputs)
    body.initializeParameters(seed: 17)
    var noise = InputNoise(seed: 5)
    let standardize = try Standardize(mean: noise.matrix(1, inputs, -1, 1), scale: noise.matrix(1, inputs, 0.5, 2))
    return NNMModel(network: try Sequential([standardize] + body.layers))
}

/// The fastest and the median, over `rounds` rounds, of the mean time of one call in a round of
/// `calls` calls, cycling through 64 different samples (so no call repeats the one before).
/// Rounds are short (tens of milliseconds), so on a shared machine some run undisturbed: the
/// fastest is the latency of the code, the median what the neighbours left of it.
private func perCallSeconds(calls: Int, rounds: Int, samples: [[Float]],
                            _ predict: ([Float]) throws -> [Float]) rethrows -> (best: Double, median: Double) {
    var sink: Float = 0
    var times: [Double] = []
    for round in 0...rounds {   // round 0 warms up
        let t0 = now()
        for i in 0..<calls { sink += try predict(samples[i & 63])[0] }
        if round > 0 { times.append((now() - t0) / Double(calls)) }
    }
    if sink.isNaN { print("(NaN output)") }
    times.sort()
    return (times[0], times[times.count / 2])
}

/// Seconds as microseconds with three decimals.
private func microseconds(_ seconds: Double) -> Double { (seconds * 1e9).rounded() / 1000 }

/// One-sample latency of 2-16-16-1 and 784-100-10 (both standardized), through
/// `NNMModel.predict([Float])` and, for comparison, through the batch path with a one-row matrix.
func benchOneSampleLatency(quick: Bool) {
    do {
        for (inputs, spec, name, calls) in [(2, "linear:16,relu,linear:16,relu,linear:1,sigmoid", "2-16-16-1", 20_000),
                                            (784, "linear:100,relu,linear:10,softmax", "784-100-10", 2_000)] {
            let model = try latencyModel(inputs: inputs, spec: spec)
            var noise = InputNoise(seed: 9)
            let samples = (0..<64).map { _ in noise.matrix(1, inputs, 0, 1) }
            let n = quick ? calls / 20 : calls
            let rounds = quick ? 3 : 40
            let one = try perCallSeconds(calls: n, rounds: rounds, samples: samples) { try model.predict($0) }
            report("W5 \(name) one sample, NNMModel.predict([Float])", seconds: one.best, throughput: 1 / one.best,
                   unit: "predictions/s",
                   note: "fastest of \(rounds) rounds of \(n) calls; median \(microseconds(one.median)) µs")
            let batch = try perCallSeconds(calls: n, rounds: rounds, samples: samples) {
                try model.predict(Matrix(rows: 1, columns: inputs, storage: $0)).storage
            }
            report("W5 \(name) one sample, batch path (1-row Matrix)", seconds: batch.best, throughput: 1 / batch.best,
                   unit: "predictions/s",
                   note: "the path predict([Float]) took before; fastest of \(rounds) rounds; median \(microseconds(batch.median)) µs")
        }
    } catch {
        print("latency workload failed: \(error)")
    }
}
