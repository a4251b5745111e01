/// Pure functions that score a classifier: accuracy and binary ROC AUC.
/// (The confusion matrix is `ConfusionMatrix`.)
public enum ClassificationMetrics {
    /// The fraction of predictions equal to their label, in [0, 1].
    public static func accuracy(predictions: [Int], labels: [Int]) throws -> Double {
        guard predictions.count == labels.count else {
            throw MetricsError.countMismatch(predictions: predictions.count, labels: labels.count)
        }
        guard !labels.isEmpty else { throw MetricsError.empty }
        let correct = zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }

    /// Area under the ROC curve for binary labels (1 = positive, anything else = negative) and
    /// scores where higher means "more positive" (a probability, a logit or a 0/1 decision).
    ///
    /// Computed as the Mann–Whitney U statistic: the probability that a random positive scores
    /// above a random negative, ties counting one half (average ranks) — the value
    /// scikit-learn's `roc_auc_score` gives.
    public static func rocAUC(scores: [Double], labels: [Int]) throws -> Double {
        guard scores.count == labels.count else {
            throw MetricsError.countMismatch(predictions: scores.count, labels: labels.count)
        }
        guard !labels.isEmpty else { throw MetricsError.empty }
        if let bad = scores.firstIndex(where: { $0.isNaN }) { throw MetricsError.notANumber(index: bad) }
        let positives = labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { throw MetricsError.singleClass(label: labels[0]) }

        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Sum of the (1-based, tie-averaged) ranks of the positives, doubled to stay integral.
        var doubledRankSum = 0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let doubledAverageRank = (start + 1) + (end + 1)
            for k in start...end where labels[order[k]] == 1 { doubledRankSum += doubledAverageRank }
            start = end + 1
        }
        let u = Double(doubledRankSum) / 2 - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    /// `rocAUC` for float32 scores (a model's outputs).
    public static func rocAUC(scores: [Float], labels: [Int]) throws -> Double {
        try rocAUC(scores: scores.map(Double.init), labels: labels)
    }
}
