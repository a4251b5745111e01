#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NNM
import NNMCommandLine
import NNMFiles
import NNMFormat

/// One `nnm-predict` invocation: the model, the output checked before any work, the data read
/// and predicted a chunk at a time, the CSV written as it goes, then the evaluation.
struct PredictionRun {
    let command: NNMPredict
    let separator: CSVDelimiter?

    func execute() throws {
        let model: NNMModel
        do { model = try NNMModel(contentsOf: command.model) } catch {
            throw PredictError("cannot read \(escapeForDisplay(command.model)): \(error.detail)")
        }
        let table = PredictionTable(model: model)
        if command.evaluate, !table.isClassifier, !model.isRegression {
            throw PredictError.usage("--evaluate needs a classifier or a regression model; this model ends in \(model.network.lastLayerKind.name) with \(model.outputCount) outputs")
        }
        let output = try PredictionOutput(command.output, inputs: [command.model] + inputPaths, force: command.force)
        var evaluation: Evaluator? = table.isClassifier ? .classes(PredictionEvaluation(model: model))
            : model.isRegression ? .values(RegressionEvaluation()) : nil
        var facts = RunFacts()
        try output.write(table.headerLine())
        switch command.data {
        case .csv(let path)?:
            try predictCSV(path, model: model, table: table, output: output, evaluation: &evaluation, facts: &facts)
        case let .idx(images, labels)?:
            try predictSamples(try IDXStream(imagesPath: images, labelsPath: labels), model: model, table: table,
                               output: output, evaluation: &evaluation, facts: &facts)
        case nil:
            try predictSamples(try ownTestSplit(model), model: model, table: table, output: output,
                               evaluation: &evaluation, facts: &facts)
        case .circles?, .moons?, .xor?, .spiral?, .blobs?, .bits4?:
            throw PredictError.usage("--data takes csv:PATH or idx:IMAGES,LABELS")
        }
        try output.finish()
        let report = facts.labelled ? try evaluation?.report() : nil
        try printReport(report, facts: facts, toStandardOutput: command.output != "-")
    }

    /// The data files the run reads (never the output).
    var inputPaths: [String] {
        switch command.data {
        case .csv(let path)?: [path]
        case let .idx(images, labels)?: [images, labels]
        default: []
        }
    }

    /// The test part of the model's own recipe (regenerated, recorded files looked for beside it).
    func ownTestSplit(_ model: NNMModel) throws -> any SampleSource {
        guard let recipe = try model.recipe else {
            throw PredictError.usage("\(escapeForDisplay(command.model)) records no dataset recipe: give the data with --data csv:PATH")
        }
        let test = try recipe.makeSampleSplit().test
        guard test.sampleCount > 0 else {
            throw PredictError.usage("the model's recipe has no test split (test fraction 0): give the data with --data")
        }
        return test
    }

    func predictCSV(_ path: String, model: NNMModel, table: PredictionTable, output: PredictionOutput,
                    evaluation: inout Evaluator?, facts: inout RunFacts) throws {
        var input = try CSVPredictionInput(path: path, model: model, delimiter: separator, header: command.header)
        let name = escapeForDisplay(path)
        if separator == nil, input.delimiter != .comma {
            printError("nnm-predict: note: \(name): fields are separated by \(input.delimiter.name)s (detected; --delimiter chooses)")
        }
        if !input.match.ignoredColumns.isEmpty {
            printError("nnm-predict: note: \(name): ignoring \(input.match.ignoredColumns.count) column(s) the model does not use: "
                + input.match.ignoredColumns.map(escapeForDisplay).joined(separator: ", "))
        }
        facts.matchedByName = input.match.byName
        facts.ignoredColumns = input.match.ignoredColumns
        facts.labelled = input.match.labelColumn != nil
        // Refused before any prediction is written: the output stays untouched.
        if command.evaluate, !facts.labelled {
            throw PredictError.usage("--evaluate needs labels, but \(name) has no label column"
                + (model.labelName.map { " (the model's is '\(escapeForDisplay($0))')" } ?? ""))
        }
        while let chunk = try input.next(maxRows: model.network.predictionChunkRows) {
            let outputs = try model.predict(chunk.features)
            try output.write(outputs, of: table)
            facts.rows += outputs.rows
            if let cells = chunk.labels { try evaluation?.add(outputs: outputs, labelCells: cells, path: path) }
        }
    }

    func predictSamples(_ samples: any SampleSource, model: NNMModel, table: PredictionTable, output: PredictionOutput,
                        evaluation: inout Evaluator?, facts: inout RunFacts) throws {
        guard samples.featureCount == model.inputCount else {
            throw PredictError("the data has \(samples.featureCount) features per sample, but the model takes \(model.inputCount)")
        }
        if model.isRegression != samples.isRegression {
            throw PredictError(model.isRegression
                ? "the model predicts a number, but the data has class labels"
                : "the model predicts classes, but the data has numeric targets")
        }
        facts.labelled = true
        let labels = samples.labels
        // Checked before any prediction is written: the output stays untouched.
        if !model.isRegression, let (sample, label) = labels.enumerated().first(where: { $0.element >= table.classCount }) {
            throw PredictError("sample \(sample) has label \(label), but the model has \(table.classCount) classes "
                + "(0 to \(table.classCount - 1))")
        }
        let targets = samples.targets ?? []
        var collected = evaluation
        try samples.forEachChunk(chunkRows: model.network.predictionChunkRows) { chunk, range in
            let outputs = try model.predict(chunk)
            try output.write(outputs, of: table)
            collected?.add(outputs: outputs, labels: Array(labels[range]),
                           targets: targets.isEmpty ? [] : Array(targets[range]))
        }
        evaluation = collected
        facts.rows = samples.sampleCount
    }

    func printReport(_ report: EvaluationReport?, facts: RunFacts, toStandardOutput: Bool) throws {
        let text: String
        if command.json {
            text = facts.json(report: report, output: command.output).rendered()
        } else {
            guard let report else { return }
            text = report.text + "\n"
        }
        if toStandardOutput { print(text, terminator: "") } else { writeStandardError(text) }
    }
}

/// What a run found out, for the report.
struct RunFacts {
    var rows = 0
    var labelled = false
    var matchedByName = false
    var ignoredColumns: [String] = []

    func json(report: EvaluationReport?, output: String) -> JSONValue {
        var evaluation = JSONValue.null
        if case .values(let metrics)? = report {
            evaluation = .object([
                "samples": .int(Int64(metrics.sampleCount)),
                "mse": .double(metrics.meanSquaredError),
                "rmse": .double(metrics.rootMeanSquaredError),
                "mae": .double(metrics.meanAbsoluteError),
                "r2": .double(metrics.r2),
            ])
        }
        if case .classes(let report)? = report {
            evaluation = .object([
                "samples": .int(Int64(report.sampleCount)),
                "accuracy": .double(report.accuracy),
                "roc_auc": report.rocAUC.map { .double($0) } ?? .null,
                "classes": .array(report.classes.map { figures in
                    .object(["name": .string(figures.name), "precision": figures.precision.map { .double($0) } ?? .null,
                             "recall": figures.recall.map { .double($0) } ?? .null,
                             "f1": figures.f1.map { .double($0) } ?? .null, "support": .int(Int64(figures.support))])
                }),
                "confusion": .array(report.confusion.counts.map { .array($0.map { .int(Int64($0)) }) }),
            ])
        }
        return .object([
            "schema": .string("nnm-predict/1"),
            "rows": .int(Int64(rows)),
            "output": .string(output),
            "matched_by": .string(matchedByName ? "name" : "position"),
            "ignored_columns": .array(ignoredColumns.map { .string($0) }),
            "evaluation": evaluation,
        ])
    }
}
