import NNMPlot

extension Canvas {
    /// This picture centred on a canvas of at least `width`×`height` pixels (white margins).
    ///
    /// Content-sized pictures (weight heatmaps keep at least one pixel per weight) use it to
    /// honour a `--size` that is larger than they need; one that needs more room keeps its own
    /// size, since shrinking would blur the weights (the caller says so).
    public func centred(onAtLeast width: Int, _ height: Int, background: RGBA = .white) throws -> Canvas {
        let W = max(self.width, width), H = max(self.height, height)
        if W == self.width && H == self.height { return self }
        var out = try Canvas(width: W, height: H, background: background)
        let dx = (W - self.width) / 2, dy = (H - self.height) / 2
        let src = pixels, srcWidth = self.width
        out.withRows(PixelBox(x0: dx, y0: dy, x1: dx + self.width, y1: dy + self.height)) { y, xa, xb, p, off in
            let from = ((y - dy) * srcWidth + (xa - dx)) * 4
            for i in 0..<((xb - xa) * 4) { p[off + i] = src[from + i] }
        }
        return out
    }
}
