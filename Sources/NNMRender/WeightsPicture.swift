import NNM
import NNMFormat
import NNMPlot

/// How the weights picture is drawn.
public struct WeightOptions: Sendable {
    /// Target width in pixels at scale 1; a wide layer widens the picture to keep ≥ 1 px per weight.
    public var width: Int = 1000
    /// One colour scale for all layers (compare layers) instead of one per layer (see each layer's detail).
    public var sharedScale: Bool = false
    /// Draw each unit's incoming weights of the first Linear layer with `rows × cols` inputs as
    /// a small image (`--as-images 28x28`).
    public var asImages: (rows: Int, cols: Int)?
    public var title: String?
    public init(width: Int = 1000, sharedScale: Bool = false, asImages: (rows: Int, cols: Int)? = nil, title: String? = nil) {
        self.width = width; self.sharedScale = sharedScale; self.asImages = asImages; self.title = title
    }
}

/// A Linear layer's parameters, taken from the loaded network (whose tensors the model's
/// load has already checked against their layers).
public struct LinearWeights: Sendable {
    public var layerIndex: Int
    /// Row-major `[outputs, inputs]`.
    public var weight: MatrixData
    public var bias: [Float]

    /// Every Linear layer of `network`, in order.
    public static func all(in network: Sequential) throws -> [LinearWeights] {
        try network.layers.enumerated().compactMap { index, layer in
            guard let linear = layer as? Linear else { return nil }
            let weight = try MatrixData(rows: linear.outputCount, cols: linear.inputCount, values: linear.weight.storage)
            return LinearWeights(layerIndex: index, weight: weight, bias: linear.bias)
        }
    }
}

/// Summary line for a matrix: shape, min, max, mean, std (population).
func statsLine(_ m: MatrixData) -> String {
    let v = m.values.filter(\.isFinite)
    let n = Double(max(1, v.count))
    let mean = v.reduce(0.0) { $0 + Double($1) } / n
    let variance = v.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    let f = NiceTicks.compact
    return "\(m.rows)×\(m.cols) · min \(f(Double(v.min() ?? 0))) · max \(f(Double(v.max() ?? 0))) · mean \(f(mean)) · std \(f(variance.squareRoot()))"
}

/// One heatmap per Linear layer (rows = output units, columns = input units, as the format
/// stores them), diverging colours centred on zero with a symmetric range, a colour bar, the
/// bias as a strip beside; or, with `asImages`, one small image per unit.
public func renderWeights(_ model: NNMModel, options: WeightOptions = WeightOptions(), theme: Theme) throws -> Canvas {
    try MinimumSize.check("weights", width: options.width, height: nil, minimum: MinimumSize.weights)
    let layers = try LinearWeights.all(in: model.network)
    guard !layers.isEmpty else { throw RenderError.noLinearLayer }
    if let (r, c) = options.asImages {
        guard r >= 1, c >= 1, let l = layers.first(where: { $0.weight.cols == r * c }) else {
            throw RenderError.noLayerForImages(rows: max(0, r), cols: max(0, c), inputCounts: layers.map(\.weight.cols))
        }
        let tiles = (0..<l.weight.rows).map { o in Array(l.weight.values[(o * l.weight.cols)..<((o + 1) * l.weight.cols)]) }
        let title = options.title ?? "\(TensorName(layer: l.layerIndex, role: .weight)): \(l.weight.rows) units as \(r)×\(c) images"
        return try ImageGridChart.render(tiles: tiles, tileRows: r, tileCols: c, title: title, width: options.width, theme: theme)
    }
    // The first layer's inputs are the data's columns: named on its axis when the file records them.
    let inputAxis = model.featureNames.map(featureAxisLabel)
    let panels = layers.enumerated().map { position, l in
        HeatmapPanel(title: "\(TensorName(layer: l.layerIndex, role: .weight))  (Linear \(l.weight.cols) → \(l.weight.rows))",
                     subtitle: statsLine(l.weight), matrix: l.weight, bias: l.bias,
                     colLabel: position == 0 ? inputAxis ?? "input unit" : "input unit")
    }
    return try HeatmapChart.render(panels, width: options.width, title: options.title,
                                   sharedRange: options.sharedScale, theme: theme)
}

/// "input: sepal_length, sepal_width, … (4 features)": the first names that fit an axis label.
func featureAxisLabel(_ names: [String]) -> String {
    var shown: [String] = []
    var length = 0
    for name in names {
        let clean = escapeForDisplay(name)
        guard length + clean.count <= 60 || shown.isEmpty else { break }
        shown.append(clean.count > 60 ? String(clean.prefix(59)) + "…" : clean)
        length += clean.count + 2
    }
    let more = shown.count < names.count ? ", …" : ""
    return "input: " + shown.joined(separator: ", ") + more + " (\(names.count) features)"
}
