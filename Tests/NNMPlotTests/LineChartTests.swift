import Foundation
import Testing
@testable import NNMPlot

@Suite struct LineChartTests {
    static func lossCurves(epochs: Int) -> (x: [Double], train: [Double], val: [Double], trainAcc: [Double], valAcc: [Double]) {
        var x: [Double] = [], tr: [Double] = [], va: [Double] = [], ta: [Double] = [], vaa: [Double] = []
        var seed: UInt64 = 42
        func noise() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) - 0.5
        }
        for e in 1...epochs {
            let t = Double(e) / Double(epochs)
            x.append(Double(e))
            tr.append(0.69 * exp(-4 * t) + 0.04 + 0.02 * noise())
            va.append(0.69 * exp(-3.5 * t) + 0.07 + 0.03 * noise())
            ta.append(1 - 0.5 * exp(-5 * t) - 0.01 + 0.01 * noise())
            vaa.append(1 - 0.5 * exp(-4 * t) - 0.03 + 0.015 * noise())
        }
        return (x, tr, va, ta, vaa)
    }

    @Test func lossAndAccuracyPanels() throws {
        let t = Support.theme()
        let d = Self.lossCurves(epochs: 200)
        let sm = Smoothing.debiasedEMA(d.train, weight: 0.6), smv = Smoothing.debiasedEMA(d.val, weight: 0.6)
        let c0 = RGBA.cycle(0), c1 = RGBA.cycle(1)
        let loss = LinePanel(labels: AxesLabels(title: "loss", x: "epoch", y: "loss"), series: [
            Series(name: nil, x: d.x, y: d.train, color: c0.withAlpha(0.3), widthPt: 1),
            Series(name: nil, x: d.x, y: d.val, color: c1.withAlpha(0.3), widthPt: 1),
            Series(name: "train", x: d.x, y: sm, color: c0, highlight: .minimum),
            Series(name: "validation", x: d.x, y: smv, color: c1, highlight: .minimum),
        ])
        let acc = LinePanel(labels: AxesLabels(title: "accuracy", x: "epoch", y: "accuracy"), series: [
            Series(name: "train", x: d.x, y: d.trainAcc, color: c0, highlight: .last),
            Series(name: "validation", x: d.x, y: d.valAcc, color: c1, highlight: .maximum),
        ])
        let canvas = try LineChart.render([loss, acc], width: 1200, height: 450, title: "moons · MLP 2-16-16-1", theme: t)
        #expect(canvas.width == 1200 && canvas.height == 450)
        try Support.demo(canvas, "loss")
        let logPanel = LinePanel(labels: AxesLabels(title: "training loss (9000 epochs)", x: "epoch", y: "BCE loss"),
                                 series: [Series(name: "train", x: d.x.map { $0 * 45 }, y: d.train, color: c0)], logY: true)
        let single = try LineChart.render([logPanel], width: 640, height: 480, theme: Support.theme(scale: 2))
        #expect(single.width == 1280 && single.height == 960)
        try Support.demo(single, "loss-log-2x")
    }

    /// A small panel has no room for "validation (min 0.0872 @ 111)": the bare names are drawn
    /// instead of no legend at all.
    @Test func aSmallPanelKeepsAShortLegend() throws {
        let t = Support.theme()
        let d = Self.lossCurves(epochs: 200)
        func panel(legend: Bool) -> LinePanel {
            LinePanel(labels: AxesLabels(title: "loss", x: "epoch", y: "loss"), series: [
                Series(name: "train", x: d.x, y: d.train, color: RGBA.cycle(0), highlight: .last),
                Series(name: "validation", x: d.x, y: d.val, color: RGBA.cycle(1), highlight: .minimum),
            ], legend: legend)
        }
        let with = try LineChart.render([panel(legend: true), panel(legend: true)], width: 520, height: 260, title: "t", theme: t)
        let without = try LineChart.render([panel(legend: false), panel(legend: false)], width: 520, height: 260, title: "t", theme: t)
        #expect(with.pixels != without.pixels, "no legend was drawn at 520x260")
        var canvas = try Canvas(width: 100, height: 100)
        let entries = [LegendEntry(label: "a very long legend label that cannot fit", sample: .line(RGBA.cycle(0), width: 1))]
        #expect(canvas.drawLegend(entries, in: Rect(x: 0, y: 0, width: 100, height: 100), theme: t) == false)
    }
}
