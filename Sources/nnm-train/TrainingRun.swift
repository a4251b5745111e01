import ArgumentParser
import Foundation
import NNM
import NNMCommandLine
import NNMFormat

/// One `nnm-train` invocation: flags → ``TrainingSettings`` → a ``TrainingSession`` → the file
/// and the summary. Every decision about data, network and hyperparameters is the library's;
/// this type checks the output path, draws progress and words errors with flag names.
struct TrainingRun {
    let output: OutputOptions
    let data: DataOptions
    let network: NetworkOptions
    let training: TrainingOptions

    func execute() throws {
        try checkOutputDirectory()
        let session: TrainingSession
        do {
            session = try TrainingSession(try settings())
        } catch let error as TrainingSessionError {
            throw reworded(error)
        } catch let error as DataError {
            throw DataFlagNames.naming(error)
        }
        try OutputSafety.checkNotAnInput(output.output, recipe: session.recipe)

        let progressLine = showHeader(of: session)
        let interrupt = InterruptRequest()
        let outcome: TrainingOutcome
        do {
            defer { progressLine?.finish() }
            outcome = try session.run(
                progress: progressLine.map { line in { line.update($0) } }, shouldStop: { interrupt.isRequested })
        } catch let TrainingError.diverged(epoch, batch, loss, learningRate, optimizer) {
            throw RunError(TrainingError.divergenceMessage(
                epoch: epoch, batch: batch, loss: loss, learningRate: learningRate, optimizer: optimizer,
                suggestionPrefix: "--lr "),
                status: ExitStatus.diverged)
        }
        do {
            try interrupt.writing { try outcome.model.write(to: output.output) }
        } catch {
            throw RunError("cannot write \(output.output): \(error)")
        }
        if let stop = outcome.result.interruption {
            let batches = (session.split.train.sampleCount + session.configuration.batchSize - 1) / session.configuration.batchSize
            printError("nnm-train: interrupted in epoch \(stop.epoch) (batch \(stop.batch) of \(batches)): "
                + "wrote \(escapeForDisplay(output.output)), history marked interrupted")
            throw ExitCode(ExitStatus.interrupted)
        }
        let summary = RunSummary(
            output: output.output, recipe: session.recipe, split: session.split, model: outcome.model.network,
            configuration: session.configuration, result: outcome.result, report: outcome.report, seconds: outcome.seconds)
        if output.json {
            print(try summary.json())
        } else if !output.quiet {
            let width = Terminal.standardOutputIsTerminal ? Terminal.usableWidth(of: 1) : nil
            print(TrainingRun.onStandardOutput(summary.body(width: width)).joined(separator: "\n"))
        }
    }

    /// Summary lines as written to stdout: unchanged when piped, broken after commas on a
    /// terminal narrower than a line.
    static func onStandardOutput(_ lines: [String]) -> [String] {
        guard Terminal.standardOutputIsTerminal else { return lines }
        let width = Terminal.usableWidth(of: 1)
        return lines.flatMap { SummaryWrapping.wrap($0, width: width) }
    }

    /// Says what trains before the first epoch, and the session's warnings, and returns the
    /// progress display (nil when standard error is not a terminal). `--quiet` silences all of
    /// it. The header is the first lines of the text summary on stdout (so piped stdout reads
    /// as one summary, as before); when that summary is not on the screen (`--json`, or stdout
    /// redirected), the progress display shows the header on stderr as well.
    private func showHeader(of session: TrainingSession) -> ProgressLine? {
        guard !output.quiet else { return nil }
        let header = RunSummary.header(recipe: session.recipe, split: session.split, network: session.initialNetwork)
        if !output.json {
            print(TrainingRun.onStandardOutput(header).joined(separator: "\n"))
            fflush(nil)  // before the progress line on stderr
        }
        let onScreen = Terminal.standardErrorIsTerminal
        if onScreen, output.json || !Terminal.standardOutputIsTerminal {
            let width = Terminal.usableWidth(of: 2)
            for line in header.flatMap({ SummaryWrapping.wrap($0, width: width) }) { printError(line) }
        }
        for warning in session.warnings { printError("nnm-train: warning: \(warning)") }
        return onScreen ? ProgressLine(epochs: session.configuration.epochs) : nil
    }

    /// The flags as library settings (a resumed model loaded and checked first).
    func settings() throws -> TrainingSettings {
        var settings = TrainingSettings()
        settings.dataset = data.dataset
        settings.dataOptions = data.sourceOptions
        settings.seed = data.seed
        settings.validationFraction = data.validationSplit
        settings.testFraction = data.testSplit
        settings.network = network.choice
        settings.initializer = network.initializer
        settings.loss = training.loss
        settings.optimizer = training.optimizer
        settings.learningRate = training.lr
        settings.schedule = training.learningRateSchedule
        settings.momentum = training.momentum
        settings.weightDecay = training.weightDecay
        settings.epochs = training.epochs
        settings.batchSize = training.batchSize
        settings.patience = training.patience
        settings.resume = try output.resume.map { path in
            do {
                return try NNMModel(contentsOf: path)
            } catch let error as ModelLoadError {
                throw RunError("cannot resume from \(escapeForDisplay(path)): \(error.detail)")
            }
        }
        return settings
    }

    /// A session's refusal, said with the flags that would change it.
    func reworded(_ error: TrainingSessionError) -> RunError {
        let resumed = escapeForDisplay(output.resume ?? "")
        switch error {
        case .resumedModelHasNoDataset:
            return .usage("the resumed model records no dataset: pass --dataset")
        case .dataChangeNeedsDataset:
            return .usage("to change the data of a resumed model, pass --dataset with the new parameters")
        case .networkFixedByResume:
            return .usage(TrainingRun.networkFixedMessage)
        case let .resumedSectionDamaged(section, offset):
            return RunError("cannot resume from \(resumed): its \(section) section at offset \(offset) is damaged, "
                + "so \(TrainingSessionError.lost(section)) would be lost; check it with nnm-inspect --verify \(resumed)")
        case let .recordedDataUnavailable(dataError, kind):
            if case .fileChanged = dataError {
                return RunError("\(dataError); to continue on the original data give it with --dataset \(kind.datasetSyntax), "
                    + "or pass the changed file the same way to train on it")
            }
            return RunError("\(dataError) (the path recorded in \(resumed), relative to where it was trained); "
                + "give the data's place with --dataset \(kind.datasetSyntax) and the same --label-column/--header")
        case .patienceNeedsValidation:
            return .usage("--patience needs validation data to watch: use a --val-split above 0")
        case .momentumUnused(let optimizer):
            return .usage(TrainingRun.momentumMessage(optimizer))
        case let .batchTooLarge(rows, widths, gibibytes):
            return .usage("a batch of \(rows) samples through layers \(widths.map(String.init).joined(separator: "-")) "
                + "would need \(Format.fixed(gibibytes, 1)) GiB of activations, gradients and inputs (at most 4 GiB): use a smaller --batch-size or narrower layers")
        case let .historyTooLong(previous, epochs, maximum):
            return RunError("the model already has \(previous) epochs of history; with --epochs \(epochs) it would hold "
                + "\(previous + epochs), more than the \(maximum) one .nnm file can store: use at most --epochs \(max(0, maximum - previous))")
        }
    }

    static let networkFixedMessage = "--resume continues a saved network: --layers, --hidden and --activation cannot change it"

    static func momentumMessage(_ optimizer: OptimizerKind) -> String {
        "--momentum is used only by --optimizer momentum or nesterov; the optimizer is \(optimizer.rawValue)"
    }

    /// Fails before any training when the output cannot be written (``OutputSafety``).
    func checkOutputDirectory() throws {
        try OutputSafety.check(output.output, force: output.force)
    }
}

/// An error of the command itself (flags that contradict each other, files it cannot use),
/// with the exit status it ends the run with (``ExitStatus``).
struct RunError: Error, CustomStringConvertible {
    let description: String
    let status: Int32
    init(_ description: String, status: Int32 = ExitStatus.fileProblem) {
        self.description = description
        self.status = status
    }

    /// A flag problem found while running: exit 64, as ArgumentParser's own errors.
    static func usage(_ description: String) -> RunError { RunError(description, status: ExitStatus.usage) }
}
