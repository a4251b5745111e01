import Foundation
import NNM
@testable import NNMFormat
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Defects a hostile-input campaign found in the tools, each pinned by a run that failed before
/// its fix: lost reports, multi-line errors, models with NaN, protected files replaced.
@Suite struct HostileUseTests {
    static let sample: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/samples/circles/model.nnm"
    }()

    @Test func aReportThatCannotBeWrittenIsAFailureNotSilence() throws {
        // /dev/full takes no byte: the tools used to exit 0 with the report lost.
        let full = try Self.shell("\(Tool(name: "nnm-inspect").path) --json \(Self.sample) > /dev/full")
        #expect(full.status == 1 && full.stderr.contains("cannot write to standard output"), "\(full.stderr)")
        try Tool.inTemporaryDirectory { directory in
            let render = try Self.shell("\(Tool(name: "nnm-render").path) loss \(Self.sample) -o \(directory)/l.png > /dev/full")
            #expect(render.status == 1 && render.stderr.contains("cannot write to standard output"), "\(render.stderr)")
            #expect(render.stderr.contains("the picture was written to"), "\(render.stderr)")
        }
    }

    /// A reader that stops early (`| head`) used to kill nnm-inspect and nnm-train with SIGPIPE:
    /// exit 141, nothing on stderr, and for nnm-train no word that the model was written.
    @Test func aClosedPipeIsAOneLineErrorNotADeathBySignal() throws {
        let inspect = Tool(name: "nnm-inspect").path
        let table = try Self.shell("{ { \(inspect) --table \(Array(repeating: Self.sample, count: 400).joined(separator: " ")); echo \"exit $?\" >&2; } | head -c 1 > /dev/null; }")
        #expect(table.stderr.contains("nnm-inspect: error: cannot write to standard output") && table.stderr.contains("exit 1"), "\(table.stderr)")
        try Tool.inTemporaryDirectory { directory in
            let train = try Self.shell("{ { \(Tool(name: "nnm-train").path) -o \(directory)/m.nnm --samples 200 --epochs 20; echo \"exit $?\" >&2; } | head -c 1 > /dev/null; }")
            #expect(train.stderr.contains("the model was written to") && train.stderr.contains("exit 1"), "\(train.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory + "/m.nnm"))
            // Standard output closed: every file is still written, and the error says so
            // (`all` wrote one picture and stopped; nnm-convert did not say the file was there).
            let all = try Self.shell("\(Tool(name: "nnm-render").path) all \(Self.sample) --out-dir \(directory)/pictures >&-")
            #expect(all.status == 1 && all.stderr.contains("pictures were written to"), "\(all.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/pictures").count >= 5)
            let convert = try Self.shell("\(Tool(name: "nnm-convert").path) \(Self.sample) -o \(directory)/m.onnx >&-")
            #expect(convert.status == 1 && convert.stderr.contains("m.onnx was written, but its report was not"), "\(convert.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory + "/m.onnx"))
        }
    }

    /// `-o picture.jpg` wrote a PNG without a word.
    @Test func aPictureNamedForAnotherFormatSaysItIsAPNG() throws {
        try Tool.inTemporaryDirectory { directory in
            let run = try Tool(name: "nnm-render").run(["loss", Self.sample, "-o", directory + "/l.jpg"])
            #expect(run.status == 0 && run.stdout.contains("note: the file is a PNG image whatever its name (.jpg)"), "\(run.stdout)")
            let png = try Tool(name: "nnm-render").run(["loss", Self.sample, "-o", directory + "/l.png"])
            #expect(png.status == 0 && !png.stdout.contains("note:"))
        }
    }

    @Test func aPathWithANewlineOrEscapeGivesOneEscapedLine() throws {
        let strange = "/nonexistent/a\nb\u{1B}[2J.nnm"
        for arguments in [["loss", strange, "-o", "/tmp/never.png"], ["weights", strange, "-o", "/tmp/never.png"]] {
            let run = try Tool(name: "nnm-render").run(arguments)
            #expect(run.status == 1)
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(!run.stderr.contains("\u{1B}") && run.stderr.contains("a\\nb\\x1b[2J.nnm"), "\(run.stderr)")
        }
        let train = try Tool(name: "nnm-train").run(["-o", "/tmp/out.nnm", "--resume", strange])
        #expect(train.status == 1 && train.stderr.split(separator: "\n").count == 1 && !train.stderr.contains("\u{1B}"))
    }

    @Test func featuresNearTheFloatLimitNeverSaveAModelWithNaN() throws {
        try Tool.inTemporaryDirectory { directory in
            var csv = "a,b,label\n"
            for i in 0..<60 { csv += "\(i % 3 == 0 ? "3.4e38" : "-3.3e38"),\(Double(i) / 60),\(i % 2)\n" }
            try csv.write(toFile: directory + "/huge.csv", atomically: true, encoding: .utf8)
            let run = try Tool(name: "nnm-train").run(["-o", directory + "/m.nnm", "--dataset", "csv:\(directory)/huge.csv", "--epochs", "3"])
            #expect(run.status == 2, "\(run.stderr)")
            #expect(run.stderr.contains("NaN or infinite"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/m.nnm"))
        }
    }

    @Test func aWriteProtectedModelIsKeptUnlessForcedAndKeepsItsMode() throws {
        try Tool.inTemporaryDirectory { directory in
            let path = directory + "/kept.nnm"
            try FileManager.default.copyItem(atPath: Self.sample, toPath: path)
            #expect(chmod(path, 0o444) == 0)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let refused = try Tool(name: "nnm-train").run(["-o", path, "--epochs", "1", "--samples", "50"])
            #expect(refused.status == 1 && refused.stderr.contains("write-protected"), "\(refused.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            let forced = try Tool(name: "nnm-train").run(["-o", path, "--epochs", "1", "--samples", "50", "--force"])
            #expect(forced.status == 0, "\(forced.stderr)")
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o444)
        }
    }

    @Test(.timeLimit(.minutes(1))) func aFIFOGivenAsAFontIsRefusedAtOnce() throws {
        try Tool.inTemporaryDirectory { directory in
            let fifo = directory + "/font.ttf"
            #expect(mkfifo(fifo, 0o600) == 0)
            let run = try Tool(name: "nnm-render").run(["loss", Self.sample, "-o", directory + "/l.png", "--font", fifo])
            #expect(run.status == 64 && run.stderr.contains("--font"), "\(run.stderr)")
        }
    }

    /// Runs `command` under /bin/sh (for its redirections), capturing its stderr.
    static func shell(_ command: String) throws -> ToolRun {
        var result = ToolRun(status: -1, stdout: "", stderr: "")
        try Tool.inTemporaryDirectory { directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command + " 2> \(directory)/stderr"]
            try process.run()
            process.waitUntilExit()
            result.status = process.terminationStatus
            result.stderr = (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""
        }
        return result
    }
}

/// `--resume` checks the content digest: a file whose history section was cut out, with the
/// CRCs and header left consistent, must not resume as if nothing were lost.
@Suite struct ResumeDigestTests {
    @Test func aFileWhoseContentNoLongerMatchesItsDigestIsNotResumed() throws {
        try Tool.inTemporaryDirectory { directory in
            var network = try Architecture.classifier(inputCount: 2, hidden: [4], classCount: 2)
            network.initializeParameters(seed: 1)
            let recipe = DatasetRecipe(try DataRecipe.parse("moons", samples: 60, seed: 1, validationFraction: 0.1, testFraction: 0.2))
            let history = TrainingHistory(series: [HistorySeries(name: "train_loss", values: [0.7, 0.6])])
            let withHistory = try network.modelFile(history: history, dataset: recipe).encoded()
            var withoutHistory = try network.modelFile(dataset: recipe).encoded()
            // Give the history-less file the digest of the file with history, CRC repaired: every
            // checksum holds, only the content digest can tell that something is missing.
            let digest = Array(withHistory[(withHistory.count - 36)..<(withHistory.count - 4)])
            let tail = withoutHistory.count - 36 - 12
            withoutHistory.replaceSubrange((withoutHistory.count - 36)..<(withoutHistory.count - 4), with: digest)
            let crc = withoutHistory[tail..<(withoutHistory.count - 4)].withUnsafeBytes { CRC32.update(0, $0) }
            for i in 0..<4 { withoutHistory[withoutHistory.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * i)) }
            let path = directory + "/cut.nnm"
            try Data(withoutHistory).write(to: URL(fileURLWithPath: path))
            _ = try NNMModel(contentsOf: path)   // every CRC is right
            let run = try Tool(name: "nnm-train").run(["-o", directory + "/more.nnm", "--resume", path, "--epochs", "1"])
            #expect(run.status == 1 && run.stderr.contains("cannot resume from") && run.stderr.contains("digest"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/more.nnm"))
        }
    }
}
