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

/// A Linear layer's parameters as read from the file, shapes checked.
public struct LinearWeights: Sendable {
    public var layerIndex: Int
    /// Row-major `[outputs, inputs]`.
    public var weight: MatrixData
    public var bias: [Float]?

    /// Every Linear layer of `file`, in order, its tensors taken from NNMFormat's one
    /// layer/tensor check (``ModelFile/layerTensors()``). Throws when a tensor is missing,
    /// misshapen or unreadable (said as a `RenderError`).
    public static func all(in file: ModelFile) throws -> [LinearWeights] {
        let layers: [LayerTensors]
        do { layers = try file.layerTensors() } catch let error as NNMFormatError {
            throw RenderError(error)
        }
        var out: [LinearWeights] = []
        for layer in layers where layer.record.kind == .linear {
            let record = layer.record
            let weight = try readValues(layer, .weight)
            guard let matrix = try? MatrixData(rows: record.outputs, cols: record.inputs, values: weight) else {
                throw RenderError.badTensorShape(name: TensorName(layer: layer.index, role: .weight).description,
                                                 shape: [weight.count], expected: [record.outputs, record.inputs])
            }
            out.append(LinearWeights(layerIndex: layer.index, weight: matrix, bias: try readValues(layer, .bias)))
        }
        return out
    }

    static func readValues(_ layer: LayerTensors, _ role: TensorRole) throws -> [Float] {
        do { return try layer.values(role) } catch let NNMFormatError.tensorMismatch(mismatch) {
            throw RenderError(.tensorMismatch(mismatch))
        } catch {
            throw RenderError.unreadableTensor(name: TensorName(layer: layer.index, role: role).description,
                                               reason: String(describing: error))
        }
    }
}

extension RenderError {
    /// The picture's words for a model whose layers and tensors disagree.
    init(_ error: NNMFormatError) {
        switch error {
        case .tensorMismatch(.missing(let name)): self = .missingTensor(name: name.description)
        case let .tensorMismatch(.shape(name, expected, found)):
            self = .badTensorShape(name: name.description, shape: found, expected: expected)
        case let .tensorMismatch(.valueCount(name, expected, found)):
            self = .badTensorShape(name: name.description, shape: [found], expected: [expected])
        default: self = .unloadableModel(reason: error.description)
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
public func renderWeights(_ file: ModelFile, options: WeightOptions = WeightOptions(), theme: Theme) throws -> Canvas {
    try MinimumSize.check("weights", width: options.width, height: nil, minimum: MinimumSize.weights)
    let layers = try LinearWeights.all(in: file)
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
    let inputAxis = file.featureNames.map(featureAxisLabel)
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
