import Testing
@testable import NNM

@Suite struct MetricsTests {
    @Test func accuracyCountsMatches() throws {
        #expect(try ClassificationMetrics.accuracy(predictions: [0, 1, 1, 2], labels: [0, 1, 2, 2]) == 0.75)
        #expect(throws: MetricsError.countMismatch(predictions: 1, labels: 2)) {
            try ClassificationMetrics.accuracy(predictions: [0], labels: [0, 1])
        }
        #expect(throws: MetricsError.empty) { try ClassificationMetrics.accuracy(predictions: [], labels: []) }
    }

    @Test func rocAUCMatchesHandComputedValues() throws {
        // Positives 0.8, 0.4; negatives 0.1, 0.4, 0.35. Pairs: (0.8 beats all 3) + (0.4 beats 0.1
        // and 0.35, ties 0.4 → 0.5) = 5.5 of 6.
        let auc = try ClassificationMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8, 0.4], labels: [0, 0, 0, 1, 1])
        #expect(abs(auc - 5.5 / 6) < 1e-12)
        #expect(try ClassificationMetrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [1, 1, 0, 0]) == 1)
        #expect(try ClassificationMetrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [0, 0, 1, 1]) == 0)
        #expect(try ClassificationMetrics.rocAUC(scores: [Float](repeating: 0.5, count: 4), labels: [0, 1, 0, 1]) == 0.5)
        // Hard 0/1 decisions, as the second seed scores them: TPR 2/3, FPR 1/4 → (1 + 2/3 − 1/4)/2.
        let hard = try ClassificationMetrics.rocAUC(scores: [1, 1, 0, 1, 0, 0, 0] as [Double], labels: [1, 1, 1, 0, 0, 0, 0])
        #expect(abs(hard - (1 + 2.0 / 3 - 0.25) / 2) < 1e-12)
    }

    @Test func rocAUCRejectsWhatItCannotScore() {
        #expect(throws: MetricsError.singleClass(label: 1)) {
            try ClassificationMetrics.rocAUC(scores: [0.1, 0.2] as [Double], labels: [1, 1])
        }
        #expect(throws: MetricsError.notANumber(index: 1)) {
            try ClassificationMetrics.rocAUC(scores: [0.1, .nan] as [Double], labels: [0, 1])
        }
        #expect(throws: MetricsError.self) { try ClassificationMetrics.rocAUC(scores: [0.1] as [Double], labels: [0, 1]) }
    }

    @Test func confusionMatrixCountsAndRenders() throws {
        let matrix = try ConfusionMatrix(predictions: [0, 1, 1, 2, 2, 0], labels: [0, 1, 2, 2, 2, 1],
                                         classCount: 3, classNames: ["cat", "dog", "bird"])
        #expect(matrix.counts == [[1, 0, 0], [1, 1, 0], [0, 1, 2]])
        #expect(matrix.total == 6 && matrix.correct == 4)
        #expect(abs(matrix.accuracy - 4.0 / 6) < 1e-12)
        #expect(matrix.recall(2) == 2.0 / 3)
        #expect(matrix.precision(0) == 0.5)
        let text = matrix.description
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("actual \\ predicted") && lines[0].contains("cat") && lines[0].hasSuffix("recall"))
        #expect(lines[3].hasPrefix("bird") && lines[3].contains("66.67 %"))
        #expect(lines[4] == "accuracy 66.67 % (4 of 6)")
        #expect(throws: MetricsError.classOutOfRange(index: 0, value: 3, classCount: 3)) {
            try ConfusionMatrix(predictions: [3], labels: [0], classCount: 3)
        }
    }

    /// The class count sizes a classCount² table: an absurd one is an error, not an allocation.
    @Test func confusionMatrixRefusesAbsurdClassCounts() {
        #expect(throws: MetricsError.tooManyClasses(classCount: 1 << 40, limit: Dataset.maximumClasses)) {
            try ConfusionMatrix(predictions: [], labels: [], classCount: 1 << 40)
        }
    }

    /// Labels come from CSV files: an escape sequence in one must not reach the terminal.
    @Test func confusionMatrixEscapesControlCharactersInClassNames() throws {
        let matrix = try ConfusionMatrix(predictions: [0, 1], labels: [0, 1], classCount: 2,
                                         classNames: ["c\u{1B}[2J0", "ok"])
        #expect(!matrix.description.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(matrix.description.contains("c\\x1b[2J0"))
        #expect(matrix.classNames[0] == "c\u{1B}[2J0", "the names themselves are kept")
    }
}
