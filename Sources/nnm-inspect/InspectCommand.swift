import ArgumentParser
import NNMCommandLine
import NNMFormat

/// `nnm-inspect FILE`: a thin shell over `InspectionReport` (NNMFormat).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnm-inspect",
        abstract: "Show what is inside an .nnm model file: architecture, tensors, training, integrity.",
        discussion: """
        By default nnm-inspect prints a summary line (format version, size, codecs, integrity), \
        the layer table with parameter counts, statistics and a histogram for every tensor \
        (decoding every tensor checks its CRC-32), and the training summary when the file has one.

        Examples:
          nnm-inspect model.nnm             full report
          nnm-inspect --no-stats model.nnm  architecture only (reads header and tables)
          nnm-inspect --verify model.nnm    check every CRC and the content digest
          nnm-inspect --json model.nnm | jq .layers
          nnm-inspect --table runs/*.nnm --markdown   a row per run: settings, figures
          nnm-inspect --diff a.nnm b.nnm        what differs between two files

        --table prints, for every file, the settings (layers, activations, dataset, data.seed, \
        the train.* metadata) and the final figures (epochs, last value of each history series, \
        eval.*), one row per file, as aligned text, --csv or --markdown.

        --diff compares two files: architecture, every tensor (largest |Δ| and the number of \
        elements changed, bit for bit), the dataset recipe, the metadata (each differing key \
        with both values) and whether one training history continues the other (a --resume \
        run). Exit status like diff: 0 identical, 1 different, 2 trouble (a file cannot be \
        read or is invalid). --json gives the same as JSON (schema nnm-inspect-diff/1).

        Exit status: 0 success (with --verify: the file is intact); 1 the file cannot be read; \
        2 not an .nnm file, or one that needs a newer reader; 3 the file is malformed; \
        4 a checksum or the content digest does not match (damaged file); 64 bad command line. \
        An error about the file's content ends with the format spec's error identifier in \
        brackets, e.g. [digestMismatch].
        """,
        version: NNMVersion.string)

    @Argument(help: "The .nnm file to inspect (several with --table, two with --diff).")
    var files: [String]

    @Flag(help: "One row per file: settings and final figures.")
    var table = false

    @Flag(help: "With --table: comma-separated values.")
    var csv = false

    @Flag(help: "With --table: a Markdown table.")
    var markdown = false

    @Flag(help: "Compare two files; exit 0 identical, 1 different, 2 trouble.")
    var diff = false

    var file: String { files.first ?? "" }

    @Flag(help: "Print the report as JSON (schema nnm-inspect/1, keys sorted, NaN/Infinity as strings).")
    var json = false

    @Flag(help: "Verify the whole file: every CRC-32, every tensor and the SHA-256 content digest.")
    var verify = false

    @Flag(name: .customLong("no-stats"), help: "Skip tensor statistics: read only the header and tables (fast on any file size).")
    var noStats = false

    @Option(parsing: .unconditional, help: "Number of histogram bins per tensor (1-100, default 10; not with --no-stats).")
    var bins: Int?

    func validate() throws {
        if table && diff { throw ValidationError("--table and --diff are two different reports: use one") }
        if (csv || markdown) && !table { throw ValidationError("--csv and --markdown format the --table report; add --table") }
        if csv && markdown { throw ValidationError("--csv and --markdown: choose one") }
        if table && json { throw ValidationError("--table prints text, --csv or --markdown; --json is for a single file or --diff") }
        if diff && files.count != 2 { throw ValidationError("--diff compares exactly two files, got \(files.count)") }
        if !table && !diff && files.count != 1 { throw ValidationError("one file at a time (several with --table, two with --diff), got \(files.count)") }
        if (table || diff) && (verify || noStats || bins != nil) {
            throw ValidationError("--verify, --no-stats and --bins belong to the single-file report, not to --table or --diff")
        }
        if let bins, !(1...100).contains(bins) { throw ValidationError("--bins must be between 1 and 100") }
        // Contradictory flags are refused rather than one silently ignored.
        if noStats, bins != nil {
            throw ValidationError("--bins sets the histograms of the tensor statistics, which --no-stats skips: use one or the other")
        }
    }

    /// One line on stderr for a bad command line (see `mainWithOneLineErrors`).
    static func main() {
        mainWithOneLineErrors(toolName: "nnm-inspect")
    }

    func run() throws {
        if diff { return try runDiff() }
        if table { return try runTable() }
        let options = InspectionReport.Options(statistics: !noStats, verify: verify, histogramBins: bins ?? 10)
        do {
            let report = try InspectionReport.inspect(path: file, options: options)
            let text = json ? report.json().rendered() : report.text()
            try writeStandardOutput(text)
        } catch let error as StandardOutputError {
            printError("nnm-inspect: error: \(error)")
            throw ExitCode(1)
        } catch let error as NNMFormatError {
            // A format error ends with the spec's identifier (§12), for scripts and other readers' tests.
            Self.reportUnreadable(file, error)
            throw ExitCode(Self.exitStatus(for: error))
        }
    }

    /// Exit status per error category (documented in `--help` and README).
    static func exitStatus(for error: NNMFormatError) -> Int32 {
        switch error.category {
        case .io: 1
        case .unsupported: 2
        case .malformed: 3
        case .integrity: 4
        }
    }
}
