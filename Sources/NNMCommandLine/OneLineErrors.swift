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
        // A mistyped subcommand (`nnm-render lose m.nnm -o x.png`) would otherwise be read as
        // the root's arguments and reported as "Unknown option '-o'".
        let subcommands = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let first = CommandLine.arguments.dropFirst().first, !subcommands.isEmpty, !first.hasPrefix("-"),
           first != "help", !subcommands.contains(first) {
            let shown = String(String.UnicodeScalarView(first.unicodeScalars.map {
                $0.properties.generalCategory == .control ? "?" : $0
            }))
            printError("\(toolName): error: unknown subcommand '\(shown)'; one of: \(subcommands.joined(separator: ", "))")
            exit(withError: ExitCode(64))
        }
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
