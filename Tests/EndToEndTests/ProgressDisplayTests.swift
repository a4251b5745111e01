import Foundation
@testable import NNM
import Testing
@testable import nnm_train

/// nnm-train's progress display: the line fitted to the terminal's width, the record kept on
/// screen, the folded confusion matrix, and a real run under a pseudo-terminal.
@Suite struct ProgressDisplayTests {
    static func progress(epochEnd: Bool = false) -> TrainingProgress {
        TrainingProgress(
            epoch: 12, epochs: 300, batch: 5, batchCount: 20, loss: 0.15234, accuracy: 0.9505,
            samplesPerSecond: 12_345, elapsedSeconds: 3, validationLoss: epochEnd ? 0.2 : nil,
            validationAccuracy: epochEnd ? 0.9 : nil, isEpochEnd: epochEnd)
    }

    static let line = ProgressText(progress(), validation: (loss: 0.1345, accuracy: 0.94))

    @Test func wideTerminalShowsEverything() {
        let text = Self.line.fitted(width: 199)
        #expect(text == Self.line.full)
        #expect(text.hasPrefix("epoch 12/300  batch 5/20  loss "), "\(text)")
        #expect(text.contains("samples/s") && text.contains("ETA "), "\(text)")
        #expect(text.contains("val_loss") && text.contains("val_acc"), "\(text)")
    }

    @Test func eightyColumnsDropTheThroughputFirst() {
        let text = Self.line.fitted(width: 79)
        #expect(text.count <= 79)
        #expect(Self.line.full.count > 79, "the test needs a line wider than 80 columns")
        #expect(!text.contains("samples/s") && !text.contains("/s"), "\(text)")
        #expect(text.contains("epoch 12/300") && text.contains("val_loss") && text.contains("ETA"), "\(text)")
    }

    @Test func fortyColumnsKeepTheEpochAndTheLosses() {
        let text = Self.line.fitted(width: 39)
        #expect(text.count <= 39, "\(text)")
        #expect(text.hasPrefix("12/300 "), "\(text)")
        #expect(text.contains(" l ") && text.contains(" vl "), "\(text)")
        #expect(!text.contains("…"), "\(text)")
    }

    @Test func noWidthIsExceeded() {
        let record = ProgressText(record: Self.progress(epochEnd: true), validation: (loss: 0.2, accuracy: 0.9))
        for width in 1...200 {
            #expect(Self.line.fitted(width: width).count <= width, "width \(width)")
            #expect(record.fitted(width: width).count <= width, "record, width \(width)")
        }
        #expect(Self.line.fitted(width: 10).hasSuffix("…"))
    }

    @Test func aRunKeepsAboutTenLines() {
        #expect(ProgressLine.recordInterval(epochs: 1) == 1)
        #expect(ProgressLine.recordInterval(epochs: 10) == 1)
        #expect(ProgressLine.recordInterval(epochs: 11) == 2)
        #expect(ProgressLine.recordInterval(epochs: 30) == 5)
        #expect(ProgressLine.recordInterval(epochs: 200) == 20)
        #expect(ProgressLine.recordInterval(epochs: 300) == 50)
        #expect(ProgressLine.recordInterval(epochs: 5000) == 500)
    }

    static func tenClassMatrix(names: [String]? = nil) throws -> ConfusionMatrix {
        let labels = (0..<500).map { $0 % 10 }
        let predictions = labels.enumerated().map { $0.offset % 7 == 0 ? ($0.element + 1) % 10 : $0.element }
        return try ConfusionMatrix(predictions: predictions, labels: labels, classCount: 10, classNames: names)
    }

    @Test func confusionMatrixFitsTheWidth() throws {
        let matrix = try Self.tenClassMatrix()
        #expect(matrix.lines(width: nil).joined(separator: "\n") == matrix.description)
        #expect(matrix.lines(width: nil).contains { $0.count > 78 }, "the full table is wider than 80 columns")
        let compact = matrix.lines(width: 78)
        #expect(compact.allSatisfy { $0.count <= 78 })
        #expect(compact.count == matrix.lines(width: nil).count, "compact, not folded, at 80 columns")
        let folded = matrix.lines(width: 38)
        #expect(folded.allSatisfy { $0.count <= 38 }, "\(folded.joined(separator: "\n"))")
        #expect(folded.filter { $0.hasPrefix("actual") }.count > 1, "folded into blocks")
        // Every count survives the folding: the cells of the folded rows add up to the total.
        let cells = folded.filter { !$0.hasPrefix("actual") && !$0.hasPrefix("accuracy") }
            .flatMap { $0.split(separator: " ").dropFirst().filter { !$0.hasSuffix("%") }.compactMap { Int($0) } }
        #expect(cells.reduce(0, +) == matrix.total)
    }

    @Test func longClassNamesAreCutWhenNarrow() throws {
        let names = (0..<10).map { "a-very-long-class-name-\($0)" }
        let folded = try Self.tenClassMatrix(names: names).lines(width: 78)
        #expect(folded.allSatisfy { $0.count <= 78 }, "\(folded.joined(separator: "\n"))")
        #expect(folded.contains { $0.hasPrefix("a-very-long…") })
    }

    @Test func summaryLinesBreakAfterSpacesAndCommas() {
        let line = RunSummary.labelled("dataset", "spiral (classes 10, noise 0.02, samples 3000), seed 42, validation 0.1, test 0.2")
        let wrapped = SummaryWrapping.wrap(line, width: 39)
        #expect(wrapped.count > 1 && wrapped.allSatisfy { $0.count <= 39 }, "\(wrapped)")
        #expect(wrapped.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 10)) })
        let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "," }) }
        #expect(wrapped.flatMap(words) == words(line))
        #expect(SummaryWrapping.wrap(line, width: 200) == [line])
    }
}

/// nnm-train on a pseudo-terminal (util-linux `script`), at 60 and 200 columns: no drawn line
/// reaches the margin, the header comes before the first epoch, and the record stays.
@Suite struct TerminalRunTests {
    static let script = "/usr/bin/script"

    /// Everything nnm-train wrote to its terminal, run at `columns` columns.
    static func screenOutput(columns: Int, _ arguments: [String]) throws -> String {
        try Tool.inTemporaryDirectory { directory in
            let quoted = ([Tool(name: "nnm-train").path] + arguments + ["-o", directory + "/m.nnm"])
                .map { "'" + $0 + "'" }.joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = ["-q", "-e", "-c", "stty cols \(columns) rows 30; exec \(quoted)", "/dev/null"]
            let outPath = directory + "/screen"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return try String(contentsOfFile: outPath, encoding: .utf8)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)), arguments: [60, 200])
    func theDisplayFitsTheTerminal(columns: Int) throws {
        let output = try Self.screenOutput(columns: columns, ["--dataset", "xor", "--epochs", "30", "--samples", "400"])
        let drawn = output.replacingOccurrences(of: "\u{1B}[2K", with: "")
        #expect(!drawn.contains("\u{1B}"), "only the erase-line sequence is used")
        // "\r\n" is one Character in Swift: split on the scalars.
        let rows = drawn.unicodeScalars.split { $0 == "\r" || $0 == "\n" }.map { String(String.UnicodeScalarView($0)) }
        // (The last line names the temporary directory, a path wider than 60 columns.)
        let fitted = rows.filter { !$0.hasPrefix("wrote ") }
        #expect(fitted.allSatisfy { $0.count < columns }, "\(fitted.filter { $0.count >= columns })")
        let header = try #require(drawn.range(of: "network "))
        let firstEpoch = try #require(drawn.range(of: "/30"))
        #expect(header.lowerBound < firstEpoch.lowerBound, "the header comes before epoch 1")
        // Kept lines (ending in a newline): every 5 epochs of 30.
        let kept = drawn.components(separatedBy: "\r\n").filter { $0.contains("/30 ") }
            .map { $0.components(separatedBy: "\r").last ?? "" }
        #expect(kept.count == 6, "\(kept)")
        #expect(kept.last?.hasPrefix(columns >= 100 ? "epoch 30/30  loss " : "30/30 l ") == true, "\(kept)")
    }
}

/// `--quiet` and the small-data warning, as the executable says them.
@Suite struct QuietTests: ToolSuite {
    static let tool = Tool(name: "nnm-train")

    @Test func quietPrintsNothingButJSONWhenAsked() throws {
        try Self.inTemporaryDirectory { directory in
            let quiet = try Self.run(["-o", directory + "/a.nnm", "--dataset", "bits4", "--epochs", "2", "--quiet"])
            #expect(quiet.status == 0)
            #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
            let json = try Self.run(["-o", directory + "/b.nnm", "--dataset", "bits4", "--epochs", "2", "--quiet", "--json"])
            #expect(json.stderr.isEmpty, "\(json.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["epochs_run"] as? Int == 2)
            #expect(object?["interrupted"] is NSNull, "null unless Ctrl-C stopped the run")
            // The same file either way.
            #expect(FileManager.default.contents(atPath: directory + "/a.nnm") == FileManager.default.contents(atPath: directory + "/b.nnm"))
        }
    }

    @Test func smallDataIsWarnedAboutOnStandardError() throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run(["-o", directory + "/a.nnm", "--dataset", "bits4", "--epochs", "2"])
            #expect(run.status == 0)
            #expect(run.stderr.hasPrefix("nnm-train: warning: small data: 16 samples, split train 11, validation 2, test 3;"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(run.stdout.hasPrefix("dataset   bits4"), "the summary is unchanged: \(run.stdout)")
            let plain = try Self.run(["-o", directory + "/b.nnm", "--dataset", "xor", "--epochs", "1"])
            #expect(plain.stderr.isEmpty, "\(plain.stderr)")
        }
    }
}
