import NNM
import NNMFormat
import NNMPlot

/// The confusion matrix of the model on its held-out points: counts and row shares, class names
/// on both axes, accuracy in the title.
public func renderConfusion(_ model: NNMModel, points: BoundaryPoints = .recipe, title: String? = nil,
                            theme: Theme) throws -> Canvas {
    let e = try HeldOutEvaluation.of(model, points: points)
    let data = ConfusionData(counts: e.counts, classNames: e.classNames,
                             title: title ?? "\(e.source) · \(BoundaryFromModel.grouped(e.labels.count)) samples · accuracy \(MetricText.accuracy(e.accuracy))")
    return try ConfusionChart.render(data, theme: theme).0
}

/// A curve of a two-class score: ROC (false- against true-positive rate) or precision–recall.
public struct ScoreCurves: Sendable, Equatable {
    /// (false-positive rate, true-positive rate) from (0, 0) to (1, 1), one point per distinct score.
    public var roc: [(Double, Double)] { zip(falsePositiveRate, truePositiveRate).map { ($0, $1) } }
    public var falsePositiveRate: [Double]
    public var truePositiveRate: [Double]
    /// (recall, precision), one point per distinct score, highest threshold first.
    public var recall: [Double]
    public var precision: [Double]
    /// Area under the ROC curve (trapezoids; ties count half, as scikit-learn's roc_auc_score).
    public var auc: Double
    /// Average precision, Σ (Rₙ − Rₙ₋₁) Pₙ (scikit-learn's average_precision_score).
    public var averagePrecision: Double
    /// Share of positives: the precision of a random guess.
    public var positiveRate: Double

    /// The curves of `scores` (P(class 1)) against `labels` (0 or 1). Needs both classes.
    public init(scores: [Float], labels: [Int]) throws {
        let positives = labels.filter { $0 == 1 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0, scores.count == labels.count else {
            throw RenderError.curvesNeedBothClasses(positives: positives, negatives: negatives)
        }
        let order = scores.indices.sorted { (scores[$0], $1) > (scores[$1], $0) }
        var fpr = [0.0], tpr = [0.0], rec: [Double] = [], prec: [Double] = []
        var tp = 0, fp = 0, i = 0
        var auc = 0.0, ap = 0.0, lastRecall = 0.0
        while i < order.count {
            let threshold = scores[order[i]]
            while i < order.count && scores[order[i]] == threshold {
                if labels[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            let x = Double(fp) / Double(negatives), y = Double(tp) / Double(positives)
            auc += (x - fpr[fpr.count - 1]) * (y + tpr[tpr.count - 1]) / 2
            fpr.append(x); tpr.append(y)
            let p = Double(tp) / Double(tp + fp)
            ap += (y - lastRecall) * p
            // The precision–recall curve ends where recall first reaches 1 (scikit-learn's).
            if lastRecall < 1 { rec.append(y); prec.append(p) }
            lastRecall = y
        }
        falsePositiveRate = fpr; truePositiveRate = tpr; recall = rec; precision = prec
        self.auc = auc; averagePrecision = ap; positiveRate = Double(positives) / Double(labels.count)
    }

    public static func == (a: ScoreCurves, b: ScoreCurves) -> Bool {
        a.falsePositiveRate == b.falsePositiveRate && a.truePositiveRate == b.truePositiveRate
            && a.recall == b.recall && a.precision == b.precision
    }
}

/// ROC and precision–recall curves of a two-class model on its held-out points, side by side,
/// each with the line of a random guess.
public func renderROC(_ model: NNMModel, points: BoundaryPoints = .recipe, title: String? = nil,
                      width: Int = 1000, height: Int = 480, theme: Theme) throws -> Canvas {
    try MinimumSize.check("roc", width: width, height: height, minimum: MinimumSize.roc)
    let e = try HeldOutEvaluation.of(model, points: points)
    guard e.classCount == 2 else { throw RenderError.needsTwoClasses(classes: e.classCount) }
    let scores = (0..<e.labels.count).map { e.probabilities[2 * $0 + 1] }
    let curves = try ScoreCurves(scores: scores, labels: e.labels)
    let positive = e.classNames[1]
    let guess = RGBA(0.5, 0.5, 0.5)
    let roc = LinePanel(
        labels: AxesLabels(title: "ROC · \(positive) as positive", x: "false-positive rate", y: "true-positive rate"),
        series: [Series(name: "random guess (AUC 0.5)", x: [0, 1], y: [0, 1], color: guess, widthPt: 1),
                 Series(name: "model (AUC \(NiceTicks.format(curves.auc, decimals: 4)))", x: curves.falsePositiveRate,
                        y: curves.truePositiveRate, color: .cycle(0))],
        integerX: false, yLimits: -0.02...1.02)
    let pr = LinePanel(
        labels: AxesLabels(title: "precision–recall · \(positive) as positive", x: "recall", y: "precision"),
        series: [Series(name: "random guess (\(NiceTicks.format(curves.positiveRate, decimals: 3)))", x: [0, 1],
                        y: [curves.positiveRate, curves.positiveRate], color: guess, widthPt: 1),
                 Series(name: "model (AP \(NiceTicks.format(curves.averagePrecision, decimals: 4)))", x: [0] + curves.recall,
                        y: [curves.precision.first ?? 1] + curves.precision, color: .cycle(1))],
        integerX: false, yLimits: -0.02...1.02)
    let heading = title ?? "\(e.source) · \(BoundaryFromModel.grouped(e.labels.count)) samples"
    return try LineChart.render([roc, pr], width: width, height: height, title: heading, theme: theme)
}
