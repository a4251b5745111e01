import Testing
@testable import NNMPlot

@Suite struct TicksTests {
    @Test(arguments: [
        (0.0, 1.0, 5, 0.2),
        (0.0, 9000.0, 9, 1000.0),
        (-450.0, 9450.0, 6, 2000.0),
        (0.033, 0.743, 9, 0.1),
        (-1.0, 1.0, 8, 0.25),
        (0.0, 10.0, 4, 2.5),
        (0.0, 7.0, 3, 2.5),
        (-1.5, 2.0, 9, 0.5),
    ])
    func niceSteps(lo: Double, hi: Double, n: Int, step: Double) {
        let r = NiceTicks.ticks(lo: lo, hi: hi, maxIntervals: n)
        #expect(abs(r.step - step) < 1e-12)
        #expect(r.values.allSatisfy { $0 >= lo - 1e-9 && $0 <= hi + 1e-9 })
        #expect(r.values.count - 1 <= n)
    }

    @Test func labelsUseUnicodeMinusAndJustEnoughDecimals() {
        #expect(NiceTicks.labels([-1, -0.5, 0, 0.5], step: 0.5) == ["−1.0", "−0.5", "0.0", "0.5"])
        #expect(NiceTicks.labels([0, 2000, 4000], step: 2000) == ["0", "2000", "4000"])
        #expect(NiceTicks.labels([0, 0.25, 0.5], step: 0.25) == ["0.00", "0.25", "0.50"])
        #expect(NiceTicks.labels([0, 2e6], step: 2e6) == ["0", "2e6"])
        #expect(NiceTicks.scientific(-3.5e-7) == "−3.5e−7")
    }

    @Test func logTicks() {
        let wide = NiceTicks.logTicks(lo: 0.004, hi: 2)
        #expect(wide.values == [0.01, 0.1, 1])
        #expect(wide.labels == ["10⁻²", "10⁻¹", "10⁰"])
        let short = NiceTicks.logTicks(lo: 0.04, hi: 0.8)
        #expect(short.labels == ["0.05", "0.1", "0.2", "0.5"])
    }

    @Test func marginAndIntegerEpochs() {
        let s = AxisScale.linear(dataLo: 1, dataHi: 5, length: 600, fontPx: 14, horizontal: true, integerTicks: true)
        #expect(abs(s.lo - 0.8) < 1e-12 && abs(s.hi - 5.2) < 1e-12)
        #expect(s.ticks == [1, 2, 3, 4, 5])
    }

    @Test func integerTicksNeverLandOnHalves() {
        // 0…21.6 on a short axis gets NiceTicks' step 2.5 (2.5, 7.5, 17.5 samples): whole numbers only.
        let s = AxisScale.linear(dataLo: 0, dataHi: 21.6, margin: 0, length: 330, fontPx: 14, horizontal: false, integerTicks: true)
        #expect(!s.ticks.isEmpty && s.ticks.allSatisfy { $0 == $0.rounded() }, "\(s.ticks)")
        #expect(s.ticks.count >= 2)
    }

    @Test func debiasedEMA() {
        #expect(Smoothing.debiasedEMA([3, 3, 3], weight: 0.6) == [3, 3, 3])
        let s = Smoothing.debiasedEMA([1, 0, .nan, 0], weight: 0.5)
        #expect(s[0] == 1, "de-biasing makes the first value itself")
        #expect(abs(s[1] - 1.0 / 3.0) < 1e-12)   // (0.25) / (1 − 0.25)
        #expect(s[2].isNaN)
        #expect(abs(s[3] - 0.125 / 0.875) < 1e-12)
    }
}
