/// An RGBA raster with straight 8-bit alpha, row 0 at the top.
///
/// Every drawing call blends "source over" through `blend`, and honours `clip` so a chart can
/// keep lines and points inside its plot box. Hot loops (images, fields) go through
/// `withRows` on the contiguous buffer.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: R, G, B, A per pixel, rows top to bottom.
    public internal(set) var pixels: [UInt8]
    /// Drawing outside this box is discarded. Defaults to the whole canvas.
    public var clip: PixelBox

    /// Largest side and area accepted: keeps a mistyped `--size` from allocating gigabytes.
    public static let maxSide = 16384
    public static let maxArea = 64 * 1024 * 1024

    public init(width: Int, height: Int, background: RGBA = .white) throws {
        guard width >= 1, height >= 1, width <= Canvas.maxSide, height <= Canvas.maxSide,
              width * height <= Canvas.maxArea else {
            throw PlotError.invalidCanvasSize(width: width, height: height)
        }
        self.width = width
        self.height = height
        let (r, g, b, a) = background.bytes
        var px = [UInt8](repeating: 0, count: width * height * 4)
        px.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count { p[i] = r; p[i + 1] = g; p[i + 2] = b; p[i + 3] = a; i += 4 }
        }
        self.pixels = px
        self.clip = PixelBox(x0: 0, y0: 0, x1: width, y1: height)
    }

    /// The whole canvas as a box.
    public var bounds: PixelBox { PixelBox(x0: 0, y0: 0, x1: width, y1: height) }

    /// The colour of one pixel (for tests and checks).
    public func pixel(_ x: Int, _ y: Int) -> RGBA {
        guard x >= 0, y >= 0, x < width, y < height else { return .clear }
        let i = (y * width + x) * 4
        return RGBA(Float(pixels[i]) / 255, Float(pixels[i + 1]) / 255, Float(pixels[i + 2]) / 255,
                    Float(pixels[i + 3]) / 255)
    }

    /// The box where drawing is allowed, intersected with the canvas.
    var drawable: PixelBox { clip.intersection(bounds) }

    /// Runs `body` with the clip temporarily set to `rect` (outward-rounded, within the current clip).
    public mutating func clipped(to rect: Rect, _ body: (inout Canvas) throws -> Void) rethrows {
        let saved = clip
        clip = PixelBox(covering: rect).intersection(saved)
        defer { clip = saved }
        try body(&self)
    }

    /// Blends `color` with extra opacity `coverage` over pixel (x, y), ignoring the clip.
    @inline(__always)
    static func blend(_ p: UnsafeMutableBufferPointer<UInt8>, _ i: Int, _ c: RGBA, _ coverage: Float) {
        let sa = c.a * coverage
        if sa <= 0 { return }
        if sa >= 0.999 {
            p[i] = RGBA.byte(c.r); p[i + 1] = RGBA.byte(c.g); p[i + 2] = RGBA.byte(c.b); p[i + 3] = 255
            return
        }
        let da = Float(p[i + 3]) / 255
        let keep = da * (1 - sa)
        let oa = sa + keep
        let inv = 1 / oa
        p[i] = RGBA.byte((c.r * sa + Float(p[i]) / 255 * keep) * inv)
        p[i + 1] = RGBA.byte((c.g * sa + Float(p[i + 1]) / 255 * keep) * inv)
        p[i + 2] = RGBA.byte((c.b * sa + Float(p[i + 2]) / 255 * keep) * inv)
        p[i + 3] = RGBA.byte(oa)
    }

    /// Blends one pixel, respecting the clip.
    public mutating func blendPixel(_ x: Int, _ y: Int, _ c: RGBA, coverage: Float = 1) {
        let box = drawable
        guard x >= box.x0, x < box.x1, y >= box.y0, y < box.y1 else { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { Canvas.blend($0, (y * w + x) * 4, c, coverage) }
    }

    /// Fills a rectangle given in float pixels; partially covered edge pixels get fractional
    /// coverage, so a rectangle on whole-pixel edges is exactly crisp.
    public mutating func fill(_ rect: Rect, _ c: RGBA) {
        let box = PixelBox(covering: rect).intersection(drawable)
        if box.isEmpty { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in box.y0..<box.y1 {
                let cy = min(Float(y + 1), rect.maxY) - max(Float(y), rect.minY)
                if cy <= 0 { continue }
                for x in box.x0..<box.x1 {
                    let cx = min(Float(x + 1), rect.maxX) - max(Float(x), rect.minX)
                    if cx <= 0 { continue }
                    Canvas.blend(p, (y * w + x) * 4, c, min(1, cx) * min(1, cy))
                }
            }
        }
    }

    /// Fills whole pixels `box` with an opaque colour (image cells, backgrounds): no blending cost.
    public mutating func fillPixels(_ box: PixelBox, _ c: RGBA) {
        if c.a < 0.999 {
            fill(Rect(x: Float(box.x0), y: Float(box.y0), width: Float(box.width), height: Float(box.height)), c)
            return
        }
        let b = box.intersection(drawable)
        if b.isEmpty { return }
        let (r, g, bl, _) = c.bytes
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in b.y0..<b.y1 {
                var i = (y * w + b.x0) * 4
                for _ in b.x0..<b.x1 { p[i] = r; p[i + 1] = g; p[i + 2] = bl; p[i + 3] = 255; i += 4 }
            }
        }
    }

    /// Gives `body` the pixel rows of `box` (clipped) to write directly: `body(row, x0, x1, buffer,
    /// offsetOfPixelX0)` for columns `x0..<x1`. The way to paint images and fields without
    /// per-pixel calls.
    public mutating func withRows(_ box: PixelBox,
                                  _ body: (Int, Int, Int, UnsafeMutableBufferPointer<UInt8>, Int) -> Void) {
        let b = box.intersection(drawable)
        if b.isEmpty { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in b.y0..<b.y1 { body(y, b.x0, b.x1, p, (y * w + b.x0) * 4) }
        }
    }

    // MARK: pixel-snapped rules (spines, ticks, grid)

    /// Width in whole pixels (at least 1) and the start offset that centres it on `pos`.
    static func snap(_ pos: Float, _ lineWidth: Float) -> (start: Float, width: Float) {
        let w = max(1, lineWidth.rounded())
        return ((pos - w / 2).rounded(), w)
    }

    /// A horizontal rule at `y` from `x0` to `x1`, snapped to whole pixels so it stays crisp.
    public mutating func hline(y: Float, from x0: Float, to x1: Float, width lw: Float, _ c: RGBA) {
        let (s, w) = Canvas.snap(y, lw)
        let a = min(x0, x1).rounded(), b = max(x0, x1).rounded()
        fill(Rect(x: a, y: s, width: b - a, height: w), c)
    }

    /// A vertical rule at `x` from `y0` to `y1`, snapped to whole pixels.
    public mutating func vline(x: Float, from y0: Float, to y1: Float, width lw: Float, _ c: RGBA) {
        let (s, w) = Canvas.snap(x, lw)
        let a = min(y0, y1).rounded(), b = max(y0, y1).rounded()
        fill(Rect(x: s, y: a, width: w, height: b - a), c)
    }

    /// The outline of a rectangle with snapped edges (a spine box or legend frame).
    public mutating func strokeRect(_ r: Rect, width lw: Float, _ c: RGBA) {
        let w = max(1, lw.rounded())
        let s = r.snapped
        fill(Rect(x: s.minX - w / 2, y: s.minY - w / 2, width: s.width + w, height: w).snapped, c)
        fill(Rect(x: s.minX - w / 2, y: s.maxY - w / 2, width: s.width + w, height: w).snapped, c)
        fill(Rect(x: s.minX - w / 2, y: s.minY + w / 2, width: w, height: s.height - w).snapped, c)
        fill(Rect(x: s.maxX - w / 2, y: s.minY + w / 2, width: w, height: s.height - w).snapped, c)
    }
}
