import NNM
import NNMCommandLine
import NNMFiles
import NNMFormat

/// Where the CSV goes: standard output (`-`), or a file written atomically, checked before
/// any work: never an `.nnm` model, never a file the run reads, never a directory, device or
/// FIFO. Text is buffered and written in pieces of about 64 KiB, every write checked.
final class PredictionOutput {
    private let stream: StreamingOutput
    private var buffer: [UInt8] = []
    private static let flushBytes = 1 << 16

    /// What every nnm-predict CSV starts with (its first column), so a re-run may replace its
    /// own earlier output without `--force`, and nothing else.
    static let signature = Array("predicted".utf8)

    init(_ path: String, inputs: [String], force: Bool) throws {
        guard path != "-" else {
            stream = StreamingOutput()
            return
        }
        let shown = escapeForDisplay(path)
        if let existing = try? ReadOnlyFile(path: path), (try? existing.starts(with: NNMConstants.signature)) == true {
            throw PredictError("cannot write \(shown): it is an .nnm model; nnm-predict never replaces a model (choose another -o)")
        }
        do {
            try OutputPolicy(signature: Self.signature, replacesEmptyFiles: true, force: force).check(path, inputs: inputs)
        } catch let refusal as OutputRefusal {
            throw PredictError(Self.sentence(refusal, shown: shown))
        }
        do { stream = try StreamingOutput(atomicallyReplacing: path) } catch {
            throw PredictError("cannot write \(shown): \(error)")
        }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// Appends a chunk's prediction lines (``PredictionTable/appendLines(_:delimiter:to:)``)
    /// straight into the buffer.
    func write(_ outputs: Matrix, of table: PredictionTable) throws {
        table.appendLines(outputs, to: &buffer)
        if buffer.count >= Self.flushBytes { try flush() }
    }

    func finish() throws {
        try flush()
        try stream.finish()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try stream.write(buffer) } catch { throw PredictError("cannot write the predictions: \(error)") }
        buffer.removeAll(keepingCapacity: true)
    }

    static func sentence(_ refusal: OutputRefusal, shown: String) -> String {
        switch refusal {
        case .emptyPath: return "the output path is empty: give -o FILE.csv or -o -"
        case .namesADirectory, .notARegularFile(_, _, .directory): return "cannot write \(shown): it is a directory"
        case .notARegularFile: return "cannot write \(shown): it is not a regular file (a device, FIFO or socket); use -o - to write to standard output"
        case .isAnInput(_, let input): return "cannot write \(shown): it is \(escapeForDisplay(input)), which this run reads"
        case .missingDirectory(_, let directory), .unwritableDirectory(_, let directory):
            return "cannot write \(shown): directory \(escapeForDisplay(directory)) does not exist or is not writable"
        case .missingLinkTargetDirectory(_, let target): return "cannot write \(shown): it is a symlink to \(escapeForDisplay(target)), whose directory does not exist"
        case let .unresolvable(_, error): return "cannot write \(shown): \(error)"
        case .unexpectedContent:
            return "refusing to overwrite \(shown): it exists and is not an earlier nnm-predict output (pass --force to replace it, or choose another -o)"
        case .writeProtected: return "refusing to overwrite \(shown): it is write-protected; use --force to replace it"
        }
    }
}
