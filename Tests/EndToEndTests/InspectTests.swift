import Testing
import Glibc

/// End-to-end tests of the `nnm-inspect` executable on the committed vectors: exit status,
/// one-line errors on stderr, escaped output, JSON.
@Suite struct InspectTests: ToolSuite {
    static let repository: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let tool = Tool(name: "nnm-inspect")

    static func vector(_ name: String) -> String { repository + "/spec/vectors/" + name }

    @Test func reportsArchitectureStatisticsAndTraining() throws {
        let r = try Self.run([Self.vector("full.nnm")])
        #expect(r.status == 0)
        #expect(r.stdout.contains(".nnm 1.0, 1,169 bytes, 6 tensors"))
        #expect(r.stdout.contains("Linear   2 → 5               15"))
        #expect(r.stdout.contains("Total params: 30"))
        #expect(r.stdout.contains("dataset: circles"))
        #expect(r.stdout.contains("epochs: 4"))
        #expect(r.stderr.isEmpty)
    }

    @Test func escapesControlCharactersFromTheFile() throws {
        let r = try Self.run([Self.vector("full.nnm")])
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(r.stdout.contains("héllo\\x1b[31m"))
    }

    @Test func verifyPassesOnValidAndFailsOnDamagedFiles() throws {
        #expect(try Self.run(["--verify", Self.vector("multi-block.nnm")]).status == 0)
        let damaged: [(String, Int32)] = [("digest-wrong.nnm", 4), ("hist-crc.nnm", 4), ("zlib-corrupt.nnm", 4),
                                          ("major-2.nnm", 2), ("html.nnm", 2), ("bomb.nnm", 3), ("truncated-body.nnm", 3)]
        for (file, status) in damaged {
            let r = try Self.run(["--verify", Self.vector(file)])
            #expect(r.status == status, "\(file): \(r.status)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("nnm-inspect: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(file): \(r.stderr)")
        }
    }

    /// `--diff` and `--table` name an unreadable file the way a single report does:
    /// `nnm-inspect: error: PATH: MESSAGE [IDENTIFIER]`, one line.
    @Test func diffAndTableReportAnUnreadableFileInTheOneLineForm() throws {
        let damaged = Self.vector("truncated-body.nnm"), valid = Self.vector("full.nnm")
        let single = try Self.run([damaged])
        for (arguments, status) in [(["--diff", valid, damaged], Int32(2)), (["--table", valid, damaged], Int32(3))] {
            let r = try Self.run(arguments)
            #expect(r.status == status, "\(arguments): \(r.status)")
            #expect(r.stderr.hasPrefix("nnm-inspect: error: \(damaged): ") && r.stderr.hasSuffix("]\n"), "\(r.stderr)")
            #expect(r.stderr.filter { $0 == "\n" }.count == 1)
            #expect(r.stderr == single.stderr, "the same line as `nnm-inspect FILE`")
        }
        let missing = try Self.run(["--diff", valid, damaged + ".missing"])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("nnm-inspect: error: \(damaged).missing: "), "\(missing.stderr)")
    }

    @Test func everyInvalidVectorEndsInAnErrorNotASignal() throws {
        let manifest = try Self.run(["--help"])   // also checks that --help works
        #expect(manifest.status == 0 && manifest.stdout.contains("Exit status"))
        guard let f = fopen(Self.vector("manifest.txt"), "r") else { Issue.record("no manifest"); return }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 1024)
        while fgets(&line, 1024, f) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard !text.hasPrefix("#"), !text.contains(" valid ") else { continue }
            let file = String(text.split(separator: " ")[0])
            let r = try Self.run(["--verify", Self.vector(file)])
            #expect(r.status >= 1 && r.status <= 4, "\(file): status \(r.status)")
        }
    }

    @Test func jsonIsStableAndUsesStringsForNaN() throws {
        let a = try Self.run(["--json", Self.vector("full.nnm")])
        let b = try Self.run(["--json", Self.vector("full.nnm")])
        #expect(a.status == 0 && a.stdout == b.stdout)
        #expect(a.stdout.contains("\"schema\": \"nnm-inspect/1\""))
        #expect(a.stdout.contains("\"NaN\""))
        #expect(a.stdout.contains("\\u001b[31m"))
    }

    @Test func headerOnlyPathSkipsStatistics() throws {
        let r = try Self.run(["--no-stats", Self.vector("multi-block.nnm")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("tensors not decoded"))
        #expect(!r.stdout.contains("Tensors\n"))
    }

    @Test func badCommandLineIsAUsageError() throws {
        #expect(try Self.run([]).status == 64)
        let badBins = try Self.run(["--bins", "0", Self.vector("minimal.nnm")])
        #expect(badBins.status == 64)
        // One line, no usage screen (as for every other bad input).
        #expect(badBins.stderr == "nnm-inspect: error: --bins must be between 1 and 100\n")
        #expect(try Self.run(["/nonexistent/file.nnm"]).status == 1)
        // A negative count is --bins' value, not a flag: the range error shows.
        let negative = try Self.run(["--bins", "-3", Self.vector("minimal.nnm")])
        #expect(negative.status == 64)
        #expect(negative.stderr == "nnm-inspect: error: --bins must be between 1 and 100\n")
        // Contradictory flags are refused, not one of them silently ignored.
        let contradiction = try Self.run(["--no-stats", "--bins", "3", Self.vector("minimal.nnm")])
        #expect(contradiction.status == 64)
        #expect(contradiction.stderr.contains("--no-stats"), "\(contradiction.stderr)")
    }
}
