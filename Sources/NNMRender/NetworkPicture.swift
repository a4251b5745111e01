import NNM
import NNMFormat
import NNMPlot

/// How the network picture is drawn.
public struct NetworkOptions: Sendable {
    /// Layers with more units than this show `maxUnits - 2` of them and an ellipsis.
    public var maxUnits: Int = 24
    /// For two-input models, every unit as a thumbnail of its output over the input plane.
    public var thumbnails: Bool = true
    /// Thumbnail side in pixels at scale 1.
    public var thumbnailSide: Int = 44
    public var title: String?
    public init(maxUnits: Int = 24, thumbnails: Bool = true, thumbnailSide: Int = 44, title: String? = nil) {
        self.maxUnits = maxUnits; self.thumbnails = thumbnails; self.thumbnailSide = thumbnailSide; self.title = title
    }
}

/// The network picture and what is where in it (tests and callers find a unit's thumbnail or
/// an edge through it).
public struct NetworkPicture {
    public var canvas: Canvas
    public var layout: DiagramLayout
    /// `units[c][k]`: the unit index drawn in slot `k` of column `c` (nil for an ellipsis).
    public var units: [[Int?]]
    /// The input plane the thumbnails span (nil without thumbnails).
    public var extent: Extent?
    /// The colour range of each drawn thumbnail, `ranges[c][k]` (nil for discs and ellipses).
    public var ranges: [[ColorRange?]]
    /// Colormap of each column's thumbnails.
    public var colormaps: [Colormap]
}

/// One column of the diagram: the network's inputs, or a Linear layer with the activations
/// that follow it (its units' outputs are what the next Linear layer reads).
struct NetworkStage {
    /// Index of the Linear layer (nil for the inputs).
    var linearIndex: Int?
    /// Index of the last layer of the stage: the network up to it gives the units' outputs.
    var lastLayer: Int
    var width: Int
    var activations: [LayerKind]
    var weight: MatrixData?

    /// The network cut into stages: inputs, then one per Linear layer.
    static func stages(of network: Sequential) throws -> [NetworkStage] {
        var out = [NetworkStage(linearIndex: nil, lastLayer: -1, width: network.inputCount, activations: [], weight: nil)]
        for (i, layer) in network.layers.enumerated() {
            if let linear = layer as? Linear {
                let w = try MatrixData(rows: linear.outputCount, cols: linear.inputCount, values: linear.weight.storage)
                out.append(NetworkStage(linearIndex: i, lastLayer: i, width: linear.outputCount, activations: [], weight: w))
            } else if out.count == 1 {
                out[0].activations.append(layer.kind)   // a Standardize before the first Linear
                out[0].lastLayer = i
            } else {
                out[out.count - 1].activations.append(layer.kind)
                out[out.count - 1].lastLayer = i
            }
        }
        return out
    }

    /// The units drawn when the stage is wider than `maxUnits`: the `maxUnits - 2` with the
    /// largest incoming and outgoing weights (each as a share of the layer's largest), in order.
    func shownUnits(maxUnits: Int, next: NetworkStage?) -> [Int] {
        guard width > maxUnits else { return Array(0..<width) }
        var score = [Float](repeating: 0, count: width)
        func add(_ norms: [Float]) {
            let top = norms.max() ?? 0
            guard top > 0 else { return }
            for u in norms.indices { score[u] += norms[u] / top }
        }
        if let w = weight {
            add((0..<w.rows).map { r in (0..<w.cols).reduce(Float(0)) { $0 + w[r, $1] * w[r, $1] }.squareRoot() })
        }
        if let w = next?.weight {
            add((0..<w.cols).map { c in (0..<w.rows).reduce(Float(0)) { $0 + w[$1, c] * w[$1, c] }.squareRoot() })
        }
        let keep = max(1, maxUnits - 2)
        let best = score.indices.sorted { (score[$0], -$0) > (score[$1], -$1) }.prefix(keep)
        return best.sorted()
    }

    /// "ReLU", "Sigmoid", "LeakyReLU 0.01" … joined, or nil.
    var activationText: String? {
        let names = activations.compactMap { kind -> String? in
            switch kind {
            case .relu: return "ReLU"
            case .leakyReLU(let slope): return "LeakyReLU \(NiceTicks.shortest(Double(slope)))"
            case .sigmoid: return "Sigmoid"
            case .tanh: return "Tanh"
            case .softmax: return "Softmax"
            case .standardize: return "standardized"
            case .rescale: return "rescaled to target units"
            case .identity, .linear: return nil
            }
        }
        return names.isEmpty ? nil : names.joined(separator: " · ")
    }

    /// Outputs that are probabilities (Sigmoid or Softmax last) are drawn on 0…1.
    var endsInProbability: Bool { activations.last == .sigmoid || activations.last == .softmax }
}
