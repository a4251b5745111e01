import Foundation
import NNM
import Testing

/// A library user who trains with `TrainingSession` gets the very file `nnm-train` writes from
/// the same settings: one road from settings to bytes.
@Suite struct LibraryParityTests: ToolSuite {
    static let tool = Tool(name: "nnm-train")

    @Test func theLibraryWritesTheBytesTheToolWrites() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory + "/tool.nnm"
            let run = try Self.run([
                "-o", path, "--dataset", "spiral", "--classes", "3", "--samples", "150", "--hidden", "8",
                "--activation", "tanh", "--optimizer", "nesterov", "--lr", "0.05", "--epochs", "4", "--seed", "5",
                "--patience", "2", "--quiet",
            ])
            #expect(run.status == 0, "\(run.stderr)")

            var settings = TrainingSettings()
            settings.dataset = .spiral
            settings.dataOptions.classes = 3
            settings.dataOptions.samples = 150
            settings.network = .classifier(hidden: [8], activation: .tanh)
            settings.optimizer = .nesterov
            settings.learningRate = 0.05
            settings.epochs = 4
            settings.seed = 5
            settings.patience = 2
            let library = try TrainingSession(settings).run().model
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(try library.modelFile().encoded() == [UInt8](written))

            // Resuming through either road continues alike, too.
            var more = TrainingSettings()
            more.resume = try NNMModel(contentsOf: path)
            more.epochs = 2
            let resumed = try TrainingSession(more).run().model
            let again = directory + "/again.nnm"
            #expect(try Self.run(["-o", again, "--resume", path, "--epochs", "2", "--quiet"]).status == 0)
            #expect(try resumed.modelFile().encoded() == [UInt8](try Data(contentsOf: URL(fileURLWithPath: again))))
        }
    }
}
