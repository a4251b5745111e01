import ArgumentParser
import NNMPlot
import NNMRender

/// `nnm-render loss MODEL -o loss.png`
struct LossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "Training and validation loss per epoch, and accuracy on a second panel.",
        discussion: """
        Reads the per-epoch history nnm-train stores in the model (train_loss, val_loss, \
        train_accuracy, val_accuracy). The best validation value is marked. With --smooth the \
        curves are smoothed as TensorBoard smooths them (a debiased exponential moving average) \
        and the raw values stay pale behind.

        Examples:
          nnm-render loss model.nnm -o loss.png
          nnm-render loss model.nnm -o loss.png --smooth 0.6 --log-y --size 1000x400
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "loss.png"))
    var output: String

    @Option(help: ArgumentHelp("Smoothing weight W in 0...0.99 (TensorBoard's default is 0.6).", valueName: "W"))
    var smooth: Double?

    @Flag(name: .customLong("log-y"), help: "Logarithmic loss axis (shows late, small improvements).")
    var logY = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("loss", MinimumSize.loss)
        try PictureSettings.checkSmoothing(smooth)
    }

    func run() throws {
        var options = LossOptions(smoothing: smooth, logY: logY, title: common.title)
        if let (w, h) = common.parsedSize() {
            options.width = w; options.height = h; options.exactWidth = true
        }
        try drawPicture("loss", of: model, to: output, force: common.force) { loaded in
            (try renderLoss(loaded, options: options, theme: common.theme()), nil)
        }
    }
}
