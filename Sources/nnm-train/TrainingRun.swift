import ArgumentParser
import Foundation
import NNM

/// One `nnm-train` invocation: flags → data, network and settings → training → file + summary.
struct TrainingRun {
    let output: OutputOptions
    let data: DataOptions
    let network: NetworkOptions
    let training: TrainingOptions

    static let defaultSeed: UInt64 = 42
    static let defaultDataset = "circles"
    static let defaultHidden = [16, 16]

    init(output: OutputOptions, data: DataOptions, network: NetworkOptions, training: TrainingOptions) {
        self.output = output
        self.data = data
        self.network = network
        self.training = training
    }

    func execute() throws {
        try checkOutputDirectory()
        let resumed = try output.resume.map { path in
            let file: ModelFile
            // Decode every tensor now, so a damaged blob is reported as a resume problem.
            do { file = try ModelFile(contentsOf: path).decodingAllTensors() } catch {
                throw RunError("cannot resume from \(escapeForDisplay(path)): \(error)")
            }
            try TrainingRun.checkNothingDropped(file, path: path)
            return file
        }
        let recipe = try makeRecipe(resumed: resumed)
        try OutputSafety.checkNotAnInput(output.output, recipe: recipe)
        let split = try TrainingRun.split(recipe, recordedIn: data.dataset == nil ? output.resume : nil)
        guard split.train.sampleCount > 0 else { throw TrainingError.emptyTrainingData }
        var model = try makeNetwork(resumed: resumed, recipe: recipe, split: split)
        let configuration = try makeConfiguration(resumed: resumed, seed: recipe.seed)
        if configuration.patience != nil, split.validation.sampleCount == 0 {
            throw RunError.usage("--patience needs validation data to watch: use a --val-split above 0")
        }
        try TrainingRun.checkBatchFits(model, batchSize: min(configuration.batchSize, split.train.sampleCount))
        try TrainingRun.checkHistoryFits(previousEpochs: resumed?.history?.epochCount ?? 0, epochs: configuration.epochs)

        let progressLine = (!output.quiet && standardErrorIsTerminal) ? ProgressLine() : nil
        let started = ContinuousClock.now
        let result: TrainingResult
        do {
            result = try Trainer(configuration).fit(
                &model, on: split.train, validation: split.validation, continuing: resumed?.history,
                keptEpoch: TrainingRun.keptEpoch(of: resumed),
                progress: progressLine.map { line in { line.update(TrainingRun.view(of: $0)) } })
        } catch let TrainingError.diverged(epoch, batch, loss, learningRate, optimizer) {
            progressLine?.finish()
            throw RunError(TrainingError.divergenceMessage(
                epoch: epoch, batch: batch, loss: loss, learningRate: learningRate, optimizer: optimizer,
                suggestionPrefix: "--lr "),
                status: ExitStatus.diverged)
        } catch {
            progressLine?.finish()
            throw error
        }
        progressLine?.finish()
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18

        let report = try SplitReport(model: model, split: split, plan: result.lossPlan)
        var metadata = configuration.metadata(loss: result.lossPlan.loss)
        for (key, value) in report.metadata { metadata[key] = value }
        metadata[MetadataKey.producer] = .string("nnm-train (\(NNMVersion.producer))")
        metadata[MetadataKey.epochsRun] = .int(Int64(result.history.epochCount))
        if let best = result.bestEpoch { metadata[MetadataKey.bestEpoch] = .int(Int64(best)) }
        if let initializer = network.initializer?.lowercased() { metadata[MetadataKey.initializer] = .string(initializer) }
        else if let resumedInit = resumed?.metadata[MetadataKey.initializer] { metadata[MetadataKey.initializer] = resumedInit }
        // Which class index is which label: the CSV loader's sorted names (nothing for generators).
        if let names = split.train.classNames {
            for (key, value) in ModelFile.classNameMetadata(names) { metadata[key] = value }
        }
        let file = model.modelFile(metadata: metadata, history: result.history, dataset: recipe)
        do {
            try file.write(to: output.output)
        } catch {
            throw RunError("cannot write \(output.output): \(error)")
        }
        let summary = RunSummary(
            output: output.output, recipe: recipe, split: split, model: model, configuration: configuration,
            result: result, report: report, seconds: seconds)
        print(output.json ? try summary.json() : summary.text())
    }

    /// Fails before any training when the output cannot be written (``OutputSafety``).
    func checkOutputDirectory() throws {
        try OutputSafety.check(output.output, force: output.force)
    }

    /// Throws when the reader dropped a damaged `meta`, `hist` or `rcpe` section: resuming
    /// would silently fall back to default hyperparameters, lose the history or the recipe.
    static func checkNothingDropped(_ file: ModelFile, path: String) throws {
        for warning in file.readInfo?.warnings ?? [] {
            guard case let .droppedDamagedSection(type, offset, _) = warning else { continue }
            let lost = switch type {
            case .metadata: "its hyperparameters"
            case .history: "its training history"
            case .recipe: "its dataset recipe"
            case .layers, .tensors, .weights, .tail, .other: "part of it"
            }
            throw RunError("cannot resume from \(escapeForDisplay(path)): its \(type) section at offset \(offset) is damaged, "
                + "so \(lost) would be lost; check it with nnm-inspect --verify \(escapeForDisplay(path))")
        }
    }

    // MARK: - Data

    func makeRecipe(resumed: ModelFile?) throws -> DatasetRecipe {
        let dataFlagsGiven = data.samples != nil || data.noise != nil || data.factor != nil
            || data.classes != nil || data.centers != nil || data.spread != nil
            || data.labelColumn != nil || data.header != nil
        if let resumed, data.dataset == nil {
            guard var recipe = resumed.dataset else {
                throw RunError.usage("the resumed model records no dataset: pass --dataset")
            }
            if dataFlagsGiven {
                throw RunError.usage("to change the data of a resumed model, pass --dataset with the new parameters")
            }
            if let seed = data.seed { recipe.seed = seed }
            if let fraction = data.validationSplit { recipe.validationFraction = fraction }
            if let fraction = data.testSplit { recipe.testFraction = fraction }
            try recipe.validate()
            return recipe
        }
        var header: CSVHeaderMode?
        if let text = data.header {
            guard let mode = CSVHeaderMode(rawValue: text.lowercased()) else {
                throw RunError.usage("--header must be auto, present or absent, got '\(text)'")
            }
            header = mode
        }
        do {
            return try DatasetRecipe.parse(
                data.dataset ?? TrainingRun.defaultDataset, samples: data.samples, noise: data.noise,
                factor: data.factor, classes: data.classes, centers: data.centers, spread: data.spread,
                labelColumn: data.labelColumn, header: header,
                seed: data.seed ?? resumed?.dataset?.seed ?? TrainingRun.defaultSeed,
                validationFraction: data.validationSplit ?? DatasetRecipe.defaultValidationFraction,
                testFraction: data.testSplit ?? DatasetRecipe.defaultTestFraction)
        } catch let error as DataError {
            throw DataFlagNames.naming(error)
        }
    }

    /// The recipe's split. When the recipe comes from a resumed model, a data file that cannot
    /// be read is usually a relative path from another working directory (or a moved file):
    /// the error says how to give its place.
    static func split(_ recipe: DatasetRecipe, recordedIn resumed: String?) throws -> SampleSplit {
        do {
            return try recipe.makeSampleSplit()
        } catch let error as DataError {
            guard let resumed else { throw error }
            let kind = recipe.generator == "idx" ? "idx:IMAGES,LABELS" : "csv:PATH"
            switch error {
            case .unreadableFile:
                throw RunError("\(error) (the path recorded in \(escapeForDisplay(resumed)), relative to where it was trained); "
                    + "give the data's place with --dataset \(kind) and the same --label-column/--header")
            case .fileChanged:
                throw RunError("\(error); to continue on the original data give it with --dataset \(kind), "
                    + "or pass the changed file the same way to train on it")
            default:
                throw error
            }
        }
    }

    // MARK: - Network

    func makeNetwork(resumed: ModelFile?, recipe: DatasetRecipe, split: SampleSplit) throws -> Sequential {
        let features = split.train.featureCount
        if let resumed {
            let model = try Sequential(file: resumed)
            guard model.inputCount == features else {
                throw ModelError.inputWidthMismatch(expected: model.inputCount, found: features)
            }
            return model
        }
        // Files hold raw features of any scale; a first Standardize layer (fitted on the
        // training split) makes the saved model take them as they are.
        let standardizes = recipe.generator == "csv" || recipe.generator == "idx"
        var model: Sequential
        if let spec = network.layers {
            let startsStandardized = spec.lowercased().filter { $0 != " " }.hasPrefix("standardize")
            model = try Architecture.network(
                spec: standardizes && !startsStandardized ? "standardize," + spec : spec, inputCount: features)
        } else {
            model = try Architecture.classifier(
                inputCount: features, hidden: try network.hiddenWidths() ?? TrainingRun.defaultHidden,
                activation: network.activation?.lowercased() ?? "relu", classCount: split.train.classCount,
                standardizes: standardizes)
        }
        model.initializeParameters(
            seed: recipe.seed, initializer: network.initializer.flatMap { WeightInitializer(rawValue: $0.lowercased()) })
        return model
    }

    /// Most floats the activations and gradients of one batch may take (1 Gi floats = 4 GiB):
    /// a large `--batch-size` through wide layers must be refused, not attempted.
    static let maximumBatchFloats = 1 << 30

    /// Throws when one training batch (or an evaluation batch of 256 rows, whichever is
    /// larger) through `model` would need more than ``maximumBatchFloats`` floats: its
    /// activations and gradients, and the next batch's inputs being read ahead.
    static func checkBatchFits(_ model: Sequential, batchSize: Int) throws {
        let rows = max(batchSize, 256)
        let needed = model.activationCount(batchSize: rows)
        let (readAhead, overflow) = rows.multipliedReportingOverflow(by: model.inputCount)
        guard !overflow, needed <= (maximumBatchFloats - readAhead) / 2 else {
            let gib = (Double(needed) * 2 + Double(readAhead)) * 4 / Double(1 << 30)
            throw RunError.usage("a batch of \(rows) samples through layers \(model.widths.map(String.init).joined(separator: "-")) "
                + "would need \(Format.fixed(gib, 1)) GiB of activations, gradients and inputs (at most 4 GiB): use a smaller --batch-size or narrower layers")
        }
    }

    /// The epoch whose weights a resumed file holds: `train.best_epoch` when it was saved with
    /// early stopping (its weights are that epoch's, not the last one's), else its last epoch.
    static func keptEpoch(of resumed: ModelFile?) -> Int? {
        guard case .int(let epoch)? = resumed?.metadata[MetadataKey.bestEpoch] else { return nil }
        return Int(exactly: epoch)
    }

    /// Most epochs one file's history can hold: the history is four float32 series (train
    /// and validation loss and accuracy) in a table section of at most
    /// `FormatLimits.maxTablePayload` bytes, less room for the series names.
    static let maximumHistoryEpochs = Int(
        min(FormatLimits.maxHistoryEpochs,
            (FormatLimits.maxTablePayload - 8 - 4 * (2 + FormatLimits.maxNameBytes)) / (4 * 4)))

    /// Throws when the history after this run could not be saved: a resumed run would
    /// otherwise train every epoch and only then fail to write its file.
    static func checkHistoryFits(previousEpochs: Int, epochs: Int) throws {
        guard previousEpochs + epochs <= maximumHistoryEpochs else {
            throw RunError("the model already has \(previousEpochs) epochs of history; with --epochs \(epochs) it would hold "
                + "\(previousEpochs + epochs), more than the \(maximumHistoryEpochs) one .nnm file can store: use at most --epochs \(max(0, maximumHistoryEpochs - previousEpochs))")
        }
    }

    // MARK: - Settings

    func makeConfiguration(resumed: ModelFile?, seed: UInt64) throws -> TrainingConfiguration {
        var defaults = TrainingConfiguration()
        defaults.schedule = .cosine
        var configuration = resumed.map { TrainingConfiguration(metadata: $0.metadata, defaults: defaults) } ?? defaults
        configuration.seed = seed
        if let loss = training.loss { configuration.loss = Loss(rawValue: loss.lowercased()) }
        if let name = training.optimizer, let kind = OptimizerKind(rawValue: name.lowercased()) {
            if kind != configuration.optimizer, training.lr == nil { configuration.learningRate = nil }
            configuration.optimizer = kind
        }
        if let lr = training.lr { configuration.learningRate = lr }
        if let name = training.learningRateSchedule, let schedule = LearningRateSchedule(rawValue: name.lowercased()) {
            configuration.schedule = schedule
        }
        try TrainingOptions.checkMomentum(given: training.momentum != nil, optimizer: configuration.optimizer)
        if let momentum = training.momentum { configuration.momentum = momentum }
        if let weightDecay = training.weightDecay { configuration.weightDecay = weightDecay }
        if let epochs = training.epochs { configuration.epochs = epochs }
        if let batchSize = training.batchSize { configuration.batchSize = batchSize }
        if let patience = training.patience { configuration.patience = patience }
        try configuration.validate()
        return configuration
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
