import NNMFormat
import Testing

/// The one display rule for losses and accuracies (``MetricText``).
@Suite struct MetricTextTests {
    @Test(arguments: [
        (0.15234, "0.1523"), (0.038554, "0.03855"), (0.0038554, "0.003855"), (0.1, "0.1000"),
        (1.23456, "1.235"), (12.3456, "12.35"), (1234.4, "1234"), (12345.0, "1.234e+04"),
        (0.00012345, "1.234e-04"), (1.2345e-5, "1.234e-05"), (0.001, "0.001000"), (0.0, "0.000"),
        (-0.5, "-0.5000"), (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"),
    ])
    func lossesHaveFourSignificantDigits(value: Double, text: String) {
        #expect(MetricText.loss(value) == text)
    }

    @Test func aSmallLossIsNeverZero() {
        for exponent in 4...30 {
            let text = MetricText.loss(1.5 * pow10(-exponent))
            #expect(text.hasPrefix("1.500e-"), "\(text)")
        }
    }

    @Test(arguments: [
        (0.9905, "99.05 %"), (1.0, "100.00 %"), (0.0, "0.00 %"), (0.97, "97.00 %"), (2.0 / 3.0, "66.67 %"),
        (.nan, "–"), (.infinity, "–"),
    ])
    func accuraciesArePercentagesWithTwoDecimals(value: Double, text: String) {
        #expect(MetricText.accuracy(value) == text)
    }

    /// The formatter under every figure (``PrintfText``): several arguments of several types,
    /// the "C" locale's decimal point, and text longer than its first 64-byte buffer whole.
    @Test func printfTextWritesWhatSnprintfWrites() {
        #expect(PrintfText.string("%ld:%02ld:%02ld", 1, 2, 3) == "1:02:03")
        #expect(PrintfText.string("%ld", Int.max) == "9223372036854775807")
        #expect(PrintfText.string("%.3g", 1e-6) == "1e-06")
        #expect(PrintfText.string("%.1f s", 2.25) == "2.2 s")
        #expect(PrintfText.string("%.1fk", 1234.5 / 1000) == "1.2k")
        let long = PrintfText.string("%0200d", 7)
        #expect(long.count == 200 && long.hasSuffix("07") && long.hasPrefix("000"))
        #expect(PrintfText.string("no arguments %%") == "no arguments %")
    }

    private func pow10(_ exponent: Int) -> Double {
        (0..<abs(exponent)).reduce(1.0) { value, _ in exponent < 0 ? value / 10 : value * 10 }
    }
}
