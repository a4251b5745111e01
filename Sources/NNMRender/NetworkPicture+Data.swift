import NNM
import NNMFormat
import NNMPlot

/// The names beside the inputs and outputs: feature and class names the file records, else
/// x₁, x₂ …, pixel (row, column) for a square image, class k.
struct NetworkLabels {
    var inputs: [Int: String] = [:]
    var outputs: [Int: String] = [:]

    init(model: NNMModel, inputs shownInputs: [Int], outputs shownOutputs: [Int], probability: Bool) {
        let names = model.featureNames
        let square = squareImageShape(inputs: model.inputCount)
        for u in shownInputs {
            if let names, u < names.count { inputs[u] = NetworkLabels.clipped(escapeForDisplay(names[u])) }
            else if let square { inputs[u] = "pixel (\(u / square.cols), \(u % square.cols))" }
            else { inputs[u] = "x" + NetworkLabels.subscripted(u + 1) }
        }
        let classes = model.classNames
        for u in shownOutputs {
            if model.outputCount == 1 {
                let positive = classes.flatMap { $0.count == 2 ? $0[1] : nil }.map { escapeForDisplay($0) } ?? "class 1"
                outputs[u] = probability ? "P(\(NetworkLabels.clipped(positive)))" : "output"
            } else if let classes, u < classes.count {
                outputs[u] = NetworkLabels.clipped(escapeForDisplay(classes[u]))
            } else {
                outputs[u] = probability ? "class \(u)" : "output \(u)"
            }
        }
    }

    /// Long names cut to 24 characters, so one name cannot push the diagram off the page.
    static func clipped(_ s: String) -> String { s.count > 24 ? String(s.prefix(23)) + "…" : s }

    /// 12 → "₁₂".
    static func subscripted(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return String(String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }
}

/// The plane the thumbnails span and how to name it.
struct ThumbnailPlane {
    var extent: Extent
    var xName: String
    var yName: String
    /// Where the extent comes from, for the note under the picture.
    var source: String
}

/// The training data's extent ± 10 % (as the boundary picture draws it); without points the
/// standardized unit square's ±3 σ, or −1…1.
func thumbnailPlane(_ model: NNMModel) throws -> ThumbnailPlane {
    let names = model.featureNames.flatMap { $0.count == 2 ? $0.map { NetworkLabels.clipped(escapeForDisplay($0)) } : nil }
    let (x, y) = (names?[0] ?? "x₁", names?[1] ?? "x₂")
    if let recipe = try? model.recipe, let data = try? BoundaryFromModel.pointData(recipe: recipe, points: .recipe) {
        let points = BoundaryFromModel.drawnPoints(data).points
        if !points.isEmpty {
            return ThumbnailPlane(extent: boundaryExtent(points, margin: 0.1), xName: x, yName: y,
                                  source: "the training data ± 10 %, as in the boundary picture")
        }
    }
    if let s = model.network.layers.first as? Standardize, s.mean.count == 2 {
        let e = Extent(xMin: Double(s.mean[0] - 3 / s.scale[0]), xMax: Double(s.mean[0] + 3 / s.scale[0]),
                       yMin: Double(s.mean[1] - 3 / s.scale[1]), yMax: Double(s.mean[1] + 3 / s.scale[1]))
        if [e.xMin, e.xMax, e.yMin, e.yMax].allSatisfy(\.isFinite), e.xMax > e.xMin, e.yMax > e.yMin {
            return ThumbnailPlane(extent: e, xName: x, yName: y, source: "the training mean ± 3 standard deviations; the data is not at hand")
        }
    }
    return ThumbnailPlane(extent: Extent(xMin: -1, xMax: 1, yMin: -1, yMax: 1), xName: x, yName: y,
                          source: "the data is not at hand")
}

/// Every stage's unit outputs at the centres of a `side × side` grid over `extent` (row 0 at the
/// top): `out[c][p * width + u]` for stage `c`, grid point `p`, unit `u`. The inputs stage is the
/// points themselves.
func stageOutputs(_ network: Sequential, stages: [NetworkStage], extent: Extent, side: Int) throws -> [[Float]] {
    let samples = ScalarGrid.samplePoints(width: side, height: side, extent: extent)
    let input = Matrix(rows: samples.count, columns: 2, storage: samples.flatMap { [Float($0.x), Float($0.y)] })
    var out: [[Float]] = [input.storage]
    for stage in stages.dropFirst() {
        let prefix = try Sequential(Array(network.layers[0...stage.lastLayer]))
        out.append(try prefix.predict(input).storage)
    }
    return out
}
