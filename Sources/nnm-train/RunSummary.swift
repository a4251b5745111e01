import NNMFormat
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNM
import NNMFormat

/// The final summary `nnm-train` prints: as text for people, or as JSON with `--json`.
struct RunSummary {
    let output: String
    let recipe: DataRecipe
    let split: SampleSplit
    let model: Sequential
    let configuration: TrainingConfiguration
    let result: TrainingResult
    let report: SplitReport
    let seconds: Double

    /// The whole summary: ``header(recipe:split:network:)`` then ``body(width:)``.
    func text(width: Int? = nil) -> String {
        (RunSummary.header(recipe: recipe, split: split, network: model) + body(width: width)).joined(separator: "\n")
    }

    /// What the run trains: printed before the first epoch, so the screen says it during the run.
    static func header(recipe: DataRecipe, split: SampleSplit, network: Sequential) -> [String] {
        [
            labelled("dataset", recipe.summary),
            labelled("data", dataShape(recipe: recipe, split: split)),
            labelled("split", "train \(split.train.sampleCount), validation \(split.validation.sampleCount), test \(split.test.sampleCount)"),
            labelled("network", "\(Architecture.spec(of: network)) (\(network.parameterCount) parameters)"),
        ]
    }

    /// Batches in one epoch over the training part.
    var batchesPerEpoch: Int {
        (split.train.sampleCount + max(configuration.batchSize, 1) - 1) / max(configuration.batchSize, 1)
    }

    static func labelled(_ label: String, _ value: String) -> String {
        let shown = label.prefix(10)   // labels are short words: padded to a 10-column gutter
        return shown + String(repeating: " ", count: 10 - shown.count) + value
    }

    /// How the run went, after the header. `width`: the terminal's, to fold the confusion
    /// matrix to; nil when the output is not a terminal (nothing folded).
    func body(width: Int?) -> [String] {
        var lines: [String] = []
        func add(_ label: String, _ value: String) { lines.append(RunSummary.labelled(label, value)) }
        var run = "\(configuration.optimizer.rawValue), lr \(configuration.effectiveLearningRate), batch \(configuration.batchSize), loss \(result.lossPlan.loss.rawValue), \(Format.count(result.epochsRun, "epoch")) in \(Format.elapsed(seconds))"
        if let stop = result.interruption {
            run += " (interrupted by Ctrl-C in epoch \(stop.epoch), after batch \(stop.batch) of \(batchesPerEpoch))"
        } else if result.stoppedEarly, let best = result.bestEpoch {
            run += " (stopped early; kept epoch \(best))"
        } else if let best = result.bestEpoch, best != result.history.epochCount {
            // The default keeps the best validation epoch: say when that is not the last one.
            run += " (kept epoch \(best), the lowest validation loss)"
        }
        add("training", run)
        func row(_ pick: (Evaluation) -> Double, _ format: (Double) -> String) -> String {
            var cells = ["train " + format(pick(report.train))]
            if let validation = report.validation { cells.append("validation " + format(pick(validation))) }
            if let test = report.test { cells.append("test " + format(pick(test))) }
            return cells.joined(separator: "  ")
        }
        add("loss", row(\.loss, MetricText.loss))
        if report.isRegression {
            // Errors in the target's units; the loss above is on standardized targets.
            add("R²", row({ $0.regression?.r2 ?? .nan }, MetricText.r2))
            add("RMSE", row({ $0.regression?.rootMeanSquaredError ?? .nan }, MetricText.loss))
            add("MAE", row({ $0.regression?.meanAbsoluteError ?? .nan }, MetricText.loss))
            add("MSE", row({ $0.regression?.meanSquaredError ?? .nan }, MetricText.loss))
        } else {
            add("accuracy", row(\.accuracy, MetricText.accuracy))
        }
        if let auc = report.testROCAUC { add("ROC AUC", "test " + Format.fixed(auc, 4)) }
        if let confusion = report.testConfusion, confusion.classCount <= 12 {
            lines.append("confusion matrix (test):")
            lines += confusion.lines(width: width.map { $0 - 2 }).map { "  " + $0 }
        }
        add("wrote", escapeForDisplay(output))
        return lines
    }

    /// "4 features, 3 classes, label column 'species'" (the label column for files only).
    /// Features, classes and (for a CSV) the label column, as the summary's `data` line says them.
    static func dataShape(recipe: DataRecipe, split: SampleSplit) -> String {
        var shape = "\(Format.count(split.train.featureCount, "feature")), " + (split.train.isRegression
            ? "regression target" : "\(split.train.classCount) class\(split.train.classCount == 1 ? "" : "es")")
        if case let .csv(_, labelColumn, _, _) = recipe.source {
            shape += ", label column '\(escapeForDisplay(split.train.labelName ?? labelColumn))'"
        }
        return shape
    }

    /// Where Ctrl-C stopped the run: after batch `batch` of `batches` in epoch `epoch`.
    struct Interrupted: Encodable {
        var epoch: Int
        var batch: Int
        var batches: Int
    }

    /// One part's figures: loss and accuracy, or for regression loss (on standardized
    /// targets), `mse`, `rmse`, `mae` and `r2` in the target's units (no `accuracy`).
    struct Part: Encodable {
        var samples: Int
        var loss: Double
        var accuracy: Double?
        var mse: Double?
        var rmse: Double?
        var mae: Double?
        var r2: Double?
    }

    struct Payload: Encodable {
        var output: String
        var dataset: String
        var datasetSummary: String
        var network: String
        var parameters: Int
        var optimizer: String
        var learningRate: Double
        var batchSize: Int
        var loss: String
        var epochsRun: Int
        var stoppedEarly: Bool
        var bestEpoch: Int?
        var interrupted: Interrupted?
        var train: Part
        var validation: Part?
        var test: Part?
        var testROCAUC: Double?
        var testConfusion: [[Int]]?
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case output, dataset, network, parameters, optimizer, loss, train, validation, test, seconds
            case datasetSummary = "dataset_summary", learningRate = "learning_rate", batchSize = "batch_size"
            case epochsRun = "epochs_run", stoppedEarly = "stopped_early", bestEpoch = "best_epoch", interrupted
            case testROCAUC = "test_roc_auc", testConfusion = "test_confusion"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(output, forKey: .output)
            try container.encode(dataset, forKey: .dataset)
            try container.encode(datasetSummary, forKey: .datasetSummary)
            try container.encode(network, forKey: .network)
            try container.encode(parameters, forKey: .parameters)
            try container.encode(optimizer, forKey: .optimizer)
            try container.encode(learningRate, forKey: .learningRate)
            try container.encode(batchSize, forKey: .batchSize)
            try container.encode(loss, forKey: .loss)
            try container.encode(epochsRun, forKey: .epochsRun)
            try container.encode(stoppedEarly, forKey: .stoppedEarly)
            try container.encode(bestEpoch, forKey: .bestEpoch)  // null when absent
            try container.encode(interrupted, forKey: .interrupted)  // null unless Ctrl-C stopped the run
            try container.encode(train, forKey: .train)
            try container.encode(validation, forKey: .validation)
            try container.encode(test, forKey: .test)
            try container.encode(testROCAUC, forKey: .testROCAUC)
            try container.encode(testConfusion, forKey: .testConfusion)
            try container.encode(seconds, forKey: .seconds)
        }
    }

    func json() throws -> String {
        func part(_ evaluation: Evaluation) -> Part {
            guard let metrics = evaluation.regression else {
                return Part(samples: evaluation.sampleCount, loss: evaluation.loss, accuracy: evaluation.accuracy)
            }
            return Part(samples: evaluation.sampleCount, loss: evaluation.loss, mse: metrics.meanSquaredError,
                        rmse: metrics.rootMeanSquaredError, mae: metrics.meanAbsoluteError, r2: metrics.r2)
        }
        let payload = Payload(
            output: output, dataset: recipe.source.kind.rawValue, datasetSummary: recipe.summary,
            network: Architecture.spec(of: model), parameters: model.parameterCount,
            optimizer: configuration.optimizer.rawValue,
            learningRate: configuration.effectiveLearningRate.shortestDouble, batchSize: configuration.batchSize,
            loss: result.lossPlan.loss.rawValue, epochsRun: result.epochsRun, stoppedEarly: result.stoppedEarly,
            bestEpoch: result.bestEpoch,
            interrupted: result.interruption.map { Interrupted(epoch: $0.epoch, batch: $0.batch, batches: batchesPerEpoch) },
            train: part(report.train),
            validation: report.validation.map(part), test: report.test.map(part), testROCAUC: report.testROCAUC,
            testConfusion: report.testConfusion?.counts, seconds: seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The same strings as nnm-inspect's JSON (README), so one script reads both tools.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }
}

/// Number formatting without locale surprises.
enum Format {
    /// "1 epoch", "200 epochs".
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// A run's wall time: milliseconds under a second ("45 ms", not "0.0 s"), else seconds.
    static func elapsed(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 0.001 { return "< 1 ms" }
        if seconds < 1 { return PrintfText.string("%.0f ms", seconds * 1000) }
        return PrintfText.string("%.1f s", seconds)
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        return PrintfText.string("%.\(digits)f", value)
    }

    static func rate(_ value: Double) -> String {
        if value >= 1e6 { return PrintfText.string("%.1fM", value / 1e6) }
        if value >= 1e3 { return PrintfText.string("%.1fk", value / 1e3) }
        return PrintfText.string("%.0f", value)
    }

    static func duration(_ seconds: Double) -> String {
        // Int(_:) traps beyond Int.max: an estimate of more than ~30 million years shows as "–".
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else { return "–" }
        let total = Int(seconds.rounded())
        return total >= 3600
            ? PrintfText.string("%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60)
            : PrintfText.string("%ld:%02ld", total / 60, total % 60)
    }
}
