import Foundation
import NNM
import Testing

/// Regression through the tools, as a user meets it: `nnm-train --task auto` on a CSV with a
/// numeric target, its summary and JSON, `nnm-inspect`, and `nnm-predict`'s predictions and
/// evaluation; integer targets that could be classes are refused with a message naming --task.
@Suite struct RegressionToolTests {
    static let train = Tool(name: "nnm-train")
    static let inspect = Tool(name: "nnm-inspect")
    static let predict = Tool(name: "nnm-predict")

    /// `y = sin a + 0.5·b²` plus an unused ID column, 300 rows.
    static func csv() -> (text: String, rows: [[Float]], targets: [Float]) {
        var random = SeededRandom(seed: 11, stream: 3)
        var text = "id,a,b,y\n", rows: [[Float]] = [], targets: [Float] = []
        for index in 0..<300 {
            let a = Float(random.uniform() * 6 - 3), b = Float(random.uniform() * 6 - 3)
            let y = Float(sin(Double(a)) + 0.5 * Double(b) * Double(b))
            rows.append([a, b])
            targets.append(y)
            text += "row\(index),\(a),\(b),\(y)\n"
        }
        return (text, rows, targets)
    }

    @Test func trainInspectAndPredictARegressionModel() throws {
        try Tool.inTemporaryDirectory { directory in
            let data = Self.csv()
            try data.text.write(toFile: directory + "/sine.csv", atomically: true, encoding: .utf8)
            let model = directory + "/sine.nnm"
            let trained = try Self.train.run(["-o", model, "--dataset", "csv:\(directory)/sine.csv", "--drop-columns", "id",
                                              "--epochs", "20", "--json"])
            #expect(trained.status == 0, "\(trained.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
            let test = try #require(summary["test"] as? [String: Any])
            #expect(test["accuracy"] == nil, "no accuracy for regression")
            let r2 = try #require(test["r2"] as? Double)
            #expect(r2 > 0.5, "test R² \(r2)")
            #expect((summary["network"] as? String)?.hasSuffix("linear:1,rescale") == true)

            let report = try Self.inspect.run([model])
            #expect(report.status == 0)
            #expect(report.stdout.contains(".nnm 1.1"), "\(report.stdout.prefix(200))")
            #expect(report.stdout.contains("Rescale"))
            #expect(report.stdout.contains("val_rmse") && report.stdout.contains("eval.test_r2"))

            let run = try Self.predict.run([model, "--data", "csv:\(directory)/sine.csv", "-o", directory + "/p.csv", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let evaluation = try #require(json["evaluation"] as? [String: Any])
            // Independently: the library's predictions, the metrics' definitions written out here.
            let loaded = try NNMModel(contentsOf: model)
            let predicted = try loaded.predict(try Matrix(data.rows)).storage.map(Double.init)
            let targets = data.targets.map(Double.init)
            let mean = targets.reduce(0, +) / Double(targets.count)
            let sse = zip(predicted, targets).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            let sst = targets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            let mae = zip(predicted, targets).map { abs($0 - $1) }.reduce(0, +) / Double(targets.count)
            #expect(abs((evaluation["mse"] as? Double ?? .nan) - sse / 300) < 1e-9)
            #expect(abs((evaluation["mae"] as? Double ?? .nan) - mae) < 1e-9)
            #expect(abs((evaluation["r2"] as? Double ?? .nan) - (1 - sse / sst)) < 1e-9)
            let lines = try String(contentsOfFile: directory + "/p.csv", encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "predicted" && lines.count == 301)
            #expect(Float(lines[1]) == Float(predicted[0]))
        }
    }

    @Test func integerTargetsWithManyValuesNeedTask() throws {
        try Tool.inTemporaryDirectory { directory in
            var text = "a,price\n"
            for index in 0..<200 { text += "\(index % 17),\(100 + index * 3)\n" }
            try text.write(toFile: directory + "/prices.csv", atomically: true, encoding: .utf8)
            let refused = try Self.train.run(["-o", directory + "/m.nnm", "--dataset", "csv:\(directory)/prices.csv", "--epochs", "1"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--task"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/m.nnm"))
            let forced = try Self.train.run(["-o", directory + "/m.nnm", "--dataset", "csv:\(directory)/prices.csv",
                                             "--epochs", "1", "--task", "regression", "--quiet"])
            #expect(forced.status == 0, "\(forced.stderr)")
            let bad = try Self.train.run(["-o", directory + "/c.nnm", "--dataset", "circles", "--task", "regression"])
            #expect(bad.status == 64, "\(bad.stderr)")
        }
    }
}
