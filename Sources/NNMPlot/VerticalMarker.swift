/// A labelled vertical line across a line-chart panel at one x value: where something
/// happened to the series (a training run resumed with other data or settings).
public struct VerticalMarker: Sendable {
    public var x: Double
    /// Drawn beside the line at the top of the panel (cut with "…" to the room beside it).
    public var label: String
    /// What the legend says about the line (nil: nothing).
    public var legend: String?
    public var color: RGBA

    public init(x: Double, label: String, legend: String? = nil, color: RGBA = RGBA(hex: 0x5A5A5A)) {
        self.x = x
        self.label = label
        self.legend = legend
        self.color = color
    }
}

extension Canvas {
    /// Dashed vertical lines at the markers' x inside `ax`, each labelled at the top on a pale
    /// ground, the label stepped down for each marker so that neighbours do not print over
    /// each other. Returns the corners of the labels, for the legend to keep clear of.
    @discardableResult
    mutating func drawVerticalMarkers(_ markers: [VerticalMarker], in ax: Axes, theme t: Theme) -> [Point] {
        var corners: [Point] = []
        let box = ax.box
        let size = t.tickFont * 0.95
        let lineHeight = t.text.lineHeight(size: size)
        for (index, marker) in markers.enumerated() {
            let x = ax.px(marker.x)
            guard x >= box.minX - 0.5, x <= box.maxX + 0.5 else { continue }
            var y = box.minY
            let dash = t.px(5), gap = t.px(3)
            clipped(to: box) { c in
                while y < box.maxY {
                    c.strokePolyline([Point(x, y), Point(x, min(box.maxY, y + dash))], lineWidth: t.px(1.2), marker.color)
                    y += dash + gap
                }
            }
            // Right of the line, or left of it when the right has too little room for it all.
            let right = box.maxX - x - t.px(8), left = x - box.minX - t.px(8)
            let onLeft = t.text.measure(marker.label, size: size) > right && left > right
            let label = fitted(marker.label, width: onLeft ? left : right, size: size, theme: t)
            guard !label.isEmpty else { continue }
            let top = box.minY + t.px(3) + Float(index % 3) * (lineHeight + t.px(2))
            let width = t.text.measure(label, size: size) + t.px(4)
            let ground = Rect(x: onLeft ? x - t.px(2) - width : x + t.px(2), y: top - t.px(1), width: width,
                              height: lineHeight + t.px(2))
            fill(ground, t.background.withAlpha(0.7))
            corners += [Point(ground.minX, ground.minY), Point(ground.maxX, ground.minY),
                        Point(ground.minX, ground.maxY), Point(ground.maxX, ground.maxY),
                        Point((ground.minX + ground.maxX) / 2, ground.maxY)]
            drawText(label, at: Point(onLeft ? x - t.px(4) : x + t.px(4), top), size: size, color: marker.color,
                     h: onLeft ? .right : .left, v: .top, using: t.text)
        }
        return corners
    }

    /// `text`, cut with "…" until it is at most `width` pixels wide ("" when not even "…" fits).
    private func fitted(_ text: String, width: Float, size: Float, theme t: Theme) -> String {
        if t.text.measure(text, size: size) <= width { return text }
        var cut = text
        while !cut.isEmpty {
            cut.removeLast()
            if t.text.measure(cut + "…", size: size) <= width { return cut + "…" }
        }
        return ""
    }
}
