import NNMFormat
import Foundation
import Testing

/// `train N` + `--resume` = `train N+M`, byte for byte (spec/training.md §3a), through the tool.
@Suite struct ResumeTests: ToolSuite {
    static let tool = Tool(name: "nnm-train")

    static func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

    @Test(arguments: [
        ["--lr-schedule", "cosine"],
        ["--optimizer", "momentum", "--lr-schedule", "cosine"],
        ["--optimizer", "sgd", "--lr-schedule", "constant", "--batch-size", "7"],
    ])
    func stoppedAndResumedWritesTheBytesOfOneRun(flags: [String]) throws {
        try Self.inTemporaryDirectory { directory in
            let common = ["--dataset", "moons", "--samples", "300", "--quiet"] + flags
            let whole = directory + "/whole.nnm", part = directory + "/part.nnm", resumed = directory + "/resumed.nnm"
            #expect(try Self.run(common + ["-o", whole, "--epochs", "20"]).status == 0)
            #expect(try Self.run(common + ["-o", part, "--epochs", "20", "--stop-after", "15"]).status == 0)
            let run = try Self.run(["-o", resumed, "--resume", part, "--epochs", "5"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("optimizer state, schedule and shuffle continued exactly"))
            #expect(Self.bytes(resumed) == Self.bytes(whole))
        }
    }

    @Test func aConstantScheduleNeedsNoPlan() throws {
        try Self.inTemporaryDirectory { (directory: String) throws in
            let common = ["--dataset", "moons", "--samples", "300", "--quiet", "--lr-schedule", "constant"]
            #expect(try Self.run(common + ["-o", directory + "/whole.nnm", "--epochs", "20"]).status == 0)
            #expect(try Self.run(common + ["-o", directory + "/part.nnm", "--epochs", "15"]).status == 0)
            #expect(try Self.run(["-o", directory + "/more.nnm", "--resume", directory + "/part.nnm", "--epochs", "5", "--quiet"]).status == 0)
            #expect(Self.bytes(directory + "/more.nnm") == Self.bytes(directory + "/whole.nnm"))
        }
    }

    @Test func aFileWithoutStateSaysItStartsAfresh() throws {
        try Self.inTemporaryDirectory { directory in
            let plain = directory + "/plain.nnm"
            #expect(try Self.run(["-o", plain, "--epochs", "3", "--quiet", "--no-optimizer-state"]).status == 0)
            let withState = directory + "/state.nnm"
            #expect(try Self.run(["-o", withState, "--epochs", "3", "--quiet"]).status == 0)
            #expect((Self.bytes(plain)?.count ?? 0) < (Self.bytes(withState)?.count ?? 0))
            let run = try Self.run(["-o", directory + "/more.nnm", "--resume", plain, "--epochs", "2"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("the file has no optimizer state: optimizer, schedule and shuffle started afresh"))
        }
    }
}
