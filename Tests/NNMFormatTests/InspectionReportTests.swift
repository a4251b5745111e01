import Testing
@testable import NNMFormat

@Suite struct InspectionReportTests {
    @Test func statisticsCountSpecialsAndIgnoreThemInMoments() {
        let s = TensorStatistics([1, 2, 3, 0, -0.0, .nan, .infinity, -.infinity], bins: 4)
        #expect(s.count == 8 && s.zeros == 2 && s.nans == 1 && s.infinities == 2)
        #expect(s.min == 0 && s.max == 3 && s.mean == 1.2)
        #expect(s.histogram.reduce(0, +) == 5)
        #expect(TensorStatistics([.nan]).mean == nil)
    }

    /// A library caller's bin count is clamped: Int.max used to mean an array of Int.max.
    @Test func histogramBinsAreCapped() {
        #expect(TensorStatistics([1, 2, 3], bins: Int.max).histogram.count == TensorStatistics.maximumBins)
        #expect(TensorStatistics([1, 2, 3], bins: -5).histogram == [3])
    }

    @Test func jsonSortsKeysAndWritesNonFiniteAsStrings() {
        let v = JSONValue.object(["b": .float(.nan), "a": .array([.double(.infinity), .double(-.infinity), .int(-3)]),
                                  "c\u{1B}": .string("x\"\u{7}")])
        #expect(v.rendered() == "{\n  \"a\": [\"Infinity\", \"-Infinity\", -3],\n  \"b\": \"NaN\",\n  \"c\\u001b\": \"x\\\"\\u0007\"\n}\n")
    }

    @Test func displayEscapingNeutralisesTerminalControls() {
        #expect(escapeForDisplay("a\u{1B}[2Jb\u{7F}\n\u{202E}") == "a\\x1b[2Jb\\x7f\\n\\u{202e}")
    }

    @Test func reportOnVectorHasTotalsAndTraining() throws {
        let report = try InspectionReport.inspect(path: VectorTests.directory + "/full.nnm")
        #expect(report.totalParameters == 30)
        #expect(report.integrity == .tensorsChecked)
        let json = report.json().rendered()
        #expect(json.contains("\"integrity\": \"tensors-checked\""))
        #expect(json.contains("\"generator\": \"circles\""))
        let verified = try InspectionReport.inspect(path: VectorTests.directory + "/full.nnm", options: .init(statistics: false, verify: true))
        #expect(verified.integrity == .verified && verified.tensors.allSatisfy { $0.statistics == nil })
    }
}
