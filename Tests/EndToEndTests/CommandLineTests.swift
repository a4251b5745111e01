import Foundation
import Testing

/// Command-line behaviour shared by the three tools: `--version`, and flag values that must be
/// refused as a bad command line (exit 64, one line on stderr, nothing written).
@Suite struct CommandLineTests {
    static let sample: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/samples/moons/model.nnm"
    }()

    @Test(arguments: ["nnm-train", "nnm-inspect", "nnm-render"])
    func everyToolPrintsItsVersion(tool: String) throws {
        let run = try Tool(name: tool).run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(arguments: [
        ["--font", "/nonexistent/font.ttf"],          // a font the user names must load
        ["--size", "4000x4000", "--scale", "4"],      // 256 megapixels
    ])
    func renderRefusesImpossibleOptionsAsABadCommandLine(extra: [String]) throws {
        try Tool.inTemporaryDirectory { directory in
            let output = directory + "/loss.png"
            let run = try Tool(name: "nnm-render").run(["loss", Self.sample, "-o", output] + extra)
            #expect(run.status == 64)
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func trainRefusesZeroEpochs() throws {
        try Tool.inTemporaryDirectory { directory in
            let run = try Tool(name: "nnm-train").run(["-o", directory + "/m.nnm", "--epochs", "0"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("--epochs"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/m.nnm"))
        }
    }

    @Test func resumingFromADamagedTensorSaysSoBeforeTraining() throws {
        try Tool.inTemporaryDirectory { directory in
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.sample)))
            bytes[bytes.count - 100] ^= 0xFF   // inside the last weight blob, before TAIL
            let damaged = directory + "/damaged.nnm"
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
            let run = try Tool(name: "nnm-train").run(["-o", directory + "/out.nnm", "--resume", damaged, "--epochs", "1"])
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("nnm-train: error: cannot resume from"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/out.nnm"))
        }
    }
}
