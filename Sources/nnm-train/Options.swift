import ArgumentParser
import NNM

struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Where to write the model (written atomically: a failed run leaves no file). An existing .nnm file is replaced; any other file is refused unless --force; a symlink's target is written.",
        valueName: "file.nnm"))
    var output: String

    @Flag(help: "Replace an existing -o file even if it is not an .nnm model (never a data file this run reads, a device or a FIFO).")
    var force = false

    @Option(help: ArgumentHelp(
        "Continue training a saved model: its network, weights, history, hyperparameters and dataset recipe. --dataset gives the data anew (e.g. a moved file) and keeps the recorded seed and validation/test split unless --seed, --val-split or --test-split say otherwise. --epochs then counts the epochs to add (default: what is left of a run stopped by --stop-after or Ctrl-C, else as many as the model recorded). With nothing changed, the optimizer's state, the schedule and the shuffle continue from the file exactly (train 150 + resume 50 = train 200); with other data or hyperparameters the optimizer's state continues, the schedule starts afresh and the history records a new segment; a file without a saved state (--no-optimizer-state, or NNM before 1.1) starts all afresh.",
        valueName: "file.nnm"))
    var resume: String?

    @Flag(name: .customLong("no-optimizer-state"), help: "Do not save the optimizer's state (its moments: for adam twice the weights' bytes), the schedule and the shuffle in the file. The model is the same; a later --resume then starts the optimizer afresh.")
    var noOptimizerState = false

    @Flag(help: "Print nothing but errors: no header, progress, warnings or summary (with --json, the JSON summary is still printed).")
    var quiet = false

    @Flag(help: "Print the final summary as JSON on stdout (and nothing else on stdout).")
    var json = false
}

struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "circles, moons, xor, spiral, blobs, bits4, csv:PATH or idx:IMAGES,LABELS.", valueName: "name"),
        transform: { try DatasetChoice($0) })
    var dataset: DatasetChoice?

    @Option(parsing: .unconditional, help: "Samples to generate (generators only; default 1000).")
    var samples: Int?

    @Option(parsing: .unconditional, help: "Noise of the generator (circles 0.05, moons 0.1, xor 0.05, spiral 0.02 by default).")
    var noise: Double?

    @Option(parsing: .unconditional, help: "circles: radius of the inner circle relative to the outer (default 0.8).")
    var factor: Double?

    @Option(parsing: .unconditional, help: "spiral: number of arms/classes (default 2).")
    var classes: Int?

    @Option(parsing: .unconditional, help: "blobs: number of centers/classes (default 3).")
    var centers: Int?

    @Option(parsing: .unconditional, help: "blobs: standard deviation of each blob (default 0.2).")
    var spread: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("csv: the label column, by header name or 0-based index (negative counts from the end; default -1).", valueName: "column"))
    var labelColumn: String?

    @Option(help: ArgumentHelp("csv: whether the first row is a header (default auto: decided from the first two rows).", valueName: "mode"))
    var header: CSVHeaderMode?

    @Option(help: ArgumentHelp("csv: the field separator: ',', ';', tab, or auto (default: detected from the first line, with a note when not a comma).", valueName: "sep"),
            transform: DataOptions.delimiter)
    var delimiter: CSVDelimiter??

    @Option(help: ArgumentHelp("csv: the feature columns, comma-separated names or 0-based indices, in this order (default: every column but the label).", valueName: "list"),
            transform: CSVFormat.list)
    var columns: [String]?

    @Option(name: .customLong("drop-columns"), help: ArgumentHelp("csv: columns that are not features (an ID, a date), comma-separated names or indices. Without --columns or --drop-columns, a pandas index column (unnamed, 0, 1, 2, …) is dropped with a note.", valueName: "list"),
            transform: CSVFormat.list)
    var dropColumns: [String]?

    @Option(help: ArgumentHelp("What to learn from the label column: classification, regression, or auto (default: a column of numbers that are not all integers is a regression target; integers with many distinct values are refused until --task says which).", valueName: "task"),
            transform: DataOptions.task)
    var task: LearningTask??

    @Option(name: .customLong("val-split"), parsing: .unconditional, help: "Fraction of samples held out for validation (default 0.1).")
    var validationSplit: Double?

    @Option(name: .customLong("test-split"), parsing: .unconditional, help: "Fraction of samples held out for testing (default 0.2).")
    var testSplit: Double?

    @Option(parsing: .unconditional, help: "Seed for data, split, initial weights and shuffling (default 42).",
            transform: { text in
                guard let seed = UInt64(text) else {
                    throw ValidationError("a seed is a whole number from 0 to \(UInt64.max)")
                }
                return seed
            })
    var seed: UInt64?

    /// The generator parameters and CSV options given (each nil when not).
    var sourceOptions: DataSourceOptions {
        DataSourceOptions(samples: samples, noise: noise, factor: factor, classes: classes, centers: centers,
                          spread: spread, labelColumn: labelColumn, header: header, delimiter: delimiter ?? nil,
                          columns: columns, dropColumns: dropColumns)
            .with(task: task ?? nil)
    }

    /// `--task`: `classification`, `regression`, or `auto` (nil: decided from the labels).
    static func task(_ text: String) throws -> LearningTask? {
        if text.lowercased() == "auto" { return nil }
        guard let task = LearningTask(rawValue: text.lowercased()) else {
            throw ValidationError("'\(text)' is not a task: use classification, regression or auto")
        }
        return task
    }

    /// `--delimiter`: `,` `;` `tab` (or `comma`, `semicolon`), or `auto` (nil: detect).
    static func delimiter(_ text: String) throws -> CSVDelimiter? {
        if text.lowercased() == "auto" { return nil }
        guard let delimiter = CSVDelimiter(spelling: text) else {
            throw ValidationError("'\(text)' is not a separator: use ',', ';', tab or auto")
        }
        return delimiter
    }

    func validate() throws {
        if columns != nil, dropColumns != nil {
            throw ValidationError("--columns names every feature: use it without --drop-columns")
        }
    }
}

struct NetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hidden layer widths, comma-separated, or none (default 16,16).", valueName: "widths"),
            transform: NetworkOptions.widths)
    var hidden: [Int]?

    @Option(help: ArgumentHelp("Activation after each hidden layer: \(HiddenActivation.names) (default relu).", valueName: "name"),
            transform: { text in
                do { return try HiddenActivation(parsing: text) } catch { throw ValidationError("\(error)") }
            })
    var activation: HiddenActivation?

    @Option(help: ArgumentHelp("The full network instead of --hidden, e.g. linear:16,relu,linear:1,sigmoid.", valueName: "spec"))
    var layers: String?

    @Option(name: .customLong("init"), help: ArgumentHelp(
        "Weight initializer (default: he before ReLU, xavier otherwise).", valueName: "name"))
    var initializer: WeightInitializer?

    /// `--hidden`'s widths: `16,16`, or `none` (or nothing) for no hidden layer.
    static func widths(_ text: String) throws -> [Int] {
        let trimmed = text.filter { $0 != " " }
        if trimmed.isEmpty || trimmed == "none" { return [] }
        return try trimmed.split(separator: ",", omittingEmptySubsequences: false).map { part in
            guard let width = Int(part), width >= 1, width <= 65536 else {
                throw ValidationError("'\(part)' is not a width between 1 and 65536 (example: --hidden 16,16)")
            }
            return width
        }
    }

    /// The network the flags ask for; nil when none of them is given (the default classifier).
    var choice: NetworkChoice? {
        if let layers { return .layers(layers) }
        guard hidden != nil || activation != nil else { return nil }
        return .classifier(hidden: hidden ?? TrainingSettings.defaultHidden, activation: activation ?? .relu)
    }

    func validate() throws {
        if layers != nil, hidden != nil || activation != nil {
            throw ValidationError("--layers gives the whole network: use it without --hidden and --activation")
        }
    }
}

struct TrainingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Loss (default: bce after sigmoid, cross-entropy after softmax).", valueName: "name"))
    var loss: Loss?

    @Option(help: ArgumentHelp("Optimizer (default adam).", valueName: "name"))
    var optimizer: OptimizerKind?

    @Option(parsing: .unconditional, help: "Learning rate (default 0.01 for adam, 0.1 for the others).")
    var lr: Float?

    @Option(name: .customLong("lr-schedule"), help: ArgumentHelp(
        "Learning-rate schedule; cosine decays it to 0 over the epochs (default cosine).", valueName: "name"))
    var learningRateSchedule: LearningRateSchedule?

    @Option(parsing: .unconditional, help: "Momentum for momentum and nesterov (default 0.9).")
    var momentum: Float?

    @Option(parsing: .unconditional, help: "L2 weight decay λ on weights, not biases (default 0).")
    var weightDecay: Float?

    @Option(parsing: .unconditional, help: "Passes over the training data (default \(TrainingConfiguration.defaultEpochs)).")
    var epochs: Int?

    @Option(name: .customLong("stop-after"), parsing: .unconditional, help: ArgumentHelp(
        "Plan the run (schedule, train.epochs) for --epochs but stop after this many; --resume later continues it exactly.", valueName: "epochs"))
    var stopAfter: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Record the weights at this many epochs (0 to \(TrainingSettings.maxSnapshots), 0 for none), log-spaced over the planned epochs so the early changes show: always the first and the last (e.g. 8 of 200: 1, 2, 5, 10, 21, 44, 94, 200; a run stopped early records its last epoch). They go in the file's snap section (format 1.1) for 'nnm-render evolution'. Not with --resume.",
        valueName: "n"))
    var snapshots: Int = 0

    @Option(parsing: .unconditional, help: "Samples per gradient step (default \(TrainingConfiguration.defaultBatchSize)).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Stop after this many epochs without a lower validation loss, keeping the best weights; 0 turns it off (default: off for classification, \(TrainingSettings.defaultRegressionPatience) for a new regression run with validation data; a resumed run keeps the file's).")
    var patience: Int?

    @Flag(name: .customLong("keep-best"), help: "Keep the weights of the epoch with the lowest validation loss instead of the last one's (all epochs still run; --patience also stops early). Without it, a warning says when the final validation loss is far above its minimum.")
    var keepBest = false

    @Option(parsing: .unconditional, help: "Most threads one matrix product may use, 1 to 64 (default: NNM_THREADS, else the cores, at most 8). Results do not depend on it.")
    var threads: Int?

    /// `--momentum` with an optimizer that has none (sgd, adam) would be ignored without a
    /// word: refused here when the optimizer is known from the command line (with `--resume`
    /// and no `--optimizer`, the session checks it once the saved optimizer is known).
    func checkMomentumIsUsed(resumed: Bool) throws {
        guard momentum != nil, let kind = optimizer ?? (resumed ? nil : .adam) else { return }
        guard kind != .momentum, kind != .nesterov else { return }
        throw ValidationError(TrainingRun.momentumMessage(kind))
    }

    func validate() throws {
        if epochs == 0 {
            throw ValidationError("--epochs must be at least 1: 0 would save an untrained network")
        }
        if let stopAfter, stopAfter < 1 {
            throw ValidationError("--stop-after must be at least 1, got \(stopAfter)")
        }
        if !(0...TrainingSettings.maxSnapshots).contains(snapshots) {
            throw ValidationError("--snapshots must be between 0 and \(TrainingSettings.maxSnapshots) (one file keeps at most \(TrainingSettings.maxSnapshots)), got \(snapshots)")
        }
        if let threads, !(1...64).contains(threads) {
            throw ValidationError("--threads must be between 1 and 64, got \(threads)")
        }
        // The numeric ranges are checked by TrainingConfiguration.validate(), with the same words.
        var check = TrainingConfiguration()
        if let lr { check.learningRate = lr }
        if let momentum { check.momentum = momentum }
        if let weightDecay { check.weightDecay = weightDecay }
        if let epochs { check.epochs = epochs }
        if let batchSize { check.batchSize = batchSize }
        if let patience, patience < 0 {
            throw ValidationError("--patience must be 0 (off) or more, got \(patience)")
        }
        if let patience, patience > 0 { check.patience = patience }
        do {
            try check.validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

// The library's closed sets of names, taken by flags as they are (any case).
extension Loss: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension OptimizerKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension LearningRateSchedule: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension WeightInitializer: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension CSVHeaderMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
