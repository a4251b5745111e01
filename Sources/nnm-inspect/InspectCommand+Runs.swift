import ArgumentParser
import NNMCommandLine
import NNMFormat

extension InspectCommand {
    /// `--diff A B`: exit 0 identical, 1 different, 2 when a file cannot be read.
    func runDiff() throws {
        let a = try readModel(files[0], failureStatus: 2), b = try readModel(files[1], failureStatus: 2)
        let result: ModelDiff
        do {
            result = try ModelDiff(a, b)
        } catch {
            printError("nnm-inspect: error: \(error)")
            throw ExitCode(2)
        }
        do {
            try writeStandardOutput(json ? result.json(pathA: files[0], pathB: files[1]).rendered()
                                         : result.text(pathA: files[0], pathB: files[1]))
        } catch {
            printError("nnm-inspect: error: \(error)")
            throw ExitCode(2)
        }
        if !result.identical { throw ExitCode(1) }
    }

    /// `--table FILES…`: one row per file.
    func runTable() throws {
        var runs: [RunSummary] = []
        for path in files {
            runs.append(RunSummary(try readModel(path), path: path))
        }
        do {
            try writeStandardOutput(RunTable.render(runs, style: csv ? .csv : (markdown ? .markdown : .text)))
        } catch let error as StandardOutputError {
            printError("nnm-inspect: error: \(error)")
            throw ExitCode(1)
        }
    }

    /// The file at `path`, or, when it cannot be read, the one line every mode prints
    /// (`nnm-inspect: error: PATH: MESSAGE [IDENTIFIER]`, the spec's identifier for scripts and
    /// the conformance kit) and an exit with `failureStatus`, or by default the error's own
    /// status (``exitStatus(for:)``).
    func readModel(_ path: String, failureStatus: Int32? = nil) throws -> ModelFile {
        do {
            return try ModelFile(contentsOf: path)
        } catch let error as NNMFormatError {
            Self.reportUnreadable(path, error)
            throw ExitCode(failureStatus ?? Self.exitStatus(for: error))
        }
    }

    /// Prints the one-line message for a file that cannot be read.
    static func reportUnreadable(_ path: String, _ error: NNMFormatError) {
        let identifier = error.category == .io ? "" : " [\(error.code)]"
        printError("nnm-inspect: error: \(escapeForDisplay(path)): \(error)\(identifier)")
    }
}
