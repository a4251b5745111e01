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

/// A marker's label, placed: its text, the pale ground behind it and where the text starts.
struct MarkerLabel {
    var text: String
    var ground: Rect
    var anchor: Point
    var onLeft: Bool
    var color: RGBA

    /// The ground's corners and the middle of its lower edge: the points a legend placed by
    /// counting the points it hides (``Boxes/best``) keeps clear of.
    var outlinePoints: [Point] {
        [Point(ground.minX, ground.minY), Point(ground.maxX, ground.minY), Point(ground.minX, ground.maxY),
         Point(ground.maxX, ground.maxY), Point((ground.minX + ground.maxX) / 2, ground.maxY)]
    }
}

extension Canvas {
    /// Dashed vertical lines at the markers' x inside `ax` (their labels: ``markerLabels``).
    mutating func drawVerticalMarkerLines(_ markers: [VerticalMarker], in ax: Axes, theme t: Theme) {
        let box = ax.box
        for marker in markers {
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
        }
    }

    /// Where each marker's label goes: at the top of the panel beside its line, stepped down
    /// for each marker so that neighbours do not print over each other; a label that `legend`
    /// would cover goes below the legend box instead, with the same steps (a small panel has
    /// room for both only so), or stays where it was when the panel has no room below.
    func markerLabels(_ markers: [VerticalMarker], in ax: Axes, theme t: Theme, clearOf legend: Rect? = nil) -> [MarkerLabel] {
        var labels: [MarkerLabel] = []
        let box = ax.box
        let size = t.tickFont * 0.95
        let lineHeight = t.text.lineHeight(size: size)
        for (index, marker) in markers.enumerated() {
            let x = ax.px(marker.x)
            guard x >= box.minX - 0.5, x <= box.maxX + 0.5 else { continue }
            // Right of the line, or left of it when the right has too little room for it all.
            let right = box.maxX - x - t.px(8), left = x - box.minX - t.px(8)
            let onLeft = t.text.measure(marker.label, size: size) > right && left > right
            let text = fitted(marker.label, width: onLeft ? left : right, size: size, theme: t)
            guard !text.isEmpty else { continue }
            let step = Float(index % 3) * (lineHeight + t.px(2))
            var top = box.minY + t.px(3) + step
            let width = t.text.measure(text, size: size) + t.px(4)
            func ground(_ top: Float) -> Rect {
                Rect(x: onLeft ? x - t.px(2) - width : x + t.px(2), y: top - t.px(1), width: width, height: lineHeight + t.px(2))
            }
            if let legend, ground(top).overlaps(legend) {
                let below = legend.maxY + t.px(4) + step
                if ground(below).maxY <= box.maxY { top = below }
            }
            labels.append(MarkerLabel(text: text, ground: ground(top), anchor: Point(onLeft ? x - t.px(4) : x + t.px(4), top),
                                      onLeft: onLeft, color: marker.color))
        }
        return labels
    }

    /// The labels on their pale ground.
    mutating func drawMarkerLabels(_ labels: [MarkerLabel], theme t: Theme) {
        let size = t.tickFont * 0.95
        for label in labels {
            fill(label.ground, t.background.withAlpha(0.7))
            drawText(label.text, at: label.anchor, size: size, color: label.color,
                     h: label.onLeft ? .right : .left, v: .top, using: t.text)
        }
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
