import Testing
@testable import NNMPlot

@Suite struct PNGTests {
    @Test func encodeThenDecodeWithLibpng() throws {
        var c = try Canvas(width: 37, height: 21)
        c.fillPixels(PixelBox(x0: 0, y0: 0, x1: 10, y1: 21), RGBA(hex: 0xff0000))
        c.blendPixel(36, 20, RGBA(0, 0, 1), coverage: 0.5)
        let d = try PNG.decode(try PNG.encode(c))
        #expect(d.width == 37 && d.height == 21)
        #expect(d.pixel(3, 5) == (255, 0, 0, 255))
        #expect(d.pixel(20, 5) == (255, 255, 255, 255))
        let (r, _, b, _) = d.pixel(36, 20)
        #expect(r > 100 && r < 150 && b == 255, "half-covered blue over white is a mid blue-white")
    }

    /// Noise barely compresses: the first buffer guess is too small and the second pass is used.
    @Test func incompressibleImageAndTransparency() throws {
        var c = try Canvas(width: 300, height: 300, background: .clear)
        var seed: UInt64 = 1
        c.withRows(c.bounds) { _, xa, xb, p, off in
            var i = off
            for _ in xa..<xb {
                for k in 0..<4 {
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    p[i + k] = UInt8(truncatingIfNeeded: seed >> 33)
                }
                i += 4
            }
        }
        let d = try PNG.decode(try PNG.encode(c))
        #expect(d.rgba == c.pixels, "RGBA round trip is lossless")
        let clear = try Canvas(width: 5, height: 5, background: .clear)
        #expect(try PNG.decode(try PNG.encode(clear)).pixel(2, 2).3 == 0)
    }

    @Test func sameCanvasSameBytes() throws {
        let t = Support.theme()
        let p = LinePanel(labels: AxesLabels(title: "t", x: "x", y: "y"),
                          series: [Series(name: "a", x: [1, 2, 3], y: [3, 1, 2], color: .cycle(0))])
        let a = try PNG.encode(LineChart.render([p], width: 200, height: 150, theme: t))
        let b = try PNG.encode(LineChart.render([p], width: 200, height: 150, theme: t))
        #expect(a == b)
        #expect(Array(a.prefix(8)) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        #expect(Array(a.prefix(8)) == PNG.signature)
    }

    @Test func readingGarbageIsAnError() throws {
        #expect(throws: PlotError.self) { try PNG.decode(Array("not a png at all".utf8)) }
        #expect(throws: PlotError.self) { try PNG.decode([]) }
        let cut = try PNG.encode(try Canvas(width: 20, height: 20))
        #expect(throws: PlotError.self) { try PNG.decode(Array(cut.prefix(cut.count / 2))) }
    }

    @Test func absurdSizesAreRefused() {
        #expect(throws: PlotError.invalidCanvasSize(width: 0, height: 10)) { try Canvas(width: 0, height: 10) }
        #expect(throws: PlotError.self) { try Canvas(width: 100_000, height: 100_000) }
    }
}
