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
            printError("\(toolName): error: \(unknownSubcommand() ?? message(for: error))")
            exit(withError: code)
        }
    }

    /// For a command line that did not parse: "unknown subcommand 'lose'; one of: …" when its
    /// first word is none of this command's subcommands (a mistyped picture name would otherwise
    /// be reported as an unknown option further on); nil when that is not the reason.
    static func unknownSubcommand() -> String? {
        let names = configuration.subcommands.map { $0._commandName }
        guard !names.isEmpty, configuration.defaultSubcommand == nil,
              let first = CommandLine.arguments.dropFirst().first,
              !first.hasPrefix("-"), first != "help", !names.contains(first) else { return nil }
        let shown = String(String.UnicodeScalarView(first.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "?" : $0
        }))
        return "unknown subcommand '\(shown)'; one of: \(names.joined(separator: ", "))"
    }
}
