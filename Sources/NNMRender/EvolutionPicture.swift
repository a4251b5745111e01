import NNM
import NNMFormat
import NNMPlot

/// How the evolution picture is drawn.
public struct EvolutionOptions: Sendable {
    /// Width in pixels at scale 1; the height follows the panels' grid.
    public var width: Int = 960
    public var title: String?
    public init(width: Int = 960, title: String? = nil) { self.width = width; self.title = title }
}

/// The decision boundary (a regression model's value field) at every weight snapshot, as small
/// multiples: the same points, axes and colour scale in every panel, the epoch and the figures
/// the history recorded for it above each, so a reader watches the boundary form.
public enum EvolutionPicture {
    public static func render(_ model: NNMModel, points: BoundaryPoints = .recipe, options: EvolutionOptions = EvolutionOptions(),
                              theme: Theme) throws -> (canvas: Canvas, summary: BoundaryFromModel.Summary) {
        try MinimumSize.check("evolution", width: options.width, height: nil, minimum: MinimumSize.evolution)
        // No snapshots is the first thing to say: without them there is nothing to evolve.
        let snapshots = try SnapshotNetwork.all(in: model)
        guard model.inputCount == 2 else { throw RenderError.evolutionNeedsTwoInputs(inputs: model.inputCount) }
        let (base, summary) = try BoundaryFromModel.input(for: model, points: points)
        let shared = try sharedPlot(model, base: base, options: options, count: snapshots.count)
        let extent = shared.extent
        let size = FieldSmallMultiplesChart.panelSize(shared, count: snapshots.count, width: options.width, theme: theme)
        let samples = ScalarGrid.samplePoints(width: size.width, height: size.height, extent: extent)
        let fields = try snapshots.map { try BoundaryFromModel.evaluator(of: $0.network, slice: .wholePlane)(samples) }
        let range = valueRange(fields.joined() + base.points.compactMap(\.value))
        let panels = try zip(snapshots, fields).map { snapshot, out in
            let text = SnapshotNetwork.caption(epoch: snapshot.epoch, history: model.history, regression: model.isRegression)
            return FieldSmallMultiples.Panel(caption: text.caption, detail: text.detail,
                                             background: try background(base, out: out, size: size, range: range))
        }
        let canvas = try FieldSmallMultiplesChart.render(FieldSmallMultiples(panels: panels, shared: shared),
                                                         width: options.width, theme: theme)
        return (canvas, summary)
    }

    /// What every panel shares: the extent, points, axis names, legend, colour-bar label and
    /// the figure's title.
    static func sharedPlot(_ model: NNMModel, base: BoundaryInput, options: EvolutionOptions, count: Int) throws -> FieldPlot {
        var shared = FieldPlot(extent: boundaryExtent(base.points, margin: 0.1), background: try placeholder(base),
                               points: base.points,
                               labels: AxesLabels(title: title(model, options: options, count: count),
                                                  x: base.axisNames?.x ?? "x₁", y: base.axisNames?.y ?? "x₂"),
                               classNames: base.classNames)
        shared.colorbarLabel = base.valueLabel ?? probabilityLabel(base)
        return shared
    }

    static func title(_ model: NNMModel, options: EvolutionOptions, count: Int) -> String {
        if let title = options.title { return title }
        let figures = SnapshotNetwork.figuresAreValidation(model.history) ? "validation figures" : "training figures"
        let what = model.isRegression ? "Prediction" : "Decision boundary"
        return "\(what) at \(count) epoch\(count == 1 ? "" : "s") (\(figures))"
    }

    /// The shared plot's background kind, for its legend and colour bar.
    static func placeholder(_ input: BoundaryInput) throws -> FieldBackground {
        let g = try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])
        if input.valueLabel != nil { return .scalar(g, .viridis, ColorRange(lo: 0, hi: 1)) }
        if input.classCount > 2 {
            return .classes(try ClassGrid(width: 2, height: 2, classCount: input.classCount,
                                          probabilities: [Float](repeating: 0, count: 4 * input.classCount)))
        }
        return .probability(g)
    }

    /// One snapshot's field: P(class 1), the class mixture, or the value on the shared range.
    static func background(_ input: BoundaryInput, out: [Float], size: (width: Int, height: Int),
                           range: ColorRange) throws -> FieldBackground {
        let n = size.width * size.height
        if input.valueLabel != nil {
            guard out.count == n else { throw RenderError.badModelOutput(expected: n, got: out.count) }
            return .scalar(try ScalarGrid(width: size.width, height: size.height, values: out), .viridis, range)
        }
        if input.classCount > 2 {
            guard out.count == n * input.classCount else { throw RenderError.badModelOutput(expected: n * input.classCount, got: out.count) }
            return .classes(try ClassGrid(width: size.width, height: size.height, classCount: input.classCount, probabilities: out))
        }
        let p: [Float]
        if out.count == n { p = out } else if out.count == 2 * n { p = (0..<n).map { out[2 * $0 + 1] } } else {
            throw RenderError.badModelOutput(expected: n, got: out.count)
        }
        return .probability(try ScalarGrid(width: size.width, height: size.height, values: p))
    }
}
