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
    public var classNames: [String]?

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
    public init(width: Int = 720, height: Int? = nil, margin: Double = 0.1, extent: Extent? = nil) {
        self.width = width; self.height = height; self.margin = margin; self.extent = extent
    }
}

/// The model's class-probability field over the data's extent, evaluated once per plot pixel:
/// two classes → P(class 1) on a diverging map with the 0.5 contour and a colour bar; more →
/// class colours mixed by probability with the borders between classes drawn.
public func renderBoundary(_ input: BoundaryInput, options: BoundaryOptions = BoundaryOptions(), theme: Theme) throws -> Canvas {
    let extent = options.extent ?? Extent.around(xs: input.points.map(\.x), ys: input.points.map(\.y), relative: options.margin)
    let labels = AxesLabels(title: input.title, x: "x₁", y: "x₂")
    var plot = FieldPlot(extent: extent, background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])),
                         points: input.points, labels: labels, cornerText: input.cornerText, classNames: input.classNames)
    if input.classCount > 2 {
        plot.background = .classes(try ClassGrid(width: 2, height: 2, classCount: input.classCount,
                                                 probabilities: [Float](repeating: 0, count: 4 * input.classCount)))
    }
    let height = options.height ?? FieldChart.fittedHeight(plot, width: options.width, theme: theme)
    let size = FieldChart.plotSize(plot, width: options.width, height: height, theme: theme)
    let samples = ScalarGrid.samplePoints(width: size.width, height: size.height, extent: extent)
    let out = try input.evaluate(samples)
    let n = samples.count
    if input.classCount > 2 {
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
