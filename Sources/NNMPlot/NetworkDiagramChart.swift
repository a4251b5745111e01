/// Draws a ``NetworkDiagram``: columns of units left to right, headers above, edges between
/// neighbouring columns, an edge key and notes below. The canvas takes the size the diagram
/// needs (at least `minimumWidth`), like the weights picture, so nothing is squeezed.
public enum NetworkDiagramChart {
    /// Narrowest canvas, pixels at scale 1.
    public static let minimumWidth = 560

    /// Side in canvas pixels of a thumbnail: callers evaluate their grids at this size, so the
    /// picture shows one computed value per pixel.
    public static func thumbnailPixels(_ d: NetworkDiagram, theme t: Theme) -> Int {
        max(8, Int((Float(d.thumbnailSide) * t.scale).rounded()))
    }

    static func hasThumbnails(_ d: NetworkDiagram) -> Bool {
        d.columns.contains { $0.slots.contains { if case .node(let n) = $0 { return n.thumbnail != nil }; return false } }
    }

    struct Metrics {
        var node: Float, pitch: Float, spacing: Float, leftLabels: Float, rightLabels: Float
        var headerH: Float, titleH: Float, columnsH: Float, legendH: Float, notesH: Float
        var pad: Float, width: Float, height: Float, firstX: Float
        var smallFont: Float, headerFont: Float
    }

    static func label(_ slot: DiagramSlot) -> String? {
        if case .node(let n) = slot { return n.label }
        return nil
    }

    static func metrics(_ d: NetworkDiagram, theme t: Theme) -> Metrics {
        let s = t.scale
        let thumbs = hasThumbnails(d)
        let node = thumbs ? Float(thumbnailPixels(d, theme: t)) : (14 * s).rounded()
        let gap = (thumbs ? 10 : 7) * s
        let small = t.px(8), headerFont = t.px(9)
        let lh = t.text.lineHeight(size: headerFont)
        func labelWidth(_ c: DiagramColumn?) -> Float {
            guard let c else { return 0 }
            let w = c.slots.compactMap(label).map { t.text.measure($0, size: small) }.max() ?? 0
            return w > 0 ? w + 6 * s : 0
        }
        let widestHeader = d.columns.flatMap(\.header).map { t.text.measure($0, size: headerFont) }.max() ?? 0
        let spacing = max(150 * s, widestHeader + 24 * s, node + 90 * s)
        let maxSlots = Float(d.columns.map(\.slots.count).max() ?? 1)
        let headerLines = Float(d.columns.map(\.header.count).max() ?? 0)
        let pad = 14 * s
        let titleH = d.title == nil ? 0 : t.text.lineHeight(size: t.titleFont) + 10 * s
        let left = labelWidth(d.columns.first), right = d.columns.count > 1 ? labelWidth(d.columns.last) : 0
        let diagramW = left + node + Float(max(0, d.columns.count - 1)) * spacing + right
        let notesW = d.notes.map { t.text.measure($0, size: small) }.max() ?? 0
        let legendW = legendWidth(d, theme: t)
        let width = max(Float(minimumWidth) * s, diagramW + 2 * pad, notesW + 2 * pad, legendW + 2 * pad).rounded(.up)
        let columnsH = maxSlots * (node + gap) - gap
        let legendH = (t.text.lineHeight(size: small) * 2.6).rounded(.up)
        let notesH = Float(d.notes.count) * t.text.lineHeight(size: small) * 1.15
        let height = (pad + titleH + headerLines * lh + 8 * s + columnsH + legendSpace(t) + legendH + notesH + pad).rounded(.up)
        let firstX = ((width - diagramW) / 2 + left).rounded()
        return Metrics(node: node, pitch: node + gap, spacing: spacing, leftLabels: left, rightLabels: right,
                       headerH: headerLines * lh, titleH: titleH, columnsH: columnsH, legendH: legendH,
                       notesH: notesH, pad: pad, width: width, height: height, firstX: firstX,
                       smallFont: small, headerFont: headerFont)
    }

    /// Room between the lowest unit and the legend (an ellipsis's "N more" hangs below its slot).
    static func legendSpace(_ t: Theme) -> Float { 26 * t.scale }

    /// Where every slot and edge goes.
    public static func layout(_ d: NetworkDiagram, theme t: Theme) -> DiagramLayout {
        let m = metrics(d, theme: t)
        let top = m.pad + m.titleH + m.headerH + 8 * t.scale
        var slots: [[Rect]] = []
        for (c, column) in d.columns.enumerated() {
            let x = (m.firstX + Float(c) * m.spacing).rounded()
            let h = Float(column.slots.count) * m.pitch - (m.pitch - m.node)
            let y0 = (top + (m.columnsH - h) / 2).rounded()
            slots.append(column.slots.indices.map { k in
                Rect(x: x, y: (y0 + Float(k) * m.pitch).rounded(), width: m.node, height: m.node)
            })
        }
        var ends: [[(Point, Point)]] = []
        for (g, gapEdges) in d.edges.enumerated() where g + 1 < slots.count {
            ends.append(gapEdges.map { e in
                guard slots[g].indices.contains(e.from), slots[g + 1].indices.contains(e.to) else {
                    return (Point(.nan, .nan), Point(.nan, .nan))
                }
                let a = slots[g][e.from], b = slots[g + 1][e.to]
                return (Point(a.maxX, a.midY), Point(b.minX, b.midY))
            })
        }
        return DiagramLayout(width: Int(m.width), height: Int(m.height), slots: slots, edgeEnds: ends)
    }
}
