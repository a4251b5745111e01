import Foundation
import Testing
@testable import NNM

/// `Trainer.evaluate` shares large evaluations with the helper thread; the numbers must be the
/// ones of one pass in order (spec/training.md §4: chunks of 256 rows, chunk sums added in order).
@Suite struct EvaluationTests {
    /// 5,000 samples of 20 features (twenty chunks, the last one short) and a network of 1,539
    /// parameters: enough for `Trainer.evaluationPieces` to share the work.
    static func problem(seed: UInt64) throws -> (model: Sequential, features: Matrix) {
        var model = try Architecture.network(spec: "linear:64,relu,linear:3", inputCount: 20)
        model.initializeParameters(seed: seed)
        return (model, EngineTestSupport.randomMatrix(rows: 5000, columns: 20, seed: seed))
    }

    static func evaluate(_ model: Sequential, on data: some SampleSource, plan: LossPlan, threads: Int) throws -> Evaluation {
        try ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
            try Trainer.evaluate(model, on: data, plan: plan)
        }
    }

    @Test func aSharedEvaluationHasTheBitsOfOnePassInOrder() throws {
        var (model, features) = try Self.problem(seed: 3)
        // The first chunk's rows are 1,000 times larger (its loss sum ~10⁵ times the others'),
        // so adding the chunk sums in another order would round differently.
        for i in 0 ..< 256 * 20 { features.storage[i] *= 1000 }
        let data = Dataset(features: features, labels: (0..<5000).map { ($0 * 7) % 3 }, classCount: 3)
        let plan = try Loss.crossEntropy.plan(for: model, classCount: 3)
        #expect(Trainer.evaluationPieces(batchCount: 20, parameterCount: model.parameterCount,
                                         options: ComputeOptions(threads: 2)) == 8)

        // The spec's order, written out: each chunk of 256 rows summed on its own, the sums
        // added in order.
        var lossSum = 0.0
        var correct = 0
        for start in stride(from: 0, to: 5000, by: 256) {
            let rows = Array(start ..< min(start + 256, 5000))
            let chunk = Matrix(rows: rows.count, columns: 20, storage: rows.flatMap { features.row($0) })
            let output = try model(chunk)
            var unused = Matrix.empty
            lossSum += plan.evaluate(output, labels: rows.map { data.labels[$0] }, gradient: &unused, computesGradient: false)
            correct += Trainer.countCorrect(output, labels: rows.map { data.labels[$0] })
        }
        for threads in [1, 2] {
            let result = try Self.evaluate(model, on: data, plan: plan, threads: threads)
            #expect(result.loss.bitPattern == (lossSum / 5000).bitPattern, "\(threads) threads")
            #expect(result.accuracy == Double(correct) / 5000, "\(threads) threads")
            #expect(result.sampleCount == 5000)
        }
    }

    @Test func aSharedRegressionKeepsEveryPredictionInItsRow() throws {
        let features = try Self.problem(seed: 4).features
        var regression = try Architecture.network(spec: "linear:64,relu,linear:1", inputCount: 20)
        regression.initializeParameters(seed: 4)
        let targets = (0..<5000).map { Float($0 % 17) / 4 }
        let data = Dataset(features: features, targets: targets)
        let plan = try Loss.meanSquaredError.regressionPlan(for: regression)
        let one = try Self.evaluate(regression, on: data, plan: plan, threads: 1)
        let two = try Self.evaluate(regression, on: data, plan: plan, threads: 2)
        #expect(one.loss.bitPattern == two.loss.bitPattern)
        #expect(one.regression == two.regression)
        #expect(one.regression == RegressionMetrics(predictions: try regression(features).storage, targets: targets))
    }

    /// A source that fails on one sample, late in the data: whichever thread reads it, the
    /// evaluation throws the source's error. It reads batches as the library's own sources do
    /// (only those are read by pieces on two threads).
    struct FailingSource: BatchReadingSource {
        let rows: Matrix
        let failing: Int
        var sampleCount: Int { rows.rows }
        var featureCount: Int { rows.columns }
        var classCount: Int { 3 }
        var labels: [Int] { [Int](repeating: 1, count: rows.rows) }
        var classNames: [String]? { nil }
        struct Unreadable: Error, Equatable { let sample: Int }
        func features(at index: Int) throws -> [Float] {
            if index == failing { throw Unreadable(sample: index) }
            return rows.row(index)
        }
        func readBatch(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) throws {
            for (row, sample) in indices.enumerated() {
                for (column, value) in try features(at: sample).enumerated() { destination[row * featureCount + column] = value }
            }
        }
    }

    /// Counts how many threads are inside `features(at:)` at once.
    final class Readers: @unchecked Sendable {
        private let lock = NSLock()
        private var inside = 0
        private(set) var most = 0
        func enter() { lock.lock(); inside += 1; most = max(most, inside); lock.unlock() }
        func leave() { lock.lock(); inside -= 1; lock.unlock() }
    }

    /// A user's source, one sample at a time, that notes concurrent calls.
    struct WatchedSource: SampleSource {
        let data: Dataset
        let readers: Readers
        var sampleCount: Int { data.sampleCount }
        var featureCount: Int { data.featureCount }
        var classCount: Int { data.classCount }
        var labels: [Int] { data.labels }
        var classNames: [String]? { nil }
        func features(at index: Int) throws -> [Float] {
            readers.enter()
            defer { readers.leave() }
            usleep(20)
            return data.features.row(index)
        }
    }

    /// A source of a user's own is never read from two threads at once (its contract promises
    /// calls from any thread, not concurrent ones): its evaluation is one piece, with the bits
    /// of the library's shared evaluation.
    @Test func aUsersSourceIsReadOnOneThreadAtATime() throws {
        let (model, features) = try Self.problem(seed: 6)
        let data = Dataset(features: features, labels: (0..<5000).map { $0 % 3 }, classCount: 3)
        let plan = try Loss.crossEntropy.plan(for: model, classCount: 3)
        let readers = Readers()
        let own = try Self.evaluate(model, on: WatchedSource(data: data, readers: readers), plan: plan, threads: 2)
        let library = try Self.evaluate(model, on: data, plan: plan, threads: 2)
        #expect(own.loss.bitPattern == library.loss.bitPattern && own.accuracy == library.accuracy)
        #expect(readers.most == 1)
    }

    @Test(arguments: [1, 2])
    func aFailingReadStopsTheEvaluation(threads: Int) throws {
        let (model, features) = try Self.problem(seed: 5)
        let plan = try Loss.crossEntropy.plan(for: model, classCount: 3)
        for failing in [3, 4990] {
            #expect(throws: FailingSource.Unreadable(sample: failing)) {
                _ = try Self.evaluate(model, on: FailingSource(rows: features, failing: failing), plan: plan, threads: threads)
            }
        }
    }

    @Test func smallWorkStaysOnOneThread() {
        let two = ComputeOptions(threads: 2)
        #expect(Trainer.evaluationPieces(batchCount: 1, parameterCount: 100_000, options: two) == 1)
        #expect(Trainer.evaluationPieces(batchCount: 40, parameterCount: 100_000, options: ComputeOptions(threads: 1)) == 1)
        #expect(Trainer.evaluationPieces(batchCount: 40, parameterCount: 17, options: two) == 1, "a 2-4-1 network")
        #expect(Trainer.evaluationPieces(batchCount: 40, parameterCount: 102_278, options: two) == 8)
        #expect(Trainer.evaluationPieces(batchCount: 3, parameterCount: .max, options: two) == 3)
    }
}
