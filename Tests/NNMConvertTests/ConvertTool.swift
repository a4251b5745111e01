import Foundation
import Testing

/// What one run of a tool produced.
struct ToolRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the package's executables (built beside the test bundle) as a user would; output goes
/// to files, so a chatty stream never blocks. A run that ends by a signal fails the test.
enum Tools {
    static var directory: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.path
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> ToolRun {
        try TestModels.inTemporaryDirectory { scratch in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : directory + "/" + executable)
            process.arguments = arguments
            let outPath = scratch + "/stdout", errPath = scratch + "/stderr"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(executable) died from a signal")
            return ToolRun(status: process.terminationStatus,
                           stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
    }

    static func convert(_ arguments: [String]) throws -> ToolRun { try run("nnm-convert", arguments) }

    /// The repository's root (for samples/ and the check scripts).
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Whether python3 can import every module named; tests against the real runtimes are
    /// skipped (with a note in the test name's condition) when it cannot.
    static func pythonHas(_ modules: [String]) -> Bool {
        (try? run("/usr/bin/env", ["python3", "-c", "import " + modules.joined(separator: ", ")]).status) == 0
    }
}
