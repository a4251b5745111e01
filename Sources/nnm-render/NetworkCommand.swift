import ArgumentParser
import NNMPlot
import NNMRender

/// `nnm-render network MODEL -o network.png`
struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "The network as layers of units joined by their weights; for 2-input models, each unit's output over the input plane.",
        discussion: """
        Columns left to right: the inputs (named by the feature names the model records, else \
        x₁, x₂, … or pixel (row, column) for square images), each hidden layer, and the outputs \
        (class names, or P(class 1) for a single sigmoid output). Every edge is one weight: red \
        and solid when positive, blue and dashed when negative (the dash keeps the sign readable \
        in greyscale), wider and more opaque the larger |w| is, relative to the largest |w| \
        into the same column (printed in the column's header).

        Layers wider than --max-units (default 24) show the units with the largest weights \
        (L2 norm of incoming and outgoing weights) in their order and an ellipsis saying how \
        many are hidden, so a 784-input model stays legible.

        For a model with 2 inputs, every unit is drawn as a small map of its output over the \
        data's input plane (TensorFlow Playground's view): x₁ to the right, x₂ upwards, over \
        the training data ± 10 % (regenerated from the recipe, as the boundary picture does). \
        Inputs and hidden units are coloured blue (negative) through white (0) to red \
        (positive), each on its own scale; probability outputs from 0 (blue) to 1 (red). \
        Read it left to right: the first layer's half-planes combine into the boundary.

        The picture takes the size it needs (--size only pads it).

        Examples:
          nnm-render network model.nnm -o network.png
          nnm-render network digits.nnm -o network.png --max-units 16
          nnm-render network model.nnm -o network.png --no-thumbnails --scale 2
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "network.png"))
    var output: String

    @Option(name: .customLong("max-units"), help: ArgumentHelp("Widest layer drawn whole (4 to 64); wider ones are collapsed.", valueName: "N"))
    var maxUnits: Int = 24

    @Flag(name: .customLong("no-thumbnails"), help: "Draw units as discs even for a 2-input model.")
    var noThumbnails = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (4...64).contains(maxUnits) else { throw ValidationError("--max-units must be between 4 and 64, got \(maxUnits)") }
    }

    func run() throws {
        let options = NetworkOptions(maxUnits: maxUnits, thumbnails: !noThumbnails, title: common.title)
        try drawPicture("network", of: model, to: output, force: common.force) { loaded in
            let theme = common.theme()
            let canvas = try renderNetwork(loaded, options: options, theme: theme).canvas
            return try common.parsedSize().map { try fitted(canvas, width: $0.width, height: $0.height, theme: theme) } ?? (canvas, nil)
        }
    }
}
