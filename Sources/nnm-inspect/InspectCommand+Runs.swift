import ArgumentParser
import NNMCommandLine
import NNMFormat

extension InspectCommand {
    /// `--diff A B`: exit 0 identical, 1 different, 2 when a file cannot be read.
    func runDiff() throws {
        let result: ModelDiff
        do {
            result = try ModelDiff(try ModelFile(contentsOf: files[0]), try ModelFile(contentsOf: files[1]))
        } catch let error as NNMFormatError {
            printError("nnm-inspect: \(error)")
            throw ExitCode(2)
        } catch {
            printError("nnm-inspect: \(error)")
            throw ExitCode(2)
        }
        do {
            try writeStandardOutput(json ? result.json(pathA: files[0], pathB: files[1]).rendered()
                                         : result.text(pathA: files[0], pathB: files[1]))
        } catch {
            printError("nnm-inspect: \(error)")
            throw ExitCode(2)
        }
        if !result.identical { throw ExitCode(1) }
    }

    /// `--table FILES…`: one row per file.
    func runTable() throws {
        var runs: [RunSummary] = []
        for path in files {
            do {
                runs.append(RunSummary(try ModelFile(contentsOf: path), path: path))
            } catch let error as NNMFormatError {
                printError("nnm-inspect: \(escapeForDisplay(path)): \(error)")
                throw ExitCode(Self.exitStatus(for: error))
            }
        }
        do {
            try writeStandardOutput(RunTable.render(runs, style: csv ? .csv : (markdown ? .markdown : .text)))
        } catch let error as StandardOutputError {
            printError("nnm-inspect: \(error)")
            throw ExitCode(1)
        }
    }
}
