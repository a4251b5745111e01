import ArgumentParser
import NNMCommandLine
import NNMPlot
import NNMRender

/// `nnm-render evolution MODEL -o evolution.png`
struct EvolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evolution",
        abstract: "The decision boundary (regression: the value field) at every weight snapshot, as small multiples.",
        discussion: """
        A model trained with `nnm-train --snapshots N` keeps its weights at N epochs of the run, \
        log-spaced (epoch 1, the last epoch, and more of the early epochs, where the boundary \
        moves most). This picture draws the boundary picture of each snapshot in a grid of \
        panels, read left to right and top to bottom: the same points, axes and colour scale in \
        every panel (one colour bar, one legend), so only the field changes. Above each panel: \
        the epoch and its accuracy (R² for regression), then its loss, as the training history \
        recorded them — validation figures when the run had a validation split (the title says \
        which), measured on exactly these weights.

        Only models with 2 inputs have a boundary to draw; `weights-over-time` works for every \
        model with snapshots. A model without snapshots is refused: train it again with \
        --snapshots N. The points come from the recipe, or from --data csv:PATH or \
        idx:IMAGES,LABELS, as for `boundary`.

        --size WxH: W is the width; the height follows the grid of panels (a larger H pads it). \
        Smallest: \(MinimumSize.evolution.width) wide.

        Examples:
          nnm-train -o circles.nnm --snapshots 8
          nnm-render evolution circles.nnm -o evolution.png
          nnm-render evolution circles.nnm -o evolution.png --size 1400x600 --scale 2
        """)

    @Argument(help: "The .nnm model file (trained with --snapshots N).")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "evolution.png"))
    var output: String

    @Option(help: ArgumentHelp("Points from data files instead of the recipe's: csv:PATH or idx:IMAGES,LABELS.", valueName: "csv:PATH|idx:IMAGES,LABELS"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("evolution", (MinimumSize.evolution.width, 0))
    }

    func run() throws {
        var options = EvolutionOptions(title: common.title)
        if let (w, _) = common.parsedSize() { options.width = w }
        try drawPicture("evolution", of: model, to: output, force: common.force) { loaded in
            let theme = common.theme()
            let (canvas, summary) = try EvolutionPicture.render(loaded, points: data ?? .recipe, options: options, theme: theme)
            for note in summary.notes { printError("nnm-render: note: \(note)") }
            return try paddedToHeight(canvas, common: common, theme: theme)
        }
    }
}

/// `nnm-render weights-over-time MODEL -o weights-over-time.png`
struct WeightsOverTimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights-over-time",
        abstract: "How each layer's weights and biases are spread at every weight snapshot (TensorBoard's distribution view).",
        discussion: """
        For a model trained with `nnm-train --snapshots N`: one row of panels per Linear layer, \
        its weights on the left and its biases on the right. Across each panel run the snapshot \
        epochs (a log axis, as the snapshots are log-spaced); the shaded bands are nested \
        percentile ranges of the tensor's values at each epoch — min to max, 7 to 93 %, 16 to \
        84 %, 31 to 69 % (TensorBoard's bands: ±1.5σ, ±1σ, ±0.5σ of a normal distribution), \
        darker toward the middle — and the line is the median. Percentiles as numpy's default \
        (linear interpolation). Weights that spread out show learning; a band that collapses \
        to 0 shows dying units; one that keeps growing, weights that diverge.

        A model without snapshots is refused: train it again with --snapshots N.

        --size WxH: W is the width; the height follows the layers (a larger H pads it). Smallest: \
        \(MinimumSize.weightsOverTime.width) wide.

        Examples:
          nnm-train -o spiral.nnm --dataset spiral --hidden 32,32 --snapshots 16
          nnm-render weights-over-time spiral.nnm -o weights-over-time.png
        """)

    @Argument(help: "The .nnm model file (trained with --snapshots N).")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "weights-over-time.png"))
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("weights-over-time", (MinimumSize.weightsOverTime.width, 0))
    }

    func run() throws {
        let width = common.parsedSize()?.width ?? 960
        try drawPicture("weights-over-time", of: model, to: output, force: common.force) { loaded in
            let theme = common.theme()
            let canvas = try WeightsOverTimePicture.render(loaded, width: width, title: common.title, theme: theme)
            return try paddedToHeight(canvas, common: common, theme: theme)
        }
    }
}

/// A picture whose height follows its panels, padded to `--size`'s H when that is taller, with
/// a note when H was too small to honour.
func paddedToHeight(_ canvas: Canvas, common: CommonOptions, theme: Theme) throws -> (Canvas, String?) {
    guard let (_, height) = common.parsedSize() else { return (canvas, nil) }
    let H = Int((Float(height) * theme.scale).rounded())
    guard H > canvas.height else {
        return (canvas, H < canvas.height ? "its panels need \(canvas.height) pixels of height, more than the asked \(H)" : nil)
    }
    return (try canvas.centred(onAtLeast: canvas.width, H), nil)
}
