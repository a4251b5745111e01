import Foundation
import Testing
@testable import NNM

/// `RegressionMetrics` against scikit-learn's `sklearn.metrics` on the same numbers. Runs when
/// python3 can import sklearn (`pip install scikit-learn`); otherwise it records why it did not.
@Suite struct RegressionMetricsSklearnTests {
    static func sklearnAvailable() -> Bool {
        (try? python(["-c", "import sklearn.metrics"]).status) == 0
    }

    static func python(_ arguments: [String], input: String = "") throws -> (status: Int32, out: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out)
    }

    static let script = """
    import sys, json
    from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score
    data = json.load(sys.stdin)
    y, p = data["targets"], data["predictions"]
    mse = mean_squared_error(y, p)
    print(json.dumps([mse, mse ** 0.5, mean_absolute_error(y, p), r2_score(y, p)]))
    """

    @Test(.enabled(if: sklearnAvailable(), "scikit-learn is not importable"),
          arguments: [2, 7, 100, 5000])
    func metricsEqualScikitLearns(count: Int) throws {
        var random = SeededRandom(seed: UInt64(count), stream: .split)
        let targets = (0..<count).map { _ in Float(random.uniform() * 200 - 50) }
        let predictions = targets.map { $0 + Float(random.normal() * 12) }
        let metrics = try #require(RegressionMetrics(predictions: predictions, targets: targets))
        // Floats as their exact decimal (Double's description round-trips the widened value).
        let json = "{\"targets\": [\(targets.map { "\(Double($0))" }.joined(separator: ","))], "
            + "\"predictions\": [\(predictions.map { "\(Double($0))" }.joined(separator: ","))]}"
        let (status, out) = try Self.python(["-c", Self.script], input: json)
        #expect(status == 0)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [Double])
        let ours = [metrics.meanSquaredError, metrics.rootMeanSquaredError, metrics.meanAbsoluteError, metrics.r2]
        for (name, (a, b)) in zip(["mse", "rmse", "mae", "r2"], zip(ours, expected)) {
            #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(name): NNM \(a), sklearn \(b) (n = \(count))")
        }
    }

    @Test func constantTargetsFollowScikitLearn() throws {
        // sklearn's r2_score: 1.0 for a perfect fit of constant targets, 0.0 otherwise.
        #expect(RegressionMetrics(predictions: [3, 3], targets: [3, 3])?.r2 == 1)
        #expect(RegressionMetrics(predictions: [3, 4], targets: [3, 3])?.r2 == 0)
        #expect(RegressionMetrics(predictions: [], targets: []) == nil)
        #expect(RegressionMetrics(predictions: [1], targets: [2])?.r2.isNaN == true)
    }
}
