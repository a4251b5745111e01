import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import NNMPlot

@Suite struct PNGTests {
    @Test func writeThenReadBackWithLibpng() throws {
        var c = try Canvas(width: 37, height: 21)
        c.fillPixels(PixelBox(x0: 0, y0: 0, x1: 10, y1: 21), RGBA(hex: 0xff0000))
        c.blendPixel(36, 20, RGBA(0, 0, 1), coverage: 0.5)
        let dir = try Support.tempDir()
        let path = dir + "/out.png"
        try PNG.write(c, to: path)
        let d = try PNG.read(path: path)
        #expect(d.width == 37 && d.height == 21)
        #expect(d.pixel(3, 5) == (255, 0, 0, 255))
        #expect(d.pixel(20, 5) == (255, 255, 255, 255))
        let (r, _, b, _) = d.pixel(36, 20)
        #expect(r > 100 && r < 150 && b == 255, "half-covered blue over white is a mid blue-white")
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.png"])
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
        let dir = try Support.tempDir()
        try PNG.write(c, to: dir + "/noise.png")
        let d = try PNG.read(path: dir + "/noise.png")
        #expect(d.rgba == c.pixels, "RGBA round trip is lossless")
        let clear = try Canvas(width: 5, height: 5, background: .clear)
        try PNG.write(clear, to: dir + "/clear.png")
        #expect(try PNG.read(path: dir + "/clear.png").pixel(2, 2).3 == 0)
    }

    @Test func recognisesExistingPNGs() throws {
        let dir = try Support.tempDir()
        #expect(PNG.existingFileIsPNG(dir + "/none.png") == nil)
        try PNG.write(try Canvas(width: 2, height: 2), to: dir + "/a.png")
        #expect(PNG.existingFileIsPNG(dir + "/a.png") == true)
        try Data("NNM model bytes".utf8).write(to: URL(fileURLWithPath: dir + "/model.nnm"))
        #expect(PNG.existingFileIsPNG(dir + "/model.nnm") == false)
    }

    @Test func sameCanvasSameBytes() throws {
        let t = Support.theme()
        let p = LinePanel(labels: AxesLabels(title: "t", x: "x", y: "y"),
                          series: [Series(name: "a", x: [1, 2, 3], y: [3, 1, 2], color: .cycle(0))])
        let a = try PNG.encode(LineChart.render([p], width: 200, height: 150, theme: t))
        let b = try PNG.encode(LineChart.render([p], width: 200, height: 150, theme: t))
        #expect(a == b)
        #expect(Array(a.prefix(8)) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    }

    @Test func writeIntoMissingDirectoryIsAnError() throws {
        let c = try Canvas(width: 4, height: 4)
        #expect(throws: PlotError.self) { try PNG.write(c, to: "/nonexistent-dir-nnm/x.png") }
    }

    @Test func aSymlinkIsWrittenThroughAndKept() throws {
        let dir = try Support.tempDir()
        let c = try Canvas(width: 4, height: 4)
        try PNG.write(c, to: dir + "/target.png")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.png", withDestinationPath: "target.png")
        let big = try Canvas(width: 6, height: 5)
        try PNG.write(big, to: dir + "/link.png")
        // The link is still a link, and its target holds the new picture.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.png") == "target.png")
        #expect(try PNG.read(path: dir + "/target.png").width == 6)
        // A dangling link creates its target.
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.png", withDestinationPath: dir + "/new.png")
        try PNG.write(c, to: dir + "/dangling.png")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/dangling.png") == dir + "/new.png")
        #expect(try PNG.read(path: dir + "/new.png").width == 4)
    }

    @Test func aDirectoryOrFIFOIsNeverReplaced() throws {
        let dir = try Support.tempDir()
        let c = try Canvas(width: 4, height: 4)
        try FileManager.default.createDirectory(atPath: dir + "/d.png", withIntermediateDirectories: false)
        #expect(mkfifo(dir + "/pipe.png", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-pipe.png", withDestinationPath: "pipe.png")
        for name in ["d.png", "pipe.png", "to-pipe.png"] {
            #expect(throws: PlotError.self) { try PNG.write(c, to: dir + "/" + name) }
        }
        #expect(OutputPath.kind(of: dir + "/pipe.png") == .fifo)
        #expect(OutputPath.kind(of: dir + "/d.png") == .directory)
        #expect(PNG.existingFileIsPNG(dir + "/pipe.png") == false)  // answered without blocking
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(left == ["d.png", "pipe.png", "to-pipe.png"])
    }

    @Test func readingGarbageIsAnError() throws {
        let dir = try Support.tempDir()
        let path = dir + "/bad.png"
        try Data("not a png at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: PlotError.self) { try PNG.read(path: path) }
        #expect(throws: PlotError.self) { try PNG.read(path: dir + "/missing.png") }
    }

    @Test func absurdSizesAreRefused() {
        #expect(throws: PlotError.invalidCanvasSize(width: 0, height: 10)) { try Canvas(width: 0, height: 10) }
        #expect(throws: PlotError.self) { try Canvas(width: 100_000, height: 100_000) }
    }
}
