import NNM

/// What a run evaluates, by the kind of model: a classifier's classes, or a regression
/// model's values.
enum Evaluator {
    case classes(PredictionEvaluation)
    case values(RegressionEvaluation)

    /// Adds a chunk's outputs with their class indices (classifier) or targets (regression).
    mutating func add(outputs: Matrix, labels: [Int], targets: [Float]) {
        switch self {
        case .classes(var evaluation):
            evaluation.add(outputs: outputs, labels: labels)
            self = .classes(evaluation)
        case .values(var evaluation):
            evaluation.add(outputs: outputs, targets: targets)
            self = .values(evaluation)
        }
    }

    /// Adds a chunk's outputs with the label cells of a CSV file.
    mutating func add(outputs: Matrix, labelCells: [LabelCell], path: String) throws {
        switch self {
        case .classes(var evaluation):
            try evaluation.add(outputs: outputs, labelCells: labelCells, path: path)
            self = .classes(evaluation)
        case .values(var evaluation):
            try evaluation.add(outputs: outputs, labelCells: labelCells, path: path)
            self = .values(evaluation)
        }
    }

    func report() throws -> EvaluationReport {
        switch self {
        case .classes(let evaluation): .classes(try evaluation.report())
        case .values(let evaluation): .values(try evaluation.report())
        }
    }
}

/// The evaluation block: a classifier's report, or a regression model's metrics.
enum EvaluationReport {
    case classes(ClassificationReport)
    case values(RegressionMetrics)

    var text: String {
        switch self {
        case .classes(let report): report.text
        case .values(let metrics): metrics.text
        }
    }
}
