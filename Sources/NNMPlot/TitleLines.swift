/// A title set into a given width as matplotlib's tight layout would leave it readable: on one
/// line if it fits, else on two balanced lines (broken at a " · " separator when one serves,
/// else at a space), else in a smaller font; never cut short silently.
public struct TitleLines: Sendable, Equatable {
    public var lines: [String]
    /// Font size in pixels the lines are drawn at.
    public var size: Float
    /// Width of the widest line at `size`.
    public var width: Float

    /// Smallest font, as a share of the theme's title font, before more lines are used.
    static let smallestShare: Float = 0.8
    /// Most lines a title is set on; an absurdly long title ends in "…" on the last one.
    static let maxLines = 4

    /// `title` set into `width` pixels, starting from the font size `size`.
    public static func fit(_ title: String, width: Float, size: Float, t: Theme) -> TitleLines {
        let measure = { (s: String, px: Float) in t.text.measure(s, size: px) }
        let one = measure(title, size)
        if one <= width { return TitleLines(lines: [title], size: size, width: one) }
        // Two lines, shrinking the font step by step down to `smallestShare`.
        var px = size
        while px >= size * smallestShare - 0.01 {
            for separator in [" · ", " "] {
                let two = twoLines(title, at: separator, size: px, t: t)
                let widest = two.map { measure($0, px) }.max() ?? 0
                if two.count == 2, widest <= width { return TitleLines(lines: two, size: px, width: widest) }
            }
            px -= max(0.25, size * 0.05)
        }
        px = size * smallestShare
        var lines = greedy(title, width: width, size: px, t: t)
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] = FieldGridChart.fit(lines[maxLines - 1] + " …", width: width, size: px, t: t)
        }
        // A single word wider than the canvas is cut visibly ("…"), not left to run off the edge.
        lines = lines.map { FieldGridChart.fit($0, width: width, size: px, t: t) }
        return TitleLines(lines: lines, size: px, width: lines.map { measure($0, px) }.max() ?? 0)
    }

    /// Height of the lines, one line height each.
    public func height(_ t: Theme) -> Float { Float(lines.count) * t.text.lineHeight(size: size) }

    /// The split at `separator` (dropped at the break) whose wider line is narrowest; the
    /// title whole when it has no such separator.
    static func twoLines(_ title: String, at separator: String, size: Float, t: Theme) -> [String] {
        let parts = title.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.count <= 256 else { return [title] }
        var best: [String] = [title], bestWidth = Float.infinity
        for k in 1..<parts.count {
            let pair = [parts[..<k].joined(separator: separator), parts[k...].joined(separator: separator)]
            let w = pair.map { t.text.measure($0, size: size) }.max() ?? 0
            if w < bestWidth { best = pair; bestWidth = w }
        }
        return best
    }

    /// Words filled line by line into `width` (a word wider than `width` gets a line of its own).
    static func greedy(_ title: String, width: Float, size: Float, t: Theme) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in title.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if line.isEmpty || t.text.measure(candidate, size: size) <= width {
                line = candidate
            } else {
                lines.append(line); line = String(word)
                if lines.count > maxLines { return lines }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
