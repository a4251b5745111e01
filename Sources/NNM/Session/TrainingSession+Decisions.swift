import NNMFormat

/// The decisions a session makes from its settings, one function each, in the order `init`
/// takes them: data, split, network, hyperparameters, then the checks that keep a run from
/// failing after its last epoch.
extension TrainingSession {
    /// The recipe and its split. A resumed model's recorded data is read and checked against
    /// its recorded fingerprints; new data files are hashed once, as the split reads them.
    static func recipeAndSplit(_ settings: TrainingSettings) throws -> (DataRecipe, SampleSplit) {
        let recipe = try Self.recipe(settings)
        if settings.trainsOnRecordedData { return (recipe, try Self.recordedSplit(recipe)) }
        return try recipe.makeSampleSplitRecordingFiles()
    }

    /// The data to train on. Without `dataset`, a resumed model continues on its own recipe
    /// (whose seed and split fractions may be overridden, but not its parameters).
    static func recipe(_ settings: TrainingSettings) throws -> DataRecipe {
        if let resume = settings.resume, settings.trainsOnRecordedData {
            guard let stored = resume.datasetRecipe else { throw TrainingSessionError.resumedModelHasNoDataset }
            guard settings.dataOptions == DataSourceOptions() else { throw TrainingSessionError.dataChangeNeedsDataset }
            var recipe = stored
            if let seed = settings.seed { recipe.seed = seed }
            if let fraction = settings.validationFraction { recipe.validationFraction = fraction }
            if let fraction = settings.testFraction { recipe.testFraction = fraction }
            // A data file not at its recorded path is looked for beside the resumed model.
            let typed = try DataRecipe(recipe)
            return resume.filePath.map(typed.locatingFiles(besideModelAt:)) ?? typed
        }
        let source = try DataSource(settings.dataset ?? TrainingSettings.defaultDataset, options: settings.dataOptions,
                                    fingerprints: .atFirstRead)
        // A resumed model given its data anew (`--dataset`: moved, or other data) keeps the seed
        // and split it recorded unless told otherwise: rows it held out for its test figures
        // stay held out, not trained on.
        let resumed = settings.resume?.datasetRecipe
        let recipe = DataRecipe(
            source: source,
            seed: settings.seed ?? resumed?.seed ?? TrainingSettings.defaultSeed,
            validationFraction: settings.validationFraction ?? resumed?.validationFraction
                ?? DataRecipe.defaultValidationFraction,
            testFraction: settings.testFraction ?? resumed?.testFraction ?? DataRecipe.defaultTestFraction)
        try recipe.validate()
        return recipe
    }

    /// A resumed model's recorded data, split. A data file that cannot be read (a relative path
    /// from another directory, a moved or changed file) is reported as such.
    static func recordedSplit(_ recipe: DataRecipe) throws -> SampleSplit {
        do {
            return try recipe.makeSampleSplit()
        } catch let error as DataError {
            switch error {
            case .unreadableFile, .fileChanged:
                throw TrainingSessionError.recordedDataUnavailable(error, source: recipe.source.kind)
            default:
                throw error
            }
        }
    }

    /// The network: the resumed model's, or a new one initialized from the recipe's seed. Data
    /// read from files holds raw features of any scale, so a new network for it starts with a
    /// ``Standardize`` layer (fitted on the training split) and the saved model takes raw inputs.
    static func network(_ settings: TrainingSettings, recipe: DataRecipe, split: SampleSplit) throws -> Sequential {
        let features = split.train.featureCount
        if let resume = settings.resume {
            guard settings.network == nil else { throw TrainingSessionError.networkFixedByResume }
            guard resume.inputCount == features else {
                throw ModelError.inputWidthMismatch(expected: resume.inputCount, found: features)
            }
            return resume.network
        }
        let standardizes = recipe.source.readsFiles
        var network: Sequential
        switch settings.network ?? .classifier(hidden: TrainingSettings.defaultHidden, activation: .relu) {
        case .layers(let spec):
            let startsStandardized = spec.lowercased().filter { $0 != " " }.hasPrefix("standardize")
            let compact = spec.lowercased().filter { $0 != " " }
            // A regression network predicts in the target's units through a final rescale.
            let rescaled = split.train.isRegression && !compact.hasSuffix("rescale") ? spec + ",rescale" : spec
            network = try Architecture.network(
                spec: standardizes && !startsStandardized ? "standardize," + rescaled : rescaled, inputCount: features)
        case let .classifier(hidden, activation) where split.train.isRegression:
            network = try Architecture.regressor(
                inputCount: features, hidden: hidden, activation: activation, standardizes: standardizes)
        case let .classifier(hidden, activation):
            network = try Architecture.classifier(
                inputCount: features, hidden: hidden, activation: activation, classCount: split.train.classCount,
                standardizes: standardizes)
        }
        network.initializeParameters(seed: recipe.seed, initializer: settings.initializer)
        return network
    }

    /// The hyperparameters: NNM's defaults (cosine schedule), or the resumed model's recorded
    /// ones, with every setting given laid over them. Changing the optimizer without a learning
    /// rate takes the new optimizer's default rate.
    /// `stopsEarlyByDefault`: a new regression run with validation data stops early
    /// (``TrainingSettings/defaultRegressionPatience``) unless `patience` is given.
    static func configuration(
        _ settings: TrainingSettings, seed: UInt64, stopsEarlyByDefault: Bool = false
    ) throws -> TrainingConfiguration {
        var defaults = TrainingConfiguration()
        defaults.schedule = TrainingSettings.defaultSchedule
        defaults.keepsBestWeights = TrainingSettings.defaultKeepsBestWeights
        if stopsEarlyByDefault, settings.resume == nil { defaults.patience = TrainingSettings.defaultRegressionPatience }
        var configuration = settings.resume.map { TrainingConfiguration(metadata: $0.metadata, defaults: defaults) } ?? defaults
        configuration.seed = seed
        if let loss = settings.loss { configuration.loss = loss }
        if let optimizer = settings.optimizer {
            if optimizer != configuration.optimizer, settings.learningRate == nil { configuration.learningRate = nil }
            configuration.optimizer = optimizer
        }
        if let rate = settings.learningRate { configuration.learningRate = rate }
        if let schedule = settings.schedule { configuration.schedule = schedule }
        if settings.momentum != nil, configuration.optimizer != .momentum, configuration.optimizer != .nesterov {
            throw TrainingSessionError.momentumUnused(optimizer: configuration.optimizer)
        }
        if let momentum = settings.momentum { configuration.momentum = momentum }
        if let weightDecay = settings.weightDecay { configuration.weightDecay = weightDecay }
        if let epochs = settings.epochs { configuration.epochs = epochs }
        if let batchSize = settings.batchSize { configuration.batchSize = batchSize }
        if let patience = settings.patience { configuration.patience = patience == 0 ? nil : patience }
        if let keep = settings.keepsBestWeights { configuration.keepsBestWeights = keep }
        configuration.snapshotCount = settings.snapshots
        // A resumed plan not yet finished (a run stopped with --stop-after or Ctrl-C) runs
        // to its end unless told otherwise.
        if settings.epochs == nil, let state = settings.resume?.trainingState, state.planEpochsDone < state.planEpochs {
            configuration.epochs = Int(state.planEpochs - state.planEpochsDone)
        }
        if let stop = settings.stopAfterEpochs {
            guard stop >= 1, stop <= configuration.epochs else {
                throw TrainingError.invalidSetting("stop-after must be between 1 and the epochs (\(configuration.epochs)), got \(stop)")
            }
            configuration.scheduledEpochs = configuration.epochs
            configuration.epochs = stop
        }
        try configuration.validate()
        return configuration
    }

    /// The epoch whose weights a resumed file holds: `train.best_epoch` when it was saved with
    /// early stopping (its weights are that epoch's, not the last one's), else its last epoch.
    static func keptEpoch(of resumed: NNMModel?) -> Int? {
        guard case .int(let epoch)? = resumed?.metadata[MetadataKey.bestEpoch] else { return nil }
        return Int(exactly: epoch)
    }

    /// Throws when the reader dropped a damaged `meta`, `hist` or `rcpe` section: resuming
    /// would silently fall back to default hyperparameters, lose the history or the recipe.
    static func checkNothingDropped(_ resume: NNMModel) throws {
        for warning in resume.warnings {
            // Snapshots are never carried into a resumed run, so losing them loses nothing.
            guard case let .droppedDamagedSection(type, offset, _) = warning, type != .weightSnapshots else { continue }
            throw TrainingSessionError.resumedSectionDamaged(section: type, offset: offset)
        }
    }

    /// Most floats the activations and gradients of one batch may take (1 Gi floats = 4 GiB):
    /// a large batch through wide layers must be refused, not attempted.
    public static let maximumBatchFloats = 1 << 30

    /// Throws when one training batch (or an evaluation batch of 256 rows, whichever is
    /// larger) through `network` would need more than ``maximumBatchFloats`` floats: its
    /// activations and gradients, and the next batch's inputs being read ahead.
    static func checkBatchFits(_ network: Sequential, batchSize: Int) throws {
        let rows = max(batchSize, Trainer.evaluationBatchSize)
        let needed = network.activationCount(batchSize: rows)
        let (readAhead, overflow) = rows.multipliedReportingOverflow(by: network.inputCount)
        guard !overflow, needed <= (maximumBatchFloats - readAhead) / 2 else {
            let gibibytes = (Double(needed) * 2 + Double(readAhead)) * 4 / Double(1 << 30)
            throw TrainingSessionError.batchTooLarge(rows: rows, widths: network.widths, gibibytes: gibibytes)
        }
    }

    /// Most epochs one file's history can hold: the history's float32 series in a table section
    /// of at most `FormatLimits.maxTablePayload` bytes, less room for the series names.
    /// (A classifier's four series; ``maximumHistoryEpochs(for:)`` for either task.)
    public static let maximumHistoryEpochs = maximumHistoryEpochs(for: .classification)

    /// Most epochs one file's history can hold for a run of `task` (its recorded series).
    public static func maximumHistoryEpochs(for task: LearningTask) -> Int {
        let seriesCount = UInt64(HistorySeriesName.recorded(for: task).count)
        return Int(min(FormatLimits.maxHistoryEpochs,
                       (FormatLimits.maxTablePayload - 8 - seriesCount * (2 + FormatLimits.maxNameBytes)) / (seriesCount * 4)))
    }

    /// Throws when the history after this run could not be saved: a resumed run would
    /// otherwise train every epoch and only then fail to write its file.
    static func checkHistoryFits(previousEpochs: Int, epochs: Int, task: LearningTask = .classification) throws {
        let maximum = maximumHistoryEpochs(for: task)
        guard previousEpochs + epochs <= maximum else {
            throw TrainingSessionError.historyTooLong(previousEpochs: previousEpochs, epochs: epochs, maximum: maximum)
        }
    }
}

extension TrainingSettings {
    /// Whether the run continues a resumed model on the data its recipe records (no `dataset`
    /// given): that data is read as it was recorded, checked against its fingerprints.
    var trainsOnRecordedData: Bool { dataset == nil && resume != nil }
}
