import ArgumentParser
import NNMPlot
import NNMRender

/// `nnm-render weights MODEL -o weights.png`
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "One heatmap per Linear layer (rows = output units, columns = inputs), biases beside.",
        discussion: """
        Colours diverge from white at zero (blue negative, red positive) over a range symmetric \
        around zero, each layer with its own colour bar (--shared-scale: one range for all, to \
        compare layers). Every weight gets at least one whole pixel, so a 784-input layer \
        widens the picture rather than blurring. --as-images 28x28 draws each unit of the first \
        layer with 784 inputs as a 28x28 image: the classic view of what an MNIST network looks for.

        Examples:
          nnm-render weights model.nnm -o weights.png
          nnm-render weights mnist.nnm -o filters.png --as-images 28x28
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "weights.png"))
    var output: String

    @Option(name: .customLong("as-images"), help: ArgumentHelp(
        "Draw each unit's incoming weights as a ROWSxCOLS image (needs a Linear layer with ROWS*COLS inputs).",
        valueName: "RxC"), transform: Dimensions.imageShape)
    var asImages: Dimensions?

    @Flag(name: .customLong("shared-scale"), help: "One colour range for all layers instead of one per layer.")
    var sharedScale = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("weights", MinimumSize.weights)
    }

    func run() throws {
        var options = WeightOptions(sharedScale: sharedScale, asImages: asImages.map { ($0.first, $0.second) }, title: common.title)
        let size = common.parsedSize()
        if let size { options.width = size.width }
        try drawPicture("weights", of: model, to: output, force: common.force) { loaded in
            let theme = common.theme()
            let canvas = try renderWeights(loaded, options: options, theme: theme)
            return try fitted(canvas, width: options.width, height: size?.height, theme: theme)
        }
    }
}
