import Foundation
import NNM
import Testing

/// End-to-end tests of `nnm-predict`: its CSV equals `NNMModel.predict` row for row, columns
/// are matched by name whatever their order, separators and index columns are handled, write
/// errors are errors, and the evaluation equals figures computed here independently.
@Suite struct PredictTests: ToolSuite {
    static let tool = Tool(name: "nnm-predict")
    static let names = ["low", "mid", "high"]

    /// A three-class CSV (features `a`, `b`, `c`, label `kind`) and a model trained on it.
    static func trainedModel(in directory: String) throws -> (model: String, rows: [[Float]], labels: [String]) {
        var random = SeededRandom(seed: 5, stream: 9)
        var rows: [[Float]] = []
        var labels: [String] = []
        var text = "a,b,c,kind\n"
        for sample in 0..<150 {
            let k = sample % 3
            let row = [Float(Double(k) + 0.6 * random.normal()), Float(10 * random.uniform()),
                       Float(100 + 20 * Double(k) + 15 * random.normal())]
            rows.append(row)
            labels.append(names[k])
            text += row.map { "\($0)" }.joined(separator: ",") + ",\(names[k])\n"
        }
        try text.write(toFile: directory + "/train.csv", atomically: true, encoding: .utf8)
        let model = directory + "/m.nnm"
        let run = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/train.csv",
                                                  "--label-column", "kind", "--epochs", "20", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        return (model, rows, labels)
    }

    /// The CSV text of `rows` with the columns `header` (feature names as in training, `kind`,
    /// or anything else, which is filled with a constant).
    static func csv(_ rows: [[Float]], labels: [String], header: [String], separator: String = ",") -> String {
        var text = header.joined(separator: separator) + "\n"
        for (index, row) in rows.enumerated() {
            let cells = header.map { name -> String in
                switch name {
                case "a": "\(row[0])"
                case "b": "\(row[1])"
                case "c": "\(row[2])"
                case "kind": labels[index]
                case "": "\(index)"
                default: "7"
                }
            }
            text += cells.joined(separator: separator) + "\n"
        }
        return text
    }

    /// The predicted rows of an output CSV, checked against the model's own outputs.
    static func checkPredictions(_ output: String, model: NNMModel, rows: [[Float]]) throws {
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "predicted,high,low,mid")
        #expect(lines.count == rows.count + 1)
        for (row, line) in zip(rows, lines.dropFirst()) {
            let cells = line.split(separator: ",").map(String.init)
            let expected = try model.classify(row)
            #expect(cells[0] == expected.className)
            #expect(cells.dropFirst().map { Float($0) } == expected.probabilities.map { Optional($0) })
        }
    }

    @Test func predictionsEqualTheLibrarysRowForRowWhateverTheColumnOrder() throws {
        try Self.inTemporaryDirectory { directory in
            let (path, rows, labels) = try Self.trainedModel(in: directory)
            let model = try NNMModel(contentsOf: path)
            #expect(model.featureNames == ["a", "b", "c"])
            let orders: [([String], String)] = [(["a", "b", "c"], ","), (["c", "extra", "a", "b"], ","), (["b", "c", "a"], ";"),
                                                (["", "a", "b", "c"], ","), (["c", "b", "a"], "\t")]
            for (header, separator) in orders {
                let file = directory + "/new.csv"
                try Self.csv(rows, labels: labels, header: header, separator: separator)
                    .write(toFile: file, atomically: true, encoding: .utf8)
                let run = try Self.run([path, "--data", "csv:" + file])
                #expect(run.status == 0, "\(run.stderr)")
                try Self.checkPredictions(run.stdout, model: model, rows: rows)
                #expect(run.stderr.contains("ignoring") == (header.count == 4), "\(run.stderr)")
                #expect(run.stderr.contains("separated by") == (separator != ","))
                #expect(!run.stderr.contains("accuracy"), "no label column, no evaluation")
            }
        }
    }

    @Test func aMissingColumnIsAnErrorThatListsIt() throws {
        try Self.inTemporaryDirectory { directory in
            let (path, rows, labels) = try Self.trainedModel(in: directory)
            try Self.csv(rows, labels: labels, header: ["c", "x"]).write(toFile: directory + "/bad.csv", atomically: true, encoding: .utf8)
            let run = try Self.run([path, "--data", "csv:\(directory)/bad.csv", "-o", directory + "/out.csv"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("bad.csv:1: missing 2 of the model's 3 feature columns: 'a', 'b'"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/out.csv"), "no partial output")
            // A bad cell names its line and column.
            try "a,b,c\n1,2,3\n1,x,3\n".write(toFile: directory + "/cell.csv", atomically: true, encoding: .utf8)
            let cell = try Self.run([path, "--data", "csv:\(directory)/cell.csv"])
            #expect(cell.status == 1)
            #expect(cell.stderr.contains("cell.csv:3:2: 'x' is not a number"), "\(cell.stderr)")
        }
    }

    @Test func theEvaluationEqualsFiguresComputedIndependently() throws {
        try Self.inTemporaryDirectory { directory in
            let (path, rows, labels) = try Self.trainedModel(in: directory)
            let model = try NNMModel(contentsOf: path)
            try Self.csv(rows, labels: labels, header: ["kind", "b", "a", "c"])
                .write(toFile: directory + "/labelled.csv", atomically: true, encoding: .utf8)
            let run = try Self.run([path, "--data", "csv:\(directory)/labelled.csv", "-o", directory + "/p.csv", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let evaluation = try #require(json["evaluation"] as? [String: Any])
            // Independently: predictions from the library, labels by name, sorted class order.
            let classOrder = ["high", "low", "mid"]
            let predicted = try rows.map { try model.classify($0).classIndex }
            let actual = labels.map { classOrder.firstIndex(of: $0) ?? -1 }
            let correct = zip(predicted, actual).filter { $0 == $1 }.count
            #expect(abs((evaluation["accuracy"] as? Double ?? -1) - Double(correct) / Double(rows.count)) < 1e-12)
            let classes = try #require(evaluation["classes"] as? [[String: Any]])
            for k in 0..<3 {
                let truePositive = zip(predicted, actual).filter { $0 == k && $1 == k }.count
                let predictedK = predicted.filter { $0 == k }.count, actualK = actual.filter { $0 == k }.count
                #expect(classes[k]["name"] as? String == classOrder[k])
                #expect(classes[k]["support"] as? Int == actualK)
                let precision = Double(truePositive) / Double(predictedK), recall = Double(truePositive) / Double(actualK)
                #expect(abs((classes[k]["precision"] as? Double ?? -1) - precision) < 1e-12)
                #expect(abs((classes[k]["recall"] as? Double ?? -1) - recall) < 1e-12)
                #expect(abs((classes[k]["f1"] as? Double ?? -1) - 2 * precision * recall / (precision + recall)) < 1e-12)
            }
            let confusion = try #require(evaluation["confusion"] as? [[Int]])
            #expect(confusion[1][1] == zip(predicted, actual).filter { $0 == 1 && $1 == 1 }.count)
            try Self.checkPredictions(try String(contentsOfFile: directory + "/p.csv", encoding: .utf8), model: model, rows: rows)
            // Text report on stderr when the CSV goes to stdout.
            let text = try Self.run([path, "--data", "csv:\(directory)/labelled.csv"])
            #expect(text.stderr.contains("accuracy") && text.stderr.contains("precision  recall"))
        }
    }

    @Test func twoClassROCAUCAndTheModelsOwnTestSplit() throws {
        try Self.inTemporaryDirectory { directory in
            let model = directory + "/moons.nnm"
            #expect(try Tool(name: "nnm-train").run(["-o", model, "--dataset", "moons", "--epochs", "3", "--quiet"]).status == 0)
            let run = try Self.run([model, "--json", "-o", directory + "/t.csv"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let evaluation = try #require(json["evaluation"] as? [String: Any])
            // Independently: the same test split, the probabilities the tool wrote, Mann–Whitney.
            let test = try #require(try NNMModel(contentsOf: model).recipe).makeSplit().test
            let lines = try String(contentsOfFile: directory + "/t.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            let scores = lines.map { Double($0.split(separator: ",")[2]) ?? .nan }
            #expect(scores.count == test.sampleCount)
            var wins = 0.0
            let positives = (0..<scores.count).filter { test.labels[$0] == 1 }, negatives = (0..<scores.count).filter { test.labels[$0] == 0 }
            for p in positives { for n in negatives { wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0 } }
            let auc = wins / Double(positives.count * negatives.count)
            #expect(abs((evaluation["roc_auc"] as? Double ?? -1) - auc) < 1e-9)
        }
    }

    @Test func writeErrorsAndRefusedOutputsFail() throws {
        try Self.inTemporaryDirectory { directory in
            let model = directory + "/moons.nnm"
            #expect(try Tool(name: "nnm-train").run(["-o", model, "--dataset", "moons", "--epochs", "1", "--quiet"]).status == 0)
            let full = try Self.run([model, "-o", "/dev/full"])
            #expect(full.status == 1, "a device is refused")
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "'\(Self.binary)' '\(model)' > /dev/full"]
            let errors = Pipe()
            shell.standardError = errors
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 1)
            #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("No space left"))
            let before = try Data(contentsOf: URL(fileURLWithPath: model))
            let overModel = try Self.run([model, "-o", model])
            #expect(overModel.status == 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
            let other = directory + "/other.nnm"
            try before.write(to: URL(fileURLWithPath: other))
            #expect(try Self.run([model, "-o", other]).stderr.contains("never replaces a model"))
            // A CSV of the user's is kept; an earlier prediction is replaced; --force replaces anything but a model.
            let mine = directory + "/mine.csv"
            try "a,b\n1,2\n".write(toFile: mine, atomically: true, encoding: .utf8)
            let kept = try Self.run([model, "-o", mine])
            #expect(kept.status == 1 && kept.stderr.contains("--force"), "\(kept.stderr)")
            #expect(try String(contentsOfFile: mine, encoding: .utf8) == "a,b\n1,2\n")
            #expect(try Self.run([model, "-o", mine, "--force"]).status == 0)
            #expect(try Self.run([model, "-o", mine]).status == 0, "its own earlier output is replaced")
            #expect(try Self.run([model, "-o", other, "--force"]).stderr.contains("never replaces a model"))
            #expect(try Self.run([model, "--data", "moons"]).status == 64)
            #expect(try Self.run([model, "--delimiter", "|"]).status == 64)
        }
    }
}

extension PredictTests {
    @Test func evaluateWithoutLabelsIsRefusedBeforeAnyOutput() throws {
        try Self.inTemporaryDirectory { directory in
            let (path, rows, labels) = try Self.trainedModel(in: directory)
            try Self.csv(rows, labels: labels, header: ["a", "b", "c"]).write(toFile: directory + "/u.csv", atomically: true, encoding: .utf8)
            let run = try Self.run([path, "--data", "csv:\(directory)/u.csv", "--evaluate", "-o", directory + "/out.csv"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("has no label column (the model's is 'kind')"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/out.csv"))
            // Without a header, by position: the label is the extra column.
            let plain = Self.csv(rows, labels: labels, header: ["a", "b", "c", "kind"]).split(separator: "\n").dropFirst()
            try plain.joined(separator: "\n").write(toFile: directory + "/plain.csv", atomically: true, encoding: .utf8)
            let positional = try Self.run([path, "--data", "csv:\(directory)/plain.csv", "--json", "-o", directory + "/p.csv"])
            #expect(positional.status == 0, "\(positional.stderr)")
            #expect(positional.stdout.contains("\"matched_by\": \"position\""))
            #expect(positional.stdout.contains("\"samples\": 150"))
        }
    }
}
