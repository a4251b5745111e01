extension NetworkDiagramChart {
    /// The picture and where its parts are.
    public static func render(_ d: NetworkDiagram, theme t: Theme) throws -> (Canvas, DiagramLayout) {
        guard !d.columns.isEmpty else { throw PlotError.invalidData("a network diagram needs at least one column") }
        let m = metrics(d, theme: t)
        let layout = layout(d, theme: t)
        var canvas = try Canvas(width: layout.width, height: layout.height, background: t.background)
        if let title = d.title {
            let shown = FieldGridChart.fit(title, width: m.width - 2 * m.pad, size: t.titleFont, t: t)
            canvas.drawText(shown, at: Point(m.width / 2, m.pad), size: t.titleFont, color: t.textColor,
                            h: .center, v: .top, using: t.text)
        }
        drawEdges(d, layout: layout, canvas: &canvas, theme: t)
        for (c, column) in d.columns.enumerated() {
            let boxes = layout.slots[c]
            let x = boxes.first?.midX ?? m.firstX
            let headerTop = m.pad + m.titleH
            for (i, line) in column.header.enumerated() {
                canvas.drawText(line, at: Point(x, headerTop + Float(i) * t.text.lineHeight(size: m.headerFont)),
                                size: m.headerFont, color: i == 0 ? t.textColor : RGBA(0.3, 0.3, 0.3),
                                h: .center, v: .top, using: t.text)
            }
            let side: HAlign? = c == 0 ? .right : (c == d.columns.count - 1 ? .left : nil)
            for (k, slot) in column.slots.enumerated() {
                drawSlot(slot, in: boxes[k], labelSide: side, canvas: &canvas, small: m.smallFont, theme: t)
            }
        }
        let legendTop = m.pad + m.titleH + m.headerH + 8 * t.scale + m.columnsH + legendSpace(t)
        drawLegend(d, top: legendTop, left: m.pad, canvas: &canvas, theme: t)
        let lh = t.text.lineHeight(size: m.smallFont) * 1.15
        for (i, note) in d.notes.enumerated() {
            canvas.drawText(note, at: Point(m.pad, legendTop + m.legendH + Float(i) * lh), size: m.smallFont,
                            color: RGBA(0.25, 0.25, 0.25), h: .left, v: .top, using: t.text)
        }
        return (canvas, layout)
    }

    /// Weak edges first, so the strong ones lie on top; negative ones dashed.
    static func drawEdges(_ d: NetworkDiagram, layout: DiagramLayout, canvas: inout Canvas, theme t: Theme) {
        for (g, gapEdges) in d.edges.enumerated() where g < layout.edgeEnds.count {
            let maxAbs = gapEdges.map { abs($0.weight) }.filter(\.isFinite).max() ?? 0
            let order = gapEdges.indices.sorted {
                (abs(gapEdges[$0].weight), $0) < (abs(gapEdges[$1].weight), $1)
            }
            for e in order where gapEdges[e].weight.isFinite {
                let w = gapEdges[e].weight
                let (a, b) = layout.edgeEnds[g][e]
                let width = EdgeStyle.stroke(fraction: maxAbs > 0 ? abs(w) / maxAbs : 0).width * t.scale
                let color = EdgeStyle.color(weight: w, maxAbs: maxAbs)
                if w < 0 {
                    canvas.strokeSegments(dashes(from: a, to: b, dash: 7 * t.scale, gap: 4 * t.scale), lineWidth: width, color)
                } else {
                    canvas.strokeSegments([(a, b)], lineWidth: width, color)
                }
            }
        }
    }

    /// The dashes of a dashed line, laid out symmetrically from its middle (so the middle of an
    /// edge is always inked).
    public static func dashes(from a: Point, to b: Point, dash: Float, gap: Float) -> [(Point, Point)] {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length.isFinite, length > 0, dash > 0 else { return [(a, b)] }
        func at(_ s: Float) -> Point { Point(a.x + dx * s / length, a.y + dy * s / length) }
        var out: [(Point, Point)] = []
        let period = dash + gap, mid = length / 2
        var start = mid - dash / 2
        while start > 0 { start -= period }
        while start < length {
            let s0 = max(0, start), s1 = min(length, start + dash)
            if s1 > s0 { out.append((at(s0), at(s1))) }
            start += period
        }
        return out
    }
}
