import NNM
import NNMFormat
import NNMPlot

/// The pictures `renderAll` can make, with the file name each is saved under.
public enum PictureKind: String, Sendable, CaseIterable {
    case loss
    case weights
    /// The first layer's units as small images, for inputs that form a square picture (784 → 28×28).
    case weightImages = "weights-images"
    case boundary
    /// Layers of units and their weights (`nnm-render network`).
    case network
    /// Confusion matrix on the held-out split (`nnm-render confusion`).
    case confusion
    /// ROC and precision–recall curves for two classes (`nnm-render roc`).
    case roc
    /// Predicted against actual, and the residual histogram, of a regression model (`nnm-render residuals`).
    case residuals
    /// The boundary at every weight snapshot (`nnm-render evolution`).
    case evolution
    /// The weight distributions over the snapshot epochs (`nnm-render weights-over-time`).
    case weightsOverTime = "weights-over-time"

    public var fileName: String { rawValue + ".png" }
}

/// What became of one picture in `renderAll`.
public enum PictureOutcome {
    /// Rendered; `note` tells something the user should know (e.g. a size that was not honoured).
    case made(PictureKind, Canvas, note: String?)
    /// Does not apply to this model (no history, not 2-D, ...), or its data is not at hand.
    case skipped(PictureKind, reason: String)
    /// The picture could not be made although it applies: a damaged history or recipe section,
    /// a size too small to read, outputs the picture cannot use.
    case failed(PictureKind, Error)
}

/// Options of every picture in `renderAll`; each has the defaults of its own subcommand.
public struct AllOptions {
    public var loss = LossOptions()
    public var weights = WeightOptions()
    public var boundary = BoundaryOptions()
    public var boundaryPoints = BoundaryPoints.recipe
    /// The boundary's two features for a model with more inputs (nil: the two the first layer weighs most).
    public var boundaryFeatures: FeatureChoice?
    public var network = NetworkOptions()
    /// One title for every picture (each has its own default otherwise).
    public var title: String?
    /// A height every picture is padded to at least (weights; loss and boundary take it exactly).
    public var minimumHeight: Int?
    public init() {}
}

/// The square picture a layer's inputs form, if any: 784 → 28×28, 64 → 8×8 (at least 4×4).
public func squareImageShape(inputs: Int) -> (rows: Int, cols: Int)? {
    guard inputs >= 16 else { return nil }
    var side = 1
    while (side + 1) * (side + 1) <= inputs { side += 1 }
    return side * side == inputs ? (side, side) : nil
}

/// Every picture that applies to the model, in `PictureKind` order. A picture that does not
/// apply is skipped with the reason, never drawn empty.
public func renderAll(_ model: NNMModel, options: AllOptions = AllOptions(), theme: Theme) -> [PictureOutcome] {
    var out: [PictureOutcome] = []
    func attempt(_ kind: PictureKind, _ body: () throws -> (Canvas, String?)) {
        do {
            let (canvas, note) = try body()
            out.append(.made(kind, canvas, note: note))
        } catch RenderError.sizeTooSmall(let p, let w, let h, let mw, let mh) {
            out.append(.failed(kind, RenderError.sizeTooSmall(picture: p, width: w, height: h, minimumWidth: mw, minimumHeight: mh)))
        } catch let error as RenderError where error.meansNotApplicable
            || [.boundary, .confusion, .roc, .residuals, .evolution].contains(kind) && !isDamage(error) && !error.isBadChoice {
            out.append(.skipped(kind, reason: error.description))
        } catch {
            out.append(.failed(kind, error))
        }
    }
    var options = options
    if let title = options.title { options.loss.title = title; options.weights.title = title; options.network.title = title }
    attempt(.loss) { (try renderLoss(model, options: options.loss, theme: theme), nil) }
    attempt(.weights) {
        let c = try renderWeights(model, options: options.weights, theme: theme)
        return try fitted(c, width: options.weights.width, height: options.minimumHeight, theme: theme)
    }
    let firstLinear = model.network.layers.first { $0.kind == .linear }
    if let first = firstLinear, let inputs = first.requiredInputCount, let shape = squareImageShape(inputs: inputs) {
        attempt(.weightImages) {
            var o = options.weights
            o.asImages = shape
            let c = try renderWeights(model, options: o, theme: theme)
            return try fitted(c, width: o.width, height: options.minimumHeight, theme: theme)
        }
    } else {
        let inputs = firstLinear?.requiredInputCount.map { "\($0) inputs" } ?? "no Linear layer"
        out.append(.skipped(.weightImages, reason: "the first Linear layer's inputs do not form a square picture (\(inputs))"))
    }
    attempt(.boundary) {
        let (input, summary) = try BoundaryFromModel.input(for: model, points: options.boundaryPoints, title: options.title,
                                                             features: options.boundaryFeatures)
        let note = summary.notes.isEmpty ? nil : summary.notes.joined(separator: "; ")
        return (try renderBoundary(input, options: options.boundary, theme: theme), note)
    }
    attempt(.confusion) { (try renderConfusion(model, points: options.boundaryPoints, title: options.title, theme: theme), nil) }
    attempt(.roc) { (try renderROC(model, points: options.boundaryPoints, title: options.title, theme: theme), nil) }
    attempt(.residuals) { (try renderResiduals(model, points: options.boundaryPoints, title: options.title, theme: theme), nil) }
    attempt(.network) {
        let c = try renderNetwork(model, options: options.network, theme: theme).canvas
        return try fitted(c, width: options.weights.width, height: options.minimumHeight, theme: theme)
    }
    renderSnapshotPictures(model, options: options, theme: theme, attempt: attempt)
    return out
}

/// A content-sized picture padded to the asked size, with a note when it needed more room.
/// `width`/`height` are pixels at scale 1.
public func fitted(_ c: Canvas, width: Int, height: Int?, theme: Theme) throws -> (Canvas, String?) {
    guard let height else { return (c, nil) }
    let W = Int((Float(width) * theme.scale).rounded()), H = Int((Float(height) * theme.scale).rounded())
    let out = try c.centred(onAtLeast: W, H)
    let note = out.width > W || out.height > H
        ? "the picture needs \(out.width)×\(out.height) pixels to keep one pixel per weight, more than the asked \(W)×\(H)"
        : nil
    return (out, note)
}

/// Errors that mean the model file is damaged, as opposed to a picture that does not apply.
func isDamage(_ error: RenderError) -> Bool {
    switch error {
    case .badModelOutput, .damagedSection: return true
    default: return false
    }
}

/// The two snapshot pictures, for a model trained with `--snapshots N` (skipped without).
func renderSnapshotPictures(_ model: NNMModel, options: AllOptions, theme: Theme,
                            attempt: (PictureKind, () throws -> (Canvas, String?)) -> Void) {
    attempt(.evolution) {
        let (c, summary) = try EvolutionPicture.render(model, points: options.boundaryPoints,
                                                       options: EvolutionOptions(title: options.title), theme: theme)
        return (c, summary.notes.isEmpty ? nil : summary.notes.joined(separator: "; "))
    }
    attempt(.weightsOverTime) { (try WeightsOverTimePicture.render(model, title: options.title, theme: theme), nil) }
}
