import Foundation
import NNM
import NNMFormat
import Testing

/// Ctrl-C on a running nnm-train: the first SIGINT saves the model so far, marked interrupted,
/// prints its summary and exits 130; two quit at once and write nothing.
@Suite struct InterruptTests {
    /// Starts nnm-train on a run long enough to interrupt, and returns once training is under
    /// way (the header is on stdout; the SIGINT handler is installed right after it).
    static func startLongRun(output: String, directory: String, samples: Int = 4000) throws -> (Process, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tool(name: "nnm-train").path)
        process.arguments = ["-o", output, "--dataset", "spiral", "--samples", "\(samples)", "--epochs", "5000"]
        let out = directory + "/stdout", err = directory + "/stderr"
        for path in [out, err] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("network ") {
            usleep(20_000)
        }
        usleep(500_000)  // a few epochs
        return (process, out, err)
    }

    @Test func theFirstCtrlCSavesTheModelSoFar() throws {
        try Tool.inTemporaryDirectory { directory in
            let output = directory + "/model.nnm"
            let (process, stdout, stderr) = try Self.startLongRun(output: output, directory: directory)
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 130)
            let message = try String(contentsOfFile: stderr, encoding: .utf8)
            #expect(message.hasPrefix("nnm-train: interrupted in epoch ") && message.contains("wrote \(output)"), "\(message)")
            #expect(message.split(separator: "\n").count == 1)

            let verify = try Tool(name: "nnm-inspect").run(["--verify", output])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let model = try NNMModel(contentsOf: output)
            let stop = try #require(ModelFile.interruption(from: model.metadata))
            #expect(model.history?.epochCount == stop.epoch)
            #expect(stop.epoch < 5000)
            let inspect = try Tool(name: "nnm-inspect").run(["--no-stats", output])
            #expect(inspect.stdout.contains("(interrupted by the user in epoch \(stop.epoch), after batch \(stop.batch))"), "\(inspect.stdout)")
            // The summary of the model saved, as after a run that ends on its own.
            let summary = try String(contentsOfFile: stdout, encoding: .utf8)
            #expect(summary.contains("epochs in ") || summary.contains("epoch in "), "\(summary)")
            #expect(summary.contains("(interrupted by Ctrl-C in epoch \(stop.epoch), after batch \(stop.batch) of 88)"), "\(summary)")
            #expect(summary.contains("\nloss      train "), "\(summary)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["model.nnm", "stderr", "stdout"])
        }
    }

    @Test func aSecondCtrlCQuitsWithoutWriting() throws {
        try Tool.inTemporaryDirectory { directory in
            let output = directory + "/model.nnm"
            // 200,000 samples: after the first Ctrl-C, evaluating the split takes long enough
            // for the second to arrive before any writing. (Two signals sent back to back would
            // be merged into one by the kernel: SIGINT does not queue.)
            let (process, _, _) = try Self.startLongRun(output: output, directory: directory, samples: 200_000)
            kill(process.processIdentifier, SIGINT)
            usleep(50_000)
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 130)
            // Nothing written, not even a temporary file.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["stderr", "stdout"])
        }
    }
}
