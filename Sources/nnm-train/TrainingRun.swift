import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        let settings = try settings()
        try OutputSafety.check(output.output, force: output.force, inputs: Self.inputPaths(settings))
        let session: TrainingSession
        do {
            session = try TrainingSession(settings)
        } catch let error as TrainingSessionError {
            throw reworded(error)
        } catch let error as DataError {
            throw DataFlagNames.naming(error)
        }
        if !output.quiet {
            for note in session.recipe.csvNotes(given: data.sourceOptions) { printError("nnm-train: note: \(note)") }
        }

        let progressLine = try showHeader(of: session)
        let interrupt = InterruptRequest()
        let outcome: TrainingOutcome
        do {
            defer { progressLine?.finish() }
            outcome = try session.run(
                progress: progressLine.map { line in
                    { progress in
                        interrupt.trainingStarted()
                        line.update(progress)
                    }
                },
                shouldStop: { interrupt.isRequested })
        } catch let error as TrainingSessionError {
            throw reworded(error)
        } catch TrainingError.interruptedBeforeTraining {
            printError("nnm-train: interrupted before the first batch (while fitting the standardization on "
                + "\(session.split.train.sampleCount) samples): nothing written")
            throw ExitCode(ExitStatus.interrupted)
        } catch let TrainingError.diverged(epoch, batch, loss, learningRate, optimizer) {
            throw RunError(TrainingError.divergenceMessage(
                epoch: epoch, batch: batch, loss: loss, learningRate: learningRate, optimizer: optimizer,
                suggestionPrefix: "--lr "),
                status: ExitStatus.diverged)
        }
        do {
            try interrupt.writing { try outcome.model.write(to: output.output) }
        } catch let error as NNMFormatError {
            guard case .io = error else { throw RunError("cannot write \(escapeForDisplay(output.output)): \(error)") }
            throw RunError("\(error)")  // already "cannot write 'PATH': reason"
        } catch {
            throw RunError("cannot write \(escapeForDisplay(output.output)): \(error)")
        }
        if outcome.result.interruption == nil, !output.quiet, let history = outcome.model.history,
           let warning = OverfitWarning.check(history, keptEpoch: outcome.result.bestEpoch) {
            printError("nnm-train: warning: \(warning)")
        }
        let summary = RunSummary(
            output: output.output, recipe: session.recipe, split: session.split, model: outcome.model.network,
            configuration: session.configuration, result: outcome.result, report: outcome.report, seconds: outcome.seconds)
        do {
            if output.json {
                try printOutput(try summary.json())
            } else if !output.quiet {
                let width = Terminal.standardOutputIsTerminal ? Terminal.usableWidth(of: 1) : nil
                try printOutput(TrainingRun.onStandardOutput(summary.body(width: width)).joined(separator: "\n"))
            }
        } catch let error as StandardOutputError {
            let message = "the model was written to \(escapeForDisplay(output.output)), but the summary was not: \(error)"
            guard outcome.result.interruption != nil else { throw RunError(message) }
            printError("nnm-train: error: \(message)")   // still exit 130, as for any run Ctrl-C stopped
        }
        // After the summary of the model saved, so that the last line says why the exit is 130.
        if let stop = outcome.result.interruption {
            printError("nnm-train: interrupted in epoch \(stop.epoch) (batch \(stop.batch) of \(summary.batchesPerEpoch)): "
                + "wrote \(escapeForDisplay(output.output)), history marked interrupted")
            throw ExitCode(ExitStatus.interrupted)
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
    private func showHeader(of session: TrainingSession) throws -> ProgressLine? {
        guard !output.quiet else { return nil }
        var header = RunSummary.header(recipe: session.recipe, split: session.split, network: session.initialNetwork)
        if let path = output.resume, let decision = session.resumeDecision {
            header.append(RunSummary.labelled("resumed", "\(escapeForDisplay(path)) after \(decision.previousEpochs) epochs: "
                + "\(session.configuration.epochs) more, \(decision.summary)"))
        }
        if !output.json {
            do {
                try printOutput(TrainingRun.onStandardOutput(header).joined(separator: "\n"))
            } catch let error as StandardOutputError {
                throw RunError("\(error)")
            }
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
        settings.keepsBestWeights = training.keepBest ? true : nil
        settings.stopAfterEpochs = training.stopAfter
        settings.savesTrainingState = !output.noOptimizerState
        settings.snapshots = training.snapshots
        settings.resume = try output.resume.map(Self.resumable)
        return settings
    }

    /// The model at `path`, checked in full before a run continues it: every CRC, and (when no
    /// damaged section was dropped, which the session reports in its own words) the content
    /// digest too, so a file whose sections were removed or altered with their CRCs repaired
    /// is refused instead of resumed.
    static func resumable(_ path: String) throws -> NNMModel {
        do {
            let model = try NNMModel(contentsOf: path)
            if model.warnings.isEmpty { _ = try NNMModel(contentsOf: path, verification: .digest) }
            return model
        } catch {
            throw RunError("cannot resume from \(escapeForDisplay(path)): \(error.detail)")
        }
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
        case .repeatedColumnName:
            return RunError("\(error)")
        case .patienceNeedsValidation:
            return .usage("--patience needs validation data to watch: use a --val-split above 0")
        case .momentumUnused(let optimizer):
            return .usage(TrainingRun.momentumMessage(optimizer))
        case let .batchTooLarge(rows, widths, gibibytes):
            return .usage("a batch of \(rows) samples through layers \(widths.map(String.init).joined(separator: "-")) "
                + "would need \(Format.fixed(gibibytes, 1)) GiB of activations, gradients and inputs (at most 4 GiB): use a smaller --batch-size or narrower layers")
        case .nonFiniteParameter:
            return RunError(error.description, status: ExitStatus.diverged)
        case let .historyTooLong(previous, epochs, maximum):
            return RunError("the model already has \(previous) epochs of history; with --epochs \(epochs) it would hold "
                + "\(previous + epochs), more than the \(maximum) one .nnm file can store: use at most --epochs \(max(0, maximum - previous))")
        case let .snapshotCountOutOfRange(requested, maximum):
            return .usage("--snapshots must be between 0 and \(maximum), got \(requested)")
        case let .snapshotsTooLarge(requested, parameters, fitting):
            return .usage("--snapshots \(requested) of a network with \(parameters) parameters would not fit one 16 MiB snap section: "
                + (fitting > 0 ? "use at most --snapshots \(fitting)" : "this network is too large for snapshots"))
        case .snapshotsWithResume:
            return .usage("--snapshots records one run from its first epoch and cannot be used with --resume: train anew with --snapshots")
        }
    }

    static let networkFixedMessage = "--resume continues a saved network: --layers, --hidden and --activation cannot change it"

    static func momentumMessage(_ optimizer: OptimizerKind) -> String {
        "--momentum is used only by --optimizer momentum or nesterov; the optimizer is \(optimizer.rawValue)"
    }

    /// The data files the run will read, known before any is read: the files named by
    /// `--dataset`, else those the resumed model's recipe records.
    static func inputPaths(_ settings: TrainingSettings) -> [String] {
        switch settings.dataset {
        case .csv(let path)?: return [path]
        case let .idx(images, labels)?: return [images, labels]
        case .circles?, .moons?, .xor?, .spiral?, .blobs?, .bits4?: return []
        case nil:
            let recorded = try? settings.resume?.recipe
            return recorded?.source.inputFiles.map(\.path) ?? []
        }
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
