import NNMFormat

/// One training run, decided in full before the first epoch: the data, the network and the
/// hyperparameters that ``TrainingSettings`` (and a resumed model) call for.
///
/// `nnm-train` is a shell over this type, so a library user who trains with the same settings
/// writes the same file:
///
/// ```swift
/// var settings = TrainingSettings()
/// settings.dataset = .moons
/// settings.epochs = 100
/// let outcome = try TrainingSession(settings).run()
/// try outcome.model.write(to: "moons.nnm")
/// ```
///
/// Everything that can be refused is refused by `init`, before any training: settings that
/// contradict each other, a batch too large for memory, a history too long for one file.
public struct TrainingSession: Sendable {
    public let settings: TrainingSettings
    /// The data, typed, with its seed and split fractions (recorded in the saved model).
    public let recipe: DataRecipe
    /// The recipe's train/validation/test parts (IDX images stay on disk and are streamed).
    public let split: SampleSplit
    /// The hyperparameters the run trains with.
    public let configuration: TrainingConfiguration
    /// The network before training: freshly initialized, or the resumed model's.
    public let initialNetwork: Sequential
    /// What the run goes ahead with but should be said first (small data).
    public let warnings: [TrainingWarning]
    /// For a resumed run: what of the file's training state it continues, and what changed.
    public let resumeDecision: ResumeDecision?

    public init(_ settings: TrainingSettings) throws {
        self.settings = settings
        if let resume = settings.resume { try Self.checkNothingDropped(resume) }
        (recipe, split) = try Self.recipeAndSplit(settings)
        guard split.train.sampleCount > 0 else { throw TrainingError.emptyTrainingData }
        // The model records its columns' names and nnm-predict finds a data file's columns by
        // them: two used columns of one name would feed the first one's values to both inputs.
        // A resumed model's own recorded data is read as it was (an older file may repeat one).
        if !settings.trainsOnRecordedData { try Self.checkDistinctColumnNames(split.train) }
        initialNetwork = try Self.network(settings, recipe: recipe, split: split)
        var configuration = try Self.configuration(
            settings, seed: recipe.seed,
            stopsEarlyByDefault: split.train.isRegression && split.validation.sampleCount > 0)
        // Without validation data there is no best epoch: the last weights are kept, and the
        // file does not claim otherwise.
        if split.validation.sampleCount == 0 { configuration.keepsBestWeights = false }
        self.configuration = configuration
        if configuration.patience != nil, split.validation.sampleCount == 0 {
            throw TrainingSessionError.patienceNeedsValidation
        }
        try Self.checkBatchFits(initialNetwork, batchSize: min(configuration.batchSize, split.train.sampleCount))
        try Self.checkSnapshots(settings, network: initialNetwork)
        let batchSize = min(configuration.batchSize, split.train.sampleCount)
        let recipe = self.recipe
        let batchCount = (split.train.sampleCount + batchSize - 1) / batchSize
        resumeDecision = settings.resume.map {
            Self.resumeDecision($0, recipe: recipe, configuration: configuration, batchCount: batchCount)
        }
        let completing = resumeDecision?.continuation?.partialEpoch != nil ? 1 : 0
        try Self.checkHistoryFits(previousEpochs: (settings.resume?.history?.epochCount ?? 0) - completing,
                                  epochs: configuration.epochs,
                                  task: split.train.isRegression ? .regression : .classification)
        warnings = [TrainingWarning.smallData(split: split),
                    TrainingWarning.classesWithoutTrainingSamples(train: split.train)].compactMap { $0 }
    }

    /// Trains, evaluates every part of the split, and returns the model with everything its
    /// file will record. `progress` is called after every batch and at the end of each epoch.
    /// `shouldStop` is asked after every batch (a Ctrl-C flag): when it says stop, the model
    /// so far is evaluated and returned, its history and metadata marking the interruption
    /// (``TrainingResult/interruption``, `train.interrupted_epoch`/`_batch`). It is asked too
    /// while the standardization is fitted, before the first batch: a stop there throws
    /// ``TrainingError/interruptedBeforeTraining`` (nothing was trained, nothing is returned).
    /// - Throws: ``TrainingError/diverged(epoch:batch:loss:learningRate:optimizer:)`` when the
    ///   loss stops being finite, ``TrainingSessionError/nonFiniteParameter(_:)`` when a weight
    ///   or a standardization statistic did although the loss stayed finite (no model is
    ///   returned either way: a model holding NaN or infinity is never saved), or a `DataError`
    ///   when streamed data cannot be read.
    public func run(
        progress: ((TrainingProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil
    ) throws -> TrainingOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        var network = initialNetwork
        let training = split.train
        let result = try Trainer(configuration).fit(
            &network, on: training, validation: split.validation, continuing: settings.resume?.history,
            keptEpoch: Self.keptEpoch(of: settings.resume), from: resumeDecision?.continuation,
            progress: progress, shouldStop: shouldStop)
        let seconds = (clock.now - started).seconds
        if let name = network.firstNonFiniteParameter { throw TrainingSessionError.nonFiniteParameter(name) }
        let report = try SplitReport(model: network, split: split, plan: result.lossPlan,
                                     validation: result.finalValidation)
        var model = NNMModel(
            network: network, metadata: metadata(result: result, report: report), history: result.history,
            recipe: recipe)
        model.trainingState = storedState(result.trainingState)
        model.weightSnapshots = try Self.weightSnapshots(result.snapshots)
        return TrainingOutcome(model: model, result: result, report: report, seconds: seconds)
    }

    /// Refuses data whose used columns (features and label) repeat a header name.
    static func checkDistinctColumnNames(_ data: any SampleSource) throws {
        guard let features = data.featureNames else { return }
        var seen: Set<String> = []
        for name in features + [data.labelName].compactMap({ $0 }) where !seen.insert(name).inserted {
            throw TrainingSessionError.repeatedColumnName(name)
        }
    }

    /// What the saved file's metadata records: the hyperparameters, the evaluation figures, the
    /// producer, the epochs run, the kept epoch, the initializer, the class and feature names.
    func metadata(result: TrainingResult, report: SplitReport) -> [String: MetadataValue] {
        var metadata = configuration.metadata(loss: result.lossPlan.loss)
        for (key, value) in report.metadata { metadata[key] = value }
        metadata[MetadataKey.producer] = .string(settings.producer)
        metadata[MetadataKey.epochsRun] = .int(Int64(result.history.epochCount))
        metadata[MetadataKey.epochs] = .int(Int64(result.plannedEpochs))
        for (key, value) in segmentMetadata() { metadata[key] = value }
        if let best = result.bestEpoch { metadata[MetadataKey.bestEpoch] = .int(Int64(best)) }
        for (key, value) in result.interruption?.metadata ?? [:] { metadata[key] = value }
        if let initializer = settings.initializer {
            metadata[MetadataKey.initializer] = .string(initializer.rawValue)
        } else if let resumed = settings.resume?.metadata[MetadataKey.initializer] {
            metadata[MetadataKey.initializer] = resumed
        }
        // Which class index is which label: the CSV loader's sorted names (nothing for generators).
        if let names = split.train.classNames {
            for (key, value) in ModelFile.classNameMetadata(names) { metadata[key] = value }
        }
        // Which input is which column, and the label column's name: a CSV header's. Only data
        // files have column names; the generators' x1, x2 are not recorded, so their files keep
        // their bytes.
        if recipe.source.readsFiles {
            let featureNames = split.train.featureNames.flatMap { $0.count == initialNetwork.inputCount ? $0 : nil }
            for (key, value) in ModelFile.featureNameMetadata(featureNames ?? [], labelName: split.train.labelName) {
                metadata[key] = value
            }
        }
        return metadata
    }
}

/// What a finished run hands back.
public struct TrainingOutcome: Sendable {
    /// The trained model with its metadata, history and recipe: ready to predict or write.
    public let model: NNMModel
    /// The per-epoch history, the loss used, whether and where early stopping ended the run.
    public let result: TrainingResult
    /// Loss and accuracy on each part of the split, test ROC AUC and confusion matrix.
    public let report: SplitReport
    /// Wall time of the training itself (not the evaluation).
    public let seconds: Double
}
