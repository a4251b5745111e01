import Foundation
import Testing

/// What one run of a command-line tool produced.
struct ToolRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs one of the package's executables the way a user would, for the end-to-end suites.
///
/// The binaries are built next to the test bundle (`.build/<config>/nnm-train`, …), so they are
/// found from `/proc/self/exe`. Output goes to files, not pipes, so a chatty stream can never
/// block the child; a run that ends by a signal (a crash) is a test failure.
struct Tool {
    let name: String

    var path: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent(name).path
    }

    /// Runs the tool with `arguments`; `environment` entries are added to (or replace) this
    /// process's environment for the child.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ToolRun {
        try Tool.inTemporaryDirectory { directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            let outPath = directory + "/stdout", errPath = directory + "/stderr"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(name) died from a signal")
            return ToolRun(status: process.terminationStatus,
                           stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
    }

    /// A fresh directory, removed when `body` returns.
    static func inTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnm-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.path)
    }
}

/// A suite that runs one of the executables: it names the tool, and gets the shorthands
/// every such suite uses (`Self.run([...])`, `Self.binary`, `Self.inTemporaryDirectory`).
protocol ToolSuite {
    static var tool: Tool { get }
}

extension ToolSuite {
    typealias Run = ToolRun
    static var binary: String { tool.path }
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try tool.run(arguments, environment: environment)
    }
    static func inTemporaryDirectory(_ body: (String) throws -> Void) throws { try Tool.inTemporaryDirectory(body) }
}
