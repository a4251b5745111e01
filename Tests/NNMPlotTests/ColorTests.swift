import Testing
@testable import NNMPlot

@Suite struct ColorTests {
    @Test func colorbarMidpointIsNeutralForZeroCentredMap() throws {
        let t = Support.theme()
        var c = try Canvas(width: 120, height: 221)
        let bar = Colorbar(colormap: .diverging, range: .symmetric([-0.3, 0.2, 0.1]))
        c.drawColorbar(bar, x: 10, top: 10, bottom: 211, theme: t)
        // The bar spans rows 10..<211: its middle row is 110, the value 0.
        let mid = c.pixel(17, 110)
        #expect(Support.distance(mid, Colormap.neutral) < 3)
        #expect(Support.distance(c.pixel(17, 12), RGBA(hex: 0x67001f)) < 20, "top is the positive end (red)")
        #expect(Support.distance(c.pixel(17, 208), RGBA(hex: 0x053061)) < 20, "bottom is the negative end (blue)")
    }

    @Test func symmetricRangeCentresZero() {
        let r = ColorRange.symmetric([-0.1, 0.4, .nan, .infinity])
        #expect(r.lo == -0.4 && r.hi == 0.4 && r.normalized(0) == 0.5)
        #expect(Colormap.diverging.color(for: 0, lo: r.lo, hi: r.hi) == Colormap.neutral)
    }

    @Test func viridisEnds() {
        #expect(Support.distance(Colormap.viridis.color(at: 0), RGBA(hex: 0x440154)) < 1)
        #expect(Support.distance(Colormap.viridis.color(at: 1), RGBA(hex: 0xfde725)) < 1)
        // Perceptually ordered: luminance grows monotonically.
        let lum = stride(from: Float(0), through: 1, by: 0.05).map { t -> Float in
            let c = Colormap.viridis.color(at: t); return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b
        }
        #expect(zip(lum, lum.dropFirst()).allSatisfy { $0 < $1 })
    }
}
