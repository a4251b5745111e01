import ArgumentParser
import NNMPlot
import NNMRender

/// `nnm-render residuals MODEL -o residuals.png`
struct ResidualsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "residuals",
        abstract: "Predicted against actual values, and the residual histogram, of a regression model.",
        discussion: """
        Left: each held-out sample's prediction against its true value, with the line y = x \
        where a perfect model's points would lie; the spread about the line is the error, and \
        a bend away from it shows where the model is biased (too low at the top, say). Right: \
        the histogram of the residuals (actual − predicted) with a line at 0: a peak off 0 is \
        a bias, long tails are a few large misses. The title gives the data, the RMSE (in the \
        target's units) and R² (1 is perfect, 0 no better than predicting the mean). Axes are \
        labelled with the target column's name when the model records it.

        The points are the test split the model's recipe regenerates (the split nnm-train \
        held out), or every row of a CSV file with --data csv:PATH (its columns found by \
        the names the model records when it has a header row, else by position). Classifiers are refused: see the confusion picture (and roc, for two classes).

        Examples:
          nnm-render residuals houses.nnm -o residuals.png
          nnm-render residuals houses.nnm -o residuals.png --data csv:new-sales.csv
          nnm-render residuals houses.nnm -o residuals.png --size 1200x500 --scale 2
        """)

    @Argument(help: "The .nnm model file (a regression model, trained with --task regression).")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "residuals.png"))
    var output: String = "residuals.png"

    @Option(help: ArgumentHelp("Evaluate on a CSV file's rows instead of the recipe's test split (the training file itself, unchanged, gives that test split again, not its training rows).", valueName: "csv:PATH"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("residuals", MinimumSize.residuals)
    }

    func run() throws {
        try drawPicture("residuals", of: model, to: output, force: common.force) { loaded in
            let size = common.parsedSize()
            return (try renderResiduals(loaded, points: data ?? .recipe, title: common.title,
                                        width: size?.width ?? 1000, height: size?.height ?? 480, theme: common.theme()), nil)
        }
    }
}
