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
        for note in session.recipe.csvNotes(given: data.sourceOptions) { printError("nnm-train: note: \(note)") }

        let progressLine = (!output.quiet && standardErrorIsTerminal) ? ProgressLine() : nil
        let outcome: TrainingOutcome
        do {
            defer { progressLine?.finish() }
            outcome = try session.run(progress: progressLine.map { line in { line.update(TrainingRun.view(of: $0)) } })
        } catch let error as TrainingSessionError {
            throw reworded(error)
        } catch let TrainingError.diverged(epoch, batch, loss, learningRate, optimizer) {
            throw RunError(TrainingError.divergenceMessage(
                epoch: epoch, batch: batch, loss: loss, learningRate: learningRate, optimizer: optimizer,
                suggestionPrefix: "--lr "),
                status: ExitStatus.diverged)
        }
        do {
            try outcome.model.write(to: output.output)
        } catch {
            throw RunError("cannot write \(output.output): \(error)")
        }
        let summary = RunSummary(
            output: output.output, recipe: session.recipe, split: session.split, model: outcome.model.network,
            configuration: session.configuration, result: outcome.result, report: outcome.report, seconds: outcome.seconds)
        do {
            try printOutput(output.json ? try summary.json() : summary.text())
        } catch let error as StandardOutputError {
            throw RunError("the model was written to \(escapeForDisplay(output.output)), but the summary was not: \(error)")
        }
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

    static func view(of progress: TrainingProgress) -> TrainingProgressView {
        var parts = ["epoch \(progress.epoch)/\(progress.epochs)"]
        if !progress.isEpochEnd { parts.append("batch \(progress.batch)/\(progress.batchCount)") }
        parts.append("loss " + Format.fixed(progress.loss, 4))
        parts.append("acc " + Format.percent(progress.accuracy))
        if let loss = progress.validationLoss, let accuracy = progress.validationAccuracy {
            parts.append("val_loss " + Format.fixed(loss, 4))
            parts.append("val_acc " + Format.percent(accuracy))
        }
        parts.append(Format.rate(progress.samplesPerSecond) + " samples/s")
        parts.append("ETA " + Format.duration(progress.remainingSeconds))
        return TrainingProgressView(text: parts.joined(separator: "  "), isEpochEnd: progress.isEpochEnd)
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
