import Testing
@testable import NNMPlot

@Suite struct CanvasTests {
    @Test func antiAliasedLineHasIntermediateAlpha() throws {
        var c = try Canvas(width: 40, height: 40, background: .clear)
        c.strokePolyline([Point(3, 5), Point(35, 31)], lineWidth: 2, .black)
        let alphas = Set(c.pixels.enumerated().filter { $0.offset % 4 == 3 }.map(\.element))
        #expect(alphas.contains(255))
        #expect(alphas.contains { $0 > 20 && $0 < 235 }, "a diagonal line has partially covered pixels")
        // A pixel far from the line stays untouched.
        #expect(c.pixel(35, 3).a == 0)
    }

    @Test func crispRectangleOnWholePixels() throws {
        var c = try Canvas(width: 10, height: 10)
        c.fill(Rect(x: 2, y: 2, width: 3, height: 3), .black)
        #expect(c.pixel(2, 2) == .black && c.pixel(4, 4) == .black)
        #expect(c.pixel(5, 5) == .white && c.pixel(1, 2) == .white)
    }

    @Test func clipKeepsDrawingInside() throws {
        var c = try Canvas(width: 20, height: 20)
        c.clipped(to: Rect(x: 5, y: 5, width: 10, height: 10)) { c in
            c.fill(Rect(x: 0, y: 0, width: 20, height: 20), .black)
        }
        #expect(c.pixel(4, 10) == .white && c.pixel(5, 5) == .black && c.pixel(15, 15) == .white)
    }

    @Test func markerFillAndEdge() throws {
        var c = try Canvas(width: 30, height: 30)
        c.drawMarker(at: Point(15, 15), MarkerStyle(radius: 8, fill: RGBA(1, 0, 0), edge: .black, edgeWidth: 2))
        #expect(c.pixel(15, 15) == RGBA(1, 0, 0))
        #expect(Support.distance(c.pixel(15, 7), .black) < 60, "edge ring is dark")
        #expect(c.pixel(2, 2) == .white)
    }

    @Test func polygonCoversItsInside() throws {
        var c = try Canvas(width: 30, height: 30)
        c.fillPolygon([Point(2, 2), Point(28, 2), Point(2, 28)], RGBA(0, 0, 1))
        #expect(c.pixel(5, 5) == RGBA(0, 0, 1))
        #expect(c.pixel(25, 25) == .white)
        let edge = c.pixel(14, 15)   // on the hypotenuse: partly covered
        #expect(edge.r > 0.1 && edge.r < 0.9)
    }

    @Test func halfAlphaBlendOverWhite() throws {
        var c = try Canvas(width: 2, height: 2)
        c.fill(Rect(x: 0, y: 0, width: 2, height: 2), RGBA(0, 0, 0, 0.5))
        let p = c.pixel(0, 0)
        #expect(abs(p.r - 0.5) < 0.01 && p.a == 1)
    }
}
