import NNM
import NNMFormat
import NNMPlot
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model's answers on held-out data: the test split its recipe regenerates, or every row
/// of a data file (`--data csv:PATH` or `idx:IMAGES,LABELS`), its labels matched to the model's
/// classes. What the confusion and ROC pictures draw.
public struct HeldOutEvaluation: Sendable {
    /// "circles (1000 samples, noise 0.05) test split" or "points.csv".
    public var source: String
    public var labels: [Int]
    public var predictions: [Int]
    /// Class probabilities, `classCount` per sample (two classes: P(0), P(1)).
    public var probabilities: [Float]
    public var classCount: Int
    public var classNames: [String]

    /// Evaluates `model` on its held-out points (the recipe's test split; its training split
    /// when the recipe holds nothing out) or on a CSV file's rows.
    public static func of(_ model: NNMModel, points: BoundaryPoints = .recipe) throws -> HeldOutEvaluation {
        guard model.outputCount >= 1 else { throw RenderError.noLinearLayer }
        let network = model.network
        let classCount = model.outputCount == 1 ? 2 : model.outputCount
        guard network.lastLayerKind != .identity || model.outputCount > 1 else { throw RenderError.notAClassifier }
        // A regression output is a value, not a score: no confusion matrix or ROC curve.
        guard !model.isRegression else { throw RenderError.notAClassifier }
        let recipe = try BoundaryFromModel.storedRecipe(of: model, points: points)
        let data = try BoundaryFromModel.matchedToModelClasses(
            BoundaryFromModel.pointData(recipe: recipe, points: points, features: nil,
                                        columns: BoundaryFromModel.ModelColumns(model)),
            points: points, classNames: model.classNames, classCount: classCount)
        _ = try BoundaryFromModel.labelNotes(data, points: points, classCount: classCount)
        var d = data.test, part = data.testLabel == "test" ? "test split" : ""
        if d.sampleCount == 0 { d = data.train; part = "training split (nothing held out)" }
        guard d.sampleCount > 0 else { throw RenderError.cannotRegenerate(generator: data.source, reason: "no samples") }
        guard d.featureCount == model.inputCount else {
            throw RenderError.cannotRegenerate(generator: data.source, reason: "\(d.featureCount) features, the model takes \(model.inputCount)")
        }
        let probabilities = try classProbabilities(network, d.features, classCount: classCount)
        let predictions = (0..<d.sampleCount).map { i -> Int in
            let row = probabilities[(i * classCount)..<((i + 1) * classCount)]
            return row.indices.max { (row[$0], $1) < (row[$1], $0) }.map { $0 - i * classCount } ?? 0
        }
        let names = BoundaryFromModel.recordedNames(model.classNames, points: points, classCount: classCount)
            ?? d.classNames.flatMap { $0.count == classCount ? $0 : nil }
            ?? (0..<classCount).map { "class \($0)" }
        return HeldOutEvaluation(source: [data.source, part].filter { !$0.isEmpty }.joined(separator: " "),
                                 labels: d.labels, predictions: predictions, probabilities: probabilities,
                                 classCount: classCount, classNames: names.map { NetworkLabels.clipped(escapeForDisplay($0)) })
    }

    /// P(class k) for every sample, `classCount` per row: a single output becomes (1 − p, p);
    /// raw scores go through the sigmoid or softmax the loss implies.
    static func classProbabilities(_ network: Sequential, _ x: Matrix, classCount: Int) throws -> [Float] {
        let y = try network.predict(x).storage
        if network.outputCount == 1 {
            let p = network.lastLayerKind == .sigmoid ? y : y.map { 1 / (1 + expf(-$0)) }
            return p.flatMap { [1 - $0, $0] }
        }
        return network.lastLayerKind == .softmax ? y : BoundaryFromModel.softmaxRows(y, width: classCount)
    }

    /// Correct share of the samples.
    public var accuracy: Double {
        labels.isEmpty ? 0 : Double(zip(labels, predictions).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// `counts[true][predicted]`.
    public var counts: [[Int]] {
        var c = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (l, p) in zip(labels, predictions) where l >= 0 && l < classCount && p < classCount { c[l][p] += 1 }
        return c
    }
}
