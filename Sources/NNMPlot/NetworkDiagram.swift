/// A layered graph of units and weighted connections: the "neurons and connections" view of a
/// network (Playground's diagram, NN-SVG's figures), as plain drawing data. What the units and
/// weights mean is the caller's business; this file only places and paints them.

/// One unit: a small image (its value over a plane, Playground's thumbnails) or a plain disc.
public struct DiagramNode: Sendable {
    /// Drawn beside the unit: left of the first column, right of the last; elsewhere not drawn.
    public var label: String?
    /// `side × side` values, row 0 at the top, painted one value per pixel; nil draws a disc.
    public var thumbnail: ScalarGrid?
    public var colormap: Colormap
    public var range: ColorRange

    public init(label: String? = nil, thumbnail: ScalarGrid? = nil, colormap: Colormap = .diverging,
                range: ColorRange = ColorRange(lo: -1, hi: 1)) {
        self.label = label; self.thumbnail = thumbnail; self.colormap = colormap; self.range = range
    }
}

/// A place in a column: a unit, or a mark standing for units left out.
public enum DiagramSlot: Sendable {
    case node(DiagramNode)
    /// "⋯ N more": `hidden` units of this layer are not drawn.
    case ellipsis(hidden: Int)
}

/// One layer of units, drawn as a column, with a few header lines above it.
public struct DiagramColumn: Sendable {
    public var header: [String]
    public var slots: [DiagramSlot]
    public init(header: [String], slots: [DiagramSlot]) { self.header = header; self.slots = slots }
}

/// A connection between slot `from` of one column and slot `to` of the next.
public struct DiagramEdge: Sendable {
    public var from: Int
    public var to: Int
    public var weight: Float
    public init(from: Int, to: Int, weight: Float) { self.from = from; self.to = to; self.weight = weight }
}

/// Everything a network diagram shows.
public struct NetworkDiagram: Sendable {
    public var title: String?
    public var columns: [DiagramColumn]
    /// `edges[g]` joins column `g` to column `g + 1`; each gap is scaled to its own largest |w|.
    public var edges: [[DiagramEdge]]
    /// Lines under the diagram that explain its colours and what was left out.
    public var notes: [String]
    /// Side of a thumbnail in pixels at scale 1; nodes without one are discs.
    public var thumbnailSide: Int
    /// Colour keys of the thumbnails, drawn in the legend row after the edge key.
    public var colorKeys: [DiagramColorKey] = []

    public init(title: String?, columns: [DiagramColumn], edges: [[DiagramEdge]], notes: [String] = [],
                thumbnailSide: Int = 44) {
        self.title = title; self.columns = columns; self.edges = edges; self.notes = notes
        self.thumbnailSide = thumbnailSide
    }
}

/// Where the diagram put things, so callers (and tests) can find a unit or an edge in the picture.
public struct DiagramLayout: Sendable {
    public var width: Int
    public var height: Int
    /// `slots[c][k]`: the box of slot `k` of column `c`, in canvas pixels.
    public var slots: [[Rect]]
    /// The two ends of edge `e` of gap `g`: `edgeEnds[g][e]`.
    public var edgeEnds: [[(Point, Point)]]
}

/// A small horizontal colour key under the diagram: the map, three labels (low, middle, high)
/// under it and a caption after it ("unit output, each on its own scale").
public struct DiagramColorKey: Sendable {
    public var colormap: Colormap
    public var labels: (low: String, middle: String, high: String)
    public var caption: String
    public init(colormap: Colormap, labels: (low: String, middle: String, high: String), caption: String) {
        self.colormap = colormap; self.labels = labels; self.caption = caption
    }
}

/// How edges show their weight: the sign by hue (and by a dash, so it survives greyscale
/// printing), the size by width and opacity, relative to the largest |w| between the same two
/// columns.
public enum EdgeStyle {
    /// Positive weights: RdBu's dark red; negative: its dark blue (the weights picture's ends).
    public static let positive = RGBA(hex: 0xb2182b)
    public static let negative = RGBA(hex: 0x2166ac)

    /// Width in pixels at scale 1 and opacity for a weight that is `fraction` of its gap's max.
    public static func stroke(fraction f: Float) -> (width: Float, opacity: Float) {
        let c = f.isFinite ? max(0, min(1, f)) : 0
        return (0.6 + 3.4 * c, 0.18 + 0.82 * c)
    }

    /// The colour of a weight's edge: hue by sign, opacity by size.
    public static func color(weight: Float, maxAbs: Float) -> RGBA {
        let f = maxAbs > 0 ? abs(weight) / maxAbs : 0
        return (weight < 0 ? negative : positive).withAlpha(stroke(fraction: f).opacity)
    }
}
