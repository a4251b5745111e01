import Foundation
import Testing
@testable import NNMPlot

/// Looking aid: with NNMPLOT_ZOOM="in.png,x,y,w,h,factor,out.png" writes a nearest-neighbour
/// enlargement of a crop (to inspect glyphs and anti-aliasing by eye).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NNMPLOT_ZOOM"] != nil))
struct ZoomTool {
    @Test func zoom() throws {
        let parts = (ProcessInfo.processInfo.environment["NNMPLOT_ZOOM"] ?? "").split(separator: ",").map(String.init)
        try #require(parts.count == 7)
        let d = try PNGFile.read(parts[0])
        let n = parts[1...5].compactMap { Int($0) }
        try #require(n.count == 5)
        let (x0, y0, w, h, f) = (n[0], n[1], n[2], n[3], n[4])
        var c = try Canvas(width: w * f, height: h * f)
        for y in 0..<(h * f) {
            for x in 0..<(w * f) {
                let (r, g, b, a) = d.pixel(min(d.width - 1, x0 + x / f), min(d.height - 1, y0 + y / f))
                c.blendPixel(x, y, RGBA(Float(r) / 255, Float(g) / 255, Float(b) / 255, Float(a) / 255))
            }
        }
        try PNGFile.write(c, to: parts[6])
    }
}
