import NNM
import NNMFormat
import Foundation
import Testing

/// A regression run (Rescale output, R²/RMSE/MAE series, early stopping on by default) stopped
/// with `--stop-after` and resumed writes the bytes of one uninterrupted run: the training state
/// and the regression history continue together (spec/training.md §3a, §4b).
@Suite struct RegressionResumeTests: ToolSuite {
    static let tool = Tool(name: "nnm-train")

    @Test(arguments: [[String](), ["--patience", "3"]])
    func stoppedAndResumedRegressionWritesTheBytesOfOneRun(flags: [String]) throws {
        try Self.inTemporaryDirectory { directory in
            try RegressionToolTests.csv().text.write(toFile: directory + "/sine.csv", atomically: true, encoding: .utf8)
            let common = ["--dataset", "csv:\(directory)/sine.csv", "--drop-columns", "id", "--quiet"] + flags
            let whole = directory + "/whole.nnm", part = directory + "/part.nnm", resumed = directory + "/resumed.nnm"
            let one = try Self.run(common + ["-o", whole, "--epochs", "20"])
            #expect(one.status == 0, "\(one.stderr)")
            let first = try Self.run(common + ["-o", part, "--epochs", "20", "--stop-after", "12"])
            #expect(first.status == 0, "\(first.stderr)")
            let run = try Self.run(["-o", resumed, "--resume", part, "--epochs", "8"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("optimizer state, schedule and shuffle continued exactly"), "\(run.stdout)")

            let wholeBytes = try #require(ResumeTests.bytes(whole))
            #expect(ResumeTests.bytes(resumed) == wholeBytes)
            // The bytes compared are a regression model's: 1.1 for both reasons, with its series.
            let model = try ModelFile(bytes: wholeBytes)
            #expect(model.layers.last?.kind == .rescale && model.trainingState != nil)
            #expect(model.version == FormatVersion(major: 1, minor: 1))
            let names = Set(model.history?.series.map(\.name) ?? [])
            #expect(names.isSuperset(of: ["train_loss", "train_r2", "val_loss", "val_r2", "val_rmse", "val_mae"]), "\(names)")
            #expect(model.history?.epochCount ?? 0 > 12)
        }
    }
}
