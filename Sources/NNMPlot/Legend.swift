/// One legend row: a sample of how the thing is drawn, and its label.
public struct LegendEntry {
    public enum Sample {
        case line(RGBA, width: Float)
        case marker(MarkerStyle)
        case patch(RGBA)
    }
    public var label: String
    public var sample: Sample
    public init(label: String, sample: Sample) { self.label = label; self.sample = sample }
}

/// Where a legend or text box goes inside a plot box.
public enum Corner: Sendable, CaseIterable {
    case upperRight, upperLeft, lowerLeft, lowerRight
}

/// The legend box's measures at a theme's scale.
struct LegendMetrics {
    let fontSize, lineHeight, sampleW, gap, pad, rowGap: Float
    init(theme t: Theme) {
        fontSize = t.px(t.legendFontPt)
        lineHeight = t.text.lineHeight(size: fontSize)
        sampleW = t.px(20); gap = t.px(8); pad = t.px(5); rowGap = t.px(2)
    }
}

enum Boxes {
    /// The rectangle of a `size` box in `corner` of `area`, inset by `pad`.
    static func place(_ size: (Float, Float), in area: Rect, corner: Corner, pad: Float) -> Rect {
        let (w, h) = size
        switch corner {
        case .upperRight: return Rect(x: area.maxX - pad - w, y: area.minY + pad, width: w, height: h)
        case .upperLeft: return Rect(x: area.minX + pad, y: area.minY + pad, width: w, height: h)
        case .lowerLeft: return Rect(x: area.minX + pad, y: area.maxY - pad - h, width: w, height: h)
        case .lowerRight: return Rect(x: area.maxX - pad - w, y: area.maxY - pad - h, width: w, height: h)
        }
    }

    /// matplotlib's "best": the first corner (in its order) that hides the fewest data points.
    static func best(_ size: (Float, Float), in area: Rect, pad: Float, avoiding pts: [Point]) -> Corner {
        var bestCorner = Corner.upperRight, bestCount = Int.max
        for c in Corner.allCases {
            // A line just outside the frame counts too: the legend should not touch it (4 px
            // at scale 1, as the padding scales).
            let r = place(size, in: area, corner: c, pad: pad).insetBy(-pad * 4 / 7)
            var n = 0
            for p in pts where r.contains(p) { n += 1 }
            if n < bestCount { bestCount = n; bestCorner = c }
        }
        return bestCorner
    }
}

extension Canvas {
    /// A legend box (white, 80 % opaque, light grey frame, as matplotlib's) in `corner`; with
    /// `corner == nil` the corner hiding the fewest of `avoiding` points is chosen.
    /// Returns whether it was drawn (false: it would have hidden most of the plot).
    @discardableResult
    public mutating func drawLegend(_ entries: [LegendEntry], in area: Rect, corner: Corner? = nil,
                                    avoiding: [Point] = [], theme t: Theme) -> Bool {
        guard let box = legendBox(entries, in: area, corner: corner, avoiding: avoiding, theme: t) else { return false }
        drawLegend(entries, box: box, theme: t)
        return true
    }

    /// Where ``drawLegend(_:in:corner:avoiding:theme:)`` would put the legend; nil when it
    /// would hide most of the plot (wider than 90 % of `area` or taller than 75 %).
    func legendBox(_ entries: [LegendEntry], in area: Rect, corner: Corner? = nil,
                   avoiding: [Point] = [], theme t: Theme) -> Rect? {
        guard !entries.isEmpty else { return nil }
        let m = LegendMetrics(theme: t)
        let textW = entries.map { t.text.measure($0.label, size: m.fontSize) }.max() ?? 0
        let w = m.pad * 2 + m.sampleW + m.gap + textW
        let h = m.pad * 2 + Float(entries.count) * m.lineHeight + Float(entries.count - 1) * m.rowGap
        guard w <= area.width * 0.9, h <= area.height * 0.75 else { return nil }
        let c = corner ?? Boxes.best((w, h), in: area, pad: t.px(7), avoiding: avoiding)
        return Boxes.place((w, h), in: area, corner: c, pad: t.px(7)).snapped
    }

    /// The legend in `box` (from ``legendBox(_:in:corner:avoiding:theme:)``).
    mutating func drawLegend(_ entries: [LegendEntry], box r: Rect, theme t: Theme) {
        let m = LegendMetrics(theme: t)
        let saved = clip
        clip = bounds
        defer { clip = saved }
        fill(r, RGBA(1, 1, 1, 0.8))
        strokeRect(r, width: t.px(0.8), .frameGray)
        for (i, e) in entries.enumerated() {
            let cy = r.minY + m.pad + Float(i) * (m.lineHeight + m.rowGap) + m.lineHeight / 2
            let sx = r.minX + m.pad
            switch e.sample {
            case let .line(color, width):
                strokePolyline([Point(sx, cy), Point(sx + m.sampleW, cy)], lineWidth: width, color)
            case let .marker(style):
                drawMarker(at: Point(sx + m.sampleW / 2, cy), style)
            case let .patch(color):
                let ph = m.lineHeight * 0.7
                fill(Rect(x: sx, y: cy - ph / 2, width: m.sampleW, height: ph).snapped, color)
                strokeRect(Rect(x: sx, y: cy - ph / 2, width: m.sampleW, height: ph).snapped, width: 1, RGBA(0, 0, 0, 0.4))
            }
            drawText(e.label, at: Point(sx + m.sampleW + m.gap, cy), size: m.fontSize, color: t.textColor,
                     h: .left, v: .center, using: t.text)
        }
    }

    /// Legend entries in rows with no box, for a legend placed outside the plot where it can never
    /// hide data. Entries go left to right and wrap to a new row when a row would be wider than
    /// `maxWidth`; each row is centred at `centerX`, moved inward to stay inside `minX...maxX`.
    /// `top` is the top of the first row; see `LegendRows.height` for the space it takes.
    public mutating func drawLegendRows(_ entries: [LegendEntry], centerX: Float, top: Float,
                                        minX: Float, maxX: Float, theme t: Theme) {
        let rows = LegendRows(entries, maxWidth: maxX - minX, theme: t)
        let fs = t.px(t.legendFontPt)
        for (r, row) in rows.rows.enumerated() {
            let total = rows.rowWidth(r)
            var x = max(minX, min(centerX - total / 2, maxX - total))
            let cy = top + Float(r) * (rows.lineHeight + rows.rowGap) + rows.lineHeight / 2
            for i in row {
                let e = entries[i]
                switch e.sample {
                case let .line(color, width):
                    strokePolyline([Point(x, cy), Point(x + rows.sampleW, cy)], lineWidth: width, color)
                case let .marker(style):
                    drawMarker(at: Point(x + rows.sampleW / 2, cy), style)
                case let .patch(color):
                    fill(Rect(x: x, y: cy - rows.sampleW / 2, width: rows.sampleW, height: rows.sampleW).snapped, color)
                }
                drawText(rows.labels[i], at: Point(x + rows.sampleW + rows.gap, cy), size: fs, color: t.textColor,
                         h: .left, v: .center, using: t.text)
                x += rows.widths[i] + rows.itemGap
            }
        }
    }

    /// Lines of text in a white, rounded-free box in a corner of `area` (sklearn prints the test
    /// accuracy in the lower-right corner this way).
    public mutating func drawTextBox(_ lines: [String], in area: Rect, corner: Corner, sizePt: Float = 11, theme t: Theme) {
        guard !lines.isEmpty else { return }
        let fs = t.px(sizePt)
        let lh = t.text.lineHeight(size: fs)
        let pad = t.px(5)
        let w = (lines.map { t.text.measure($0, size: fs) }.max() ?? 0) + 2 * pad
        let h = Float(lines.count) * lh + 2 * pad
        let r = Boxes.place((w, h), in: area, corner: corner, pad: t.px(7)).snapped
        let saved = clip
        clip = bounds
        defer { clip = saved }
        fill(r, RGBA(1, 1, 1, 0.75))
        strokeRect(r, width: t.px(0.8), .frameGray)
        for (i, s) in lines.enumerated() {
            drawText(s, at: Point(r.minX + pad, r.minY + pad + Float(i) * lh), size: fs, color: t.textColor,
                     h: .left, v: .top, using: t.text)
        }
    }
}

/// How a boxless legend wraps: which entries share a row, greedily in order, so that no row is
/// wider than the room given (a 320-px picture gets two rows instead of a row running off).
public struct LegendRows {
    public let rows: [[Int]]
    /// Each entry's label as drawn: cut with "…" when even a row of its own is too narrow for it.
    let labels: [String]
    let widths: [Float]
    let sampleW: Float, gap: Float, itemGap: Float, lineHeight: Float, rowGap: Float

    public init(_ entries: [LegendEntry], maxWidth: Float, theme t: Theme) {
        let fs = t.px(t.legendFontPt)
        sampleW = t.px(10); gap = t.px(4); itemGap = t.px(14)
        lineHeight = t.text.lineHeight(size: fs); rowGap = t.px(2)
        let room = maxWidth - t.px(10) - t.px(4)
        labels = entries.map { FieldGridChart.fit($0.label, width: room, size: fs, t: t) }
        let w = labels.map { t.px(10) + t.px(4) + t.text.measure($0, size: fs) }
        widths = w
        var rows = LegendRows.greedy(w, maxWidth: maxWidth, itemGap: itemGap)
        // Wrapped: balance the rows (3 + 2 entries rather than 4 + 1), the narrowest width that
        // still needs no more rows than the greedy fill.
        if rows.count > 1 {
            let total = w.reduce(0, +) + itemGap * Float(w.count - 1)
            var target = (total / Float(rows.count)).rounded(.down)
            while target < maxWidth {
                let tried = LegendRows.greedy(w, maxWidth: target, itemGap: itemGap)
                if tried.count <= rows.count { rows = tried; break }
                target += 1
            }
        }
        self.rows = rows
    }

    /// Fills rows left to right, starting a new row when the next entry would pass `maxWidth`.
    static func greedy(_ w: [Float], maxWidth: Float, itemGap: Float) -> [[Int]] {
        var rows: [[Int]] = [], current: [Int] = [], used: Float = 0
        for i in w.indices {
            let extra = current.isEmpty ? w[i] : itemGap + w[i]
            if !current.isEmpty, used + extra > maxWidth {
                rows.append(current); current = [i]; used = w[i]
            } else {
                current.append(i); used += extra
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// Width of row `r`, items and the gaps between them.
    public func rowWidth(_ r: Int) -> Float {
        rows[r].reduce(0) { $0 + widths[$1] } + itemGap * Float(max(0, rows[r].count - 1))
    }

    /// Height of all rows together (0 when there are no entries).
    public var height: Float {
        rows.isEmpty ? 0 : Float(rows.count) * lineHeight + Float(rows.count - 1) * rowGap
    }
}
