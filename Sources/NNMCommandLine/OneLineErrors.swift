import ArgumentParser

extension ParsableCommand {
    /// ArgumentParser's `main()`, except that a bad command line is one line on stderr
    /// (`TOOL: error: …`, exit 64) instead of the error followed by the usage screen: every bad
    /// input gives one line. `--help` and `--version` print as usual. A command that has already
    /// said why it fails throws an `ExitCode`, which exits without another line.
    ///
    /// Each NNM tool calls this from its own `static func main()`, naming itself.
    public static func mainWithOneLineErrors(toolName: String) -> Never {
        reportClosedPipesAsErrors()
        do {
            var command = try parseAsRoot()
            try command.run()
            exit(withError: nil)
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            printError("\(toolName): error: \(message(for: error))")
            exit(withError: code)
        }
    }
}
