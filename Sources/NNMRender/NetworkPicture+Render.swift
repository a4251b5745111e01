import NNM
import NNMFormat
import NNMPlot

/// The network as layers of units joined by their weights (Netron's "neurons and connections",
/// Playground's diagram): edge hue by sign, width and opacity by |w|; for two-input models each
/// unit is a thumbnail of its output over the data's input plane.
public func renderNetwork(_ model: NNMModel, options: NetworkOptions = NetworkOptions(), theme: Theme) throws -> NetworkPicture {
    let stages = try NetworkStage.stages(of: model.network)
    guard stages.count > 1 else { throw RenderError.noLinearLayer }
    let shown = stages.indices.map { c in
        stages[c].shownUnits(maxUnits: max(3, options.maxUnits), next: c + 1 < stages.count ? stages[c + 1] : nil)
    }
    let labels = NetworkLabels(model: model, inputs: shown[0], outputs: shown[shown.count - 1],
                               probability: stages[stages.count - 1].endsInProbability)
    var diagram = NetworkDiagram(title: options.title ?? networkTitle(model, stages: stages), columns: [], edges: [],
                                 thumbnailSide: options.thumbnailSide)
    let plane = options.thumbnails && model.inputCount == 2 ? try thumbnailPlane(model) : nil
    let side = NetworkDiagramChart.thumbnailPixels(diagram, theme: theme)
    let values = try plane.map { try stageOutputs(model.network, stages: stages, extent: $0.extent, side: side) }
    var ranges: [[ColorRange?]] = [], maps: [Colormap] = []
    for (c, stage) in stages.enumerated() {
        let isOutput = c == stages.count - 1
        let map: Colormap = isOutput && stage.endsInProbability ? .probability : .diverging
        maps.append(map)
        var slots: [DiagramSlot] = [], columnRanges: [ColorRange?] = []
        for u in shown[c] {
            var node = DiagramNode(label: c == 0 ? labels.inputs[u] : (isOutput ? labels.outputs[u] : nil), colormap: map)
            if let values {
                let v = (0..<(side * side)).map { values[c][$0 * stage.width + u] }
                node.thumbnail = try ScalarGrid(width: side, height: side, values: v)
                node.range = map.name == Colormap.probability.name ? ColorRange(lo: 0, hi: 1) : ColorRange.symmetric(v)
                columnRanges.append(node.range)
            } else {
                columnRanges.append(nil)
            }
            slots.append(.node(node))
        }
        if shown[c].count < stage.width { slots.append(.ellipsis(hidden: stage.width - shown[c].count)); columnRanges.append(nil) }
        diagram.columns.append(DiagramColumn(header: header(stage, index: c, count: stages.count), slots: slots))
        ranges.append(columnRanges)
        if c > 0, let w = stage.weight {
            diagram.edges.append(shown[c - 1].enumerated().flatMap { from, i in
                shown[c].enumerated().map { to, j in DiagramEdge(from: from, to: to, weight: w[j, i]) }
            })
        }
    }
    diagram.notes = networkNotes(stages: stages, shown: shown, options: options, plane: plane)
    if values != nil { diagram.colorKeys = colorKeys(probabilityOutput: stages[stages.count - 1].endsInProbability, labels: labels) }
    let (canvas, layout) = try NetworkDiagramChart.render(diagram, theme: theme)
    let units = shown.indices.map { c in shown[c].map { Optional($0) } + (shown[c].count < stages[c].width ? [nil] : []) }
    return NetworkPicture(canvas: canvas, layout: layout, units: units, extent: plane?.extent, ranges: ranges, colormaps: maps)
}

/// "2 → 16 → 16 → 1 · 337 parameters".
func networkTitle(_ model: NNMModel, stages: [NetworkStage]) -> String {
    let widths = stages.map { String($0.width) }.joined(separator: " → ")
    return "network \(widths) · \(BoundaryFromModel.grouped(model.network.parameterCount)) parameters"
}

/// Header lines of a column: what it is, its activation, the scale of the edges into it.
func header(_ stage: NetworkStage, index: Int, count: Int) -> [String] {
    guard let w = stage.weight else {
        return ["input · \(stage.width) feature\(stage.width == 1 ? "" : "s")", stage.activationText ?? " "]
    }
    let name = index == count - 1 ? "output" : "hidden \(index)"
    let maxAbs = w.values.map(abs).filter(\.isFinite).max() ?? 0
    return ["\(name) · Linear \(w.cols) → \(w.rows)", stage.activationText ?? "no activation",
            "largest |w| \(NiceTicks.shortest(Double(maxAbs)))"]
}

/// The colour keys of the thumbnails: hidden units on their own symmetric scales; outputs as
/// probabilities when they are.
func colorKeys(probabilityOutput: Bool, labels: NetworkLabels) -> [DiagramColorKey] {
    var keys = [DiagramColorKey(colormap: .diverging, labels: ("−max", "0", "+max"),
                                caption: probabilityOutput ? "unit output (inputs, hidden), own scale each" : "unit output, own scale each")]
    if probabilityOutput {
        keys.append(DiagramColorKey(colormap: .probability, labels: ("0", "0.5", "1"), caption: "output probability"))
    }
    return keys
}

/// What the picture leaves out or spans, in words under it.
func networkNotes(stages: [NetworkStage], shown: [[Int]], options: NetworkOptions, plane: ThumbnailPlane?) -> [String] {
    var notes: [String] = []
    if let plane {
        let e = plane.extent
        notes.append("Each square is that unit's output over the input plane: \(plane.xName) → from \(short(e.xMin)) to \(short(e.xMax)), "
                     + "\(plane.yName) ↑ from \(short(e.yMin)) to \(short(e.yMax)) (\(plane.source)).")
    }
    if shown.indices.contains(where: { shown[$0].count < stages[$0].width }) {
        notes.append("Layers wider than \(options.maxUnits) units show the \(max(1, options.maxUnits - 2)) with the largest weights "
                     + "(L2 norm in and out, as a share of the layer's largest), in order; edges of the others are not drawn.")
    }
    notes.append("Edges are scaled per layer: the widest, most opaque edge into a column is its \"largest |w|\".")
    return notes
}

func short(_ v: Double) -> String { NiceTicks.shortest((v * 1000).rounded() / 1000) }
