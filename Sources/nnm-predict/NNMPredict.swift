import ArgumentParser
import NNM
import NNMCommandLine
import NNMFormat

/// `nnm-predict`: runs a saved model on new data and writes its predictions as CSV.
@main
struct NNMPredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnm-predict",
        abstract: "Run a saved .nnm model on data and write its predictions as CSV.",
        discussion: """
            Output: a CSV file with a header and one row per input row, in input order. For a \
            classifier: 'predicted' (the class name when the model records class names, else the \
            class index), then one probability column per class, named after the class. Other \
            models: 'predicted' (one output) or output_0, output_1, …. Numbers are the shortest \
            decimals that read back to the same float32. Without -o (or with -o -) the CSV goes to \
            standard output, so it pipes; -o FILE is written atomically (no partial file on \
            failure) and never replaces an .nnm model or the data file it reads.

            Columns: a model trained on a CSV file with a header records its feature names, and \
            a CSV file with a header is matched to them by name: any order; extra columns are \
            ignored (named in one note on stderr); a missing feature is an error listing what is \
            missing. A file without a header, or a model without feature names, is matched by \
            position: as many columns as the model has inputs, or one more for the label.

            Evaluation: when the data has labels (the label column the model records, idx:, or the \
            model's own test split), or with --evaluate, the figures nnm-train prints follow the \
            predictions: accuracy, per-class precision, recall, F1 and support, the confusion \
            matrix and, for two classes, ROC AUC. They go to standard output when -o FILE is \
            given, else to standard error (the CSV owns standard output); --json prints them as JSON.

            The data is read and predicted a chunk of rows at a time: a CSV file of any size runs \
            in constant memory (with evaluation, about 16 more bytes per row).

            \(PredictExitStatus.helpText)

            Examples:
              nnm-predict iris.nnm --data csv:new-flowers.csv
              nnm-predict iris.nnm --data csv:new-flowers.csv -o predictions.csv
              nnm-predict iris.nnm --data csv:labelled.csv --evaluate --json -o out.csv
              nnm-predict wine.nnm --data csv:wine.csv --delimiter ';'
              nnm-predict digits.nnm --data idx:t10k-images.idx,t10k-labels.idx
              nnm-predict circles.nnm -o /tmp/test.csv      (the model's own test split)
            """,
        version: NNMVersion.string)

    @Argument(help: ArgumentHelp("The model to run.", valueName: "model.nnm"))
    var model: String

    @Option(help: ArgumentHelp(
        "The data: csv:PATH or idx:IMAGES,LABELS (default: the test split of the model's own dataset recipe).",
        valueName: "source"), transform: { try DatasetChoice($0) })
    var data: DatasetChoice?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Where to write the predictions: a CSV file (written atomically; an earlier nnm-predict output is replaced, any other existing file only with --force, an .nnm model never), or - for standard output.",
        valueName: "file.csv"))
    var output = "-"

    @Flag(help: "Replace an existing -o file that is not an earlier nnm-predict output (never an .nnm model or a file this run reads).")
    var force = false

    @Flag(help: "Print the evaluation (and what was matched) as JSON.")
    var json = false

    @Flag(help: "Evaluate the predictions against the labels; an error when the data has none (by default, evaluated whenever it has them).")
    var evaluate = false

    @Option(help: ArgumentHelp("csv: the field separator: ',', ';', tab, or auto (detected from the first line).", valueName: "sep"))
    var delimiter = "auto"

    @Option(help: ArgumentHelp("csv: whether the first row is a header: auto (a header when it holds the model's feature names, or by nnm-train's rule), present or absent.", valueName: "mode"))
    var header = CSVHeaderMode.auto

    /// The `--delimiter` value as a separator; nil detects it.
    func separator() throws -> CSVDelimiter? {
        if delimiter.lowercased() == "auto" { return nil }
        guard let separator = CSVDelimiter(spelling: delimiter) else {
            throw ValidationError("'\(delimiter)' is not a separator: use ',', ';', tab or auto")
        }
        return separator
    }

    func validate() throws {
        _ = try separator()
        switch data {
        case .csv?, .idx?, nil: break
        case .circles?, .moons?, .xor?, .spiral?, .blobs?, .bits4?:
            throw ValidationError("--data takes csv:PATH or idx:IMAGES,LABELS (without --data: the model's own test split)")
        }
        if data != nil, case .idx? = data, delimiter != "auto" || header != .auto {
            throw ValidationError("--delimiter and --header apply to csv: data only")
        }
    }

    static func main() {
        mainWithOneLineErrors(toolName: "nnm-predict")
    }

    func run() throws {
        do {
            try PredictionRun(command: self, separator: try separator()).execute()
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("nnm-predict: error: \(error)")
            throw ExitCode(PredictExitStatus.of(error))
        }
    }
}

extension CSVHeaderMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
