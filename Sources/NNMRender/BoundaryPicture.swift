#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNMPlot

/// What a decision-boundary picture needs from the engine: the points to show and a batch
/// evaluator of the model. NNMRender stays free of dataset regeneration; the caller (which owns
/// the engine) fills this in.
public struct BoundaryInput {
    /// Training and test points (`isTest` marks test ones), in the model's input coordinates.
    public var points: [ScatterPoint]
    /// Number of classes (2 for a sigmoid output).
    public var classCount: Int
    /// The model on a batch of (x, y) inputs: per point either 1 value (P(class 1), sigmoid) or
    /// `classCount` probabilities (softmax), row after row.
    public var evaluate: ([(x: Double, y: Double)]) throws -> [Float]
    /// Shown in the lower-right corner, e.g. "test accuracy 0.97".
    public var cornerText: [String]
    public var title: String
    /// A shorter title used when `title` is wider than the picture (then `title` is cut with "…").
    public var compactTitle: String?
    /// The end of the title that must survive a cut (the accuracy): a title too wide loses
    /// words of its data set's name, never its figures.
    public var titleSuffix: String?
    public var classNames: [String]?
    /// The features' names for the axes (a CSV's header); nil draws x₁ and x₂.
    public var axisNames: (x: String, y: String)?
    /// Set for a regression model: `evaluate` gives one value per point in the target's units,
    /// drawn as a value field (viridis) whose colour bar carries this label, and the points
    /// carry their targets (`ScatterPoint.value`).
    public var valueLabel: String?
    /// Text under the plot, as wordings from the longest to the shortest, each a list of lines:
    /// the first whose lines all fit the picture's width is drawn (else the last). A slice
    /// through a wider model says here what the other inputs are held at and that the points
    /// are projected onto it.
    public var footnote: [[String]] = []
    /// Passed to ``FieldPlot/equalAspect``: a slice's two features are in units of their own,
    /// so it fills the plot (false); nil decides from the ranges.
    public var equalAspect: Bool?

    public init(points: [ScatterPoint], classCount: Int, evaluate: @escaping ([(x: Double, y: Double)]) throws -> [Float],
                cornerText: [String] = [], title: String, classNames: [String]? = nil) {
        self.points = points; self.classCount = classCount; self.evaluate = evaluate
        self.cornerText = cornerText; self.title = title; self.classNames = classNames
    }
}

/// How the boundary picture is drawn.
public struct BoundaryOptions: Sendable {
    public var width: Int = 720
    /// nil: the height at which the equal-aspect field fills the width (no empty bands).
    public var height: Int?
    /// Extent = points' bounding box ± this fraction of its size on each side.
    public var margin: Double = 0.1
    /// Explicit extent instead of the points' bounds.
    public var extent: Extent?
    /// Model evaluations across the plot's width (the height follows the aspect), drawn with
    /// bilinear interpolation; nil evaluates the model once per plot pixel (the sharpest).
    public var grid: Int?
    public init(width: Int = 720, height: Int? = nil, margin: Double = 0.1, extent: Extent? = nil, grid: Int? = nil) {
        self.width = width; self.height = height; self.margin = margin; self.extent = extent; self.grid = grid
    }
}

/// Most model evaluations one boundary picture makes (a 2048×2048 grid).
public let maxEvaluations = 2048 * 2048

/// The boundary picture's plot before the model is evaluated (its field a placeholder) and the
/// canvas height: where the plot box lies, which tests need to sample the field's pixels.
func boundaryPlot(_ input: BoundaryInput, options: BoundaryOptions, theme: Theme) throws -> (plot: FieldPlot, height: Int) {
    try MinimumSize.check("boundary", width: options.width, height: options.height, minimum: MinimumSize.boundary)
    let extent = options.extent ?? boundaryExtent(input.points, margin: options.margin)
    let labels = AxesLabels(title: input.title, x: input.axisNames?.x ?? "x₁", y: input.axisNames?.y ?? "x₂")
    var plot = FieldPlot(extent: extent, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])),
                         points: input.points, labels: labels, cornerText: input.cornerText, classNames: input.classNames)
    plot.colorbarLabel = input.valueLabel ?? probabilityLabel(input)
    plot.equalAspect = input.equalAspect
    plot.footnote = input.footnote.first { lines in
        lines.allSatisfy { FieldChart.footnoteFits($0, width: options.width, theme: theme) }
    } ?? input.footnote.last ?? []
    if input.valueLabel != nil {
        plot.background = .scalar(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0]), .viridis, ColorRange(lo: 0, hi: 1))
        plot.contourLevel = nil  // a value field has no level that means anything in particular
    } else if input.classCount > 2 {
        plot.background = .classes(try ClassGrid(width: 2, height: 2, classCount: input.classCount,
                                                 probabilities: [Float](repeating: 0, count: 4 * input.classCount)))
    }
    let height = options.height ?? FieldChart.fittedHeight(plot, width: options.width, theme: theme)
    var input = input
    if !input.cornerText.isEmpty {
        // A corner box wider than half the plot would hide much of it: the figures join the
        // title instead (kept when the title is cut).
        let box = FieldChart.plotBox(plot, width: options.width, height: height, theme: theme)
        let boxW = (input.cornerText.map { theme.text.measure($0, size: theme.px(11)) }.max() ?? 0) + theme.px(24)
        if boxW > box.width * 0.5 {
            let figures = input.cornerText.joined(separator: " · ")
            input.title += " · " + figures
            input.titleSuffix = figures
            input.cornerText = []
            plot.cornerText = []
        }
    }
    plot.labels.title = fittingTitle(input, plot: plot, width: options.width, height: height, theme: theme)
    return (plot, height)
}

/// The model's class-probability field over the data's extent, evaluated once per plot pixel:
/// two classes → P(class 1) on a diverging map with the 0.5 contour and a colour bar; more →
/// class colours mixed by probability with the borders between classes drawn.
public func renderBoundary(_ input: BoundaryInput, options: BoundaryOptions = BoundaryOptions(), theme: Theme) throws -> Canvas {
    let layout = try boundaryPlot(input, options: options, theme: theme)
    var plot = layout.plot
    let height = layout.height
    let extent = plot.extent
    // Refuse an impossible canvas before evaluating the model over it.
    let W = Int((Float(options.width) * theme.scale).rounded()), H = Int((Float(height) * theme.scale).rounded())
    guard W >= 1, H >= 1, W <= Canvas.maxSide, H <= Canvas.maxSide, W * H <= Canvas.maxArea else {
        throw PlotError.invalidCanvasSize(width: W, height: H)
    }
    let box = FieldChart.plotSize(plot, width: options.width, height: height, theme: theme)
    var size = box
    if let g = options.grid {
        let w = max(2, min(g, 4096))
        size = (w, max(2, Int((Double(w) * Double(box.height) / Double(max(1, box.width))).rounded())))
    }
    // At most `maxEvaluations` model calls: beyond that a coarser grid, drawn bilinearly, looks
    // the same and keeps memory bounded (16 bytes per sample point plus the outputs).
    if size.width * size.height > maxEvaluations {
        let k = (Double(maxEvaluations) / Double(size.width * size.height)).squareRoot()
        size = (max(2, Int(Double(size.width) * k)), max(2, Int(Double(size.height) * k)))
    }
    let samples = ScalarGrid.samplePoints(width: size.width, height: size.height, extent: extent)
    let out = try input.evaluate(samples)
    let n = samples.count
    if input.valueLabel != nil {
        guard out.count == n else { throw RenderError.badModelOutput(expected: n, got: out.count) }
        plot.background = .scalar(try ScalarGrid(width: size.width, height: size.height, values: out), .viridis,
                                  valueRange(out + input.points.compactMap(\.value)))
    } else if input.classCount > 2 {
        guard out.count == n * input.classCount else { throw RenderError.badModelOutput(expected: n * input.classCount, got: out.count) }
        plot.background = .classes(try ClassGrid(width: size.width, height: size.height, classCount: input.classCount, probabilities: out))
    } else {
        let p: [Float]
        if out.count == n { p = out }
        else if out.count == 2 * n { p = (0..<n).map { out[2 * $0 + 1] } }
        else { throw RenderError.badModelOutput(expected: n, got: out.count) }
        plot.background = .probability(try ScalarGrid(width: size.width, height: size.height, values: p))
    }
    return try FieldChart.render(plot, width: options.width, height: height, theme: theme)
}

/// The value field's colour range: the lowest to the highest of the field and the targets, so
/// both are on one scale and no point's colour is clipped.
func valueRange(_ values: [Float]) -> ColorRange {
    let finite = values.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max() else { return ColorRange(lo: 0, hi: 1) }
    return hi > lo ? ColorRange(lo: lo, hi: hi) : ColorRange(lo: lo - 0.5, hi: hi + 0.5)
}

/// The colour bar's label: "P(lo)" when the two classes have names of their own, nil (the
/// chart's "P(class 1)") otherwise.
func probabilityLabel(_ input: BoundaryInput) -> String? {
    guard input.classCount == 2, let names = input.classNames, names.count == 2, names != ["0", "1"] else { return nil }
    return "P(\(names[1]))"
}

/// Fewer points than this do not say how far the data spreads: their extent gets a minimum.
let fewPoints = 20

/// The points' bounding box plus `margin`. With only a few points (a `--samples 3` model) a side
/// spans at least a third of the other, so three nearly collinear points give a picture, not a
/// strip; with many points the box is the data's own, however differently its axes are scaled.
func boundaryExtent(_ points: [ScatterPoint], margin: Double) -> Extent {
    var e = Extent.around(xs: points.map(\.x), ys: points.map(\.y), relative: margin)
    guard points.count < fewPoints else { return e }
    let w = e.xMax - e.xMin, h = e.yMax - e.yMin
    let ratio = FieldPlot.maxEqualAspectRatio
    if w < h / ratio { let c = (e.xMin + e.xMax) / 2; e.xMin = c - h / ratio / 2; e.xMax = c + h / ratio / 2 }
    if h < w / ratio { let c = (e.yMin + e.yMax) / 2; e.yMin = c - w / ratio / 2; e.yMax = c + w / ratio / 2 }
    return e
}

/// The title that fits above the plot: the title is centred on the plot box, so it may use
/// twice the distance from the box's centre to the nearer canvas edge.
func fittingTitle(_ input: BoundaryInput, plot: FieldPlot, width: Int, height: Int, theme t: Theme) -> String {
    let box = FieldChart.plotBox(plot, width: width, height: height, theme: t)
    let canvasW = Float(width) * t.scale
    let room = 2 * min(box.midX, canvasW - box.midX) - t.px(8)
    func fits(_ s: String) -> Bool { t.text.measure(s, size: t.px(t.titleFontPt)) <= room }
    if fits(input.title) { return input.title }
    if let c = input.compactTitle, fits(c) { return c }
    // The figures survive the cut; on a very narrow picture the held-out one alone ("test 98.00 %").
    let held = input.titleSuffix.flatMap { $0.split(separator: ",").last.map { $0.trimmingWhitespace() } }
    if let suffix = input.titleSuffix.flatMap({ fits($0) ? $0 : (held.flatMap { fits($0) ? $0 : nil }) }) {
        let joint = " · " + suffix
        var head = input.compactTitle ?? input.title
        if let full = input.titleSuffix, head.hasSuffix(" · " + full) { head.removeLast(full.count + 3) }
        if fits(head + joint) { return head + joint }
        while !head.isEmpty && !fits(head + "…" + joint) { head.removeLast() }
        return head.isEmpty ? suffix : head + "…" + joint
    }
    var s = input.compactTitle ?? input.title
    while !s.isEmpty && !fits(s + "…") { s.removeLast() }
    // Cut at a word: "train…" reads better than "train 98.…".
    if let space = s.lastIndex(of: " "), s.distance(from: s.startIndex, to: space) >= 4 {
        s = String(s[..<space])
        while let last = s.last, " ·,;:".contains(last) { s.removeLast() }
    }
    return s.isEmpty ? "" : s + "…"
}
