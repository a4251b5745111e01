extension NetworkDiagramChart {
    static let edgeKeyText = (positive: "positive weight", negative: "negative weight",
                              size: "width, opacity ∝ |w| ÷ largest |w| of the layer")

    /// One legend row under the diagram: the edge key, then each colour key.
    static func legendItems(_ d: NetworkDiagram, theme t: Theme) -> [Float] {
        let f = t.px(8), s = t.scale
        var widths: [Float] = [22 * s + 4 * s + t.text.measure(edgeKeyText.positive, size: f),
                               22 * s + 4 * s + t.text.measure(edgeKeyText.negative, size: f),
                               t.text.measure(edgeKeyText.size, size: f)]
        for key in d.colorKeys {
            widths.append(keyBarWidth(t) + 6 * s + t.text.measure(key.caption, size: f))
        }
        return widths
    }

    static func keyBarWidth(_ t: Theme) -> Float { 96 * t.scale }
    static func legendGap(_ t: Theme) -> Float { 16 * t.scale }

    static func legendWidth(_ d: NetworkDiagram, theme t: Theme) -> Float {
        let items = legendItems(d, theme: t)
        return items.reduce(0, +) + Float(max(0, items.count - 1)) * legendGap(t)
    }

    static func drawLegend(_ d: NetworkDiagram, top: Float, left: Float, canvas: inout Canvas, theme t: Theme) {
        let f = t.px(8), s = t.scale
        let widths = legendItems(d, theme: t)
        var x = left.rounded()
        let cy = top + t.text.lineHeight(size: f) * 0.6
        let ink = RGBA(0.2, 0.2, 0.2)
        canvas.strokeSegments([(Point(x, cy), Point(x + 22 * s, cy))], lineWidth: 2.5 * s, EdgeStyle.positive)
        canvas.drawText(edgeKeyText.positive, at: Point(x + 26 * s, cy), size: f, color: ink, h: .left, v: .center, using: t.text)
        x += widths[0] + legendGap(t)
        canvas.strokeSegments(dashes(from: Point(x, cy), to: Point(x + 22 * s, cy), dash: 7 * s, gap: 4 * s),
                              lineWidth: 2.5 * s, EdgeStyle.negative)
        canvas.drawText(edgeKeyText.negative, at: Point(x + 26 * s, cy), size: f, color: ink, h: .left, v: .center, using: t.text)
        x += widths[1] + legendGap(t)
        canvas.drawText(edgeKeyText.size, at: Point(x, cy), size: f, color: ink, h: .left, v: .center, using: t.text)
        x += widths[2] + legendGap(t)
        for (i, key) in d.colorKeys.enumerated() {
            let bar = Rect(x: x, y: (cy - 4 * s).rounded(), width: keyBarWidth(t), height: (8 * s).rounded())
            let box = PixelBox(covering: bar)
            for col in box.x0..<box.x1 {
                let frac = (Float(col - box.x0) + 0.5) / Float(max(1, box.width))
                canvas.fillPixels(PixelBox(x0: col, y0: box.y0, x1: col + 1, y1: box.y1), key.colormap.color(at: frac))
            }
            canvas.strokeRect(bar, width: max(1, 0.6 * s), RGBA(0, 0, 0, 0.6))
            let under = bar.maxY + 2 * s, small = t.px(7)
            canvas.drawText(key.labels.low, at: Point(bar.minX, under), size: small, color: ink, h: .left, v: .top, using: t.text)
            canvas.drawText(key.labels.middle, at: Point(bar.midX, under), size: small, color: ink, h: .center, v: .top, using: t.text)
            canvas.drawText(key.labels.high, at: Point(bar.maxX, under), size: small, color: ink, h: .right, v: .top, using: t.text)
            canvas.drawText(key.caption, at: Point(bar.maxX + 6 * s, cy), size: f, color: ink, h: .left, v: .center, using: t.text)
            x += widths[3 + i] + legendGap(t)
        }
    }

    /// A unit (thumbnail or disc) or an ellipsis, and the unit's label on the outer side.
    static func drawSlot(_ slot: DiagramSlot, in r: Rect, labelSide: HAlign?, canvas: inout Canvas, small: Float, theme t: Theme) {
        switch slot {
        case .node(let n):
            if let g = n.thumbnail {
                paintThumbnail(g, n, in: r, canvas: &canvas)
                canvas.strokeRect(r, width: max(1, 0.6 * t.scale), RGBA(0, 0, 0, 0.55))
            } else {
                canvas.drawMarker(at: Point(r.midX, r.midY),
                                  MarkerStyle(radius: r.width / 2, fill: RGBA(0.93, 0.93, 0.93), edge: RGBA(0.25, 0.25, 0.25),
                                              edgeWidth: max(1, t.scale)))
            }
            guard let label = n.label, let side = labelSide else { return }
            let x = side == .right ? r.minX - 5 * t.scale : r.maxX + 5 * t.scale
            canvas.drawText(label, at: Point(x, r.midY), size: small, color: t.textColor, h: side, v: .center, using: t.text)
        case .ellipsis(let hidden):
            let dot = max(1.2, 1.6 * t.scale), step = 4.5 * t.scale
            for i in -1...1 {
                canvas.drawMarker(at: Point(r.midX, r.midY + Float(i) * step - 3 * t.scale),
                                  MarkerStyle(radius: dot, fill: RGBA(0.3, 0.3, 0.3), edge: .clear, edgeWidth: 0))
            }
            let text = "\(hidden) more"
            let y = r.midY + 3 * t.scale + step
            let w = t.text.measure(text, size: t.px(7))
            canvas.fill(Rect(x: r.midX - w / 2 - 2, y: y, width: w + 4, height: t.text.lineHeight(size: t.px(7))), RGBA(1, 1, 1, 0.85))
            canvas.drawText(text, at: Point(r.midX, y), size: t.px(7), color: RGBA(0.2, 0.2, 0.2), h: .center, v: .top, using: t.text)
        }
    }

    /// One grid value per pixel (nearest when the grid's size differs from the box).
    static func paintThumbnail(_ g: ScalarGrid, _ n: DiagramNode, in r: Rect, canvas: inout Canvas) {
        let box = PixelBox(covering: r.snapped)
        let lut = (0..<256).map { n.colormap.color(at: Float($0) / 255).bytes }
        canvas.withRows(box) { y, xa, xb, p, off in
            let row = min(g.height - 1, (y - box.y0) * g.height / max(1, box.height))
            var i = off
            for x in xa..<xb {
                let col = min(g.width - 1, (x - box.x0) * g.width / max(1, box.width))
                let f = n.range.normalized(g.values[row * g.width + col])
                let c = lut[f.isFinite ? Int(max(0, min(1, f)) * 255 + 0.5) : 127]
                p[i] = c.0; p[i + 1] = c.1; p[i + 2] = c.2; p[i + 3] = 255
                i += 4
            }
        }
    }
}
