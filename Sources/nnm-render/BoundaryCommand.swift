import ArgumentParser
import NNMCommandLine
import NNMPlot
import NNMRender

/// `nnm-render boundary MODEL -o boundary.png`
struct BoundaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundary",
        abstract: "The model's class-probability field (regression: its value field) over its 2-D training data, with the points.",
        discussion: """
        The points are regenerated exactly from the dataset recipe stored in the model (same \
        generator, parameters, seed and split): training points are dark-edged circles, test \
        points white-edged diamonds; validation points are not drawn. The title gives the \
        accuracy on the training and on the test points (with --title, a box in the corner does). Two classes: P(class 1) from \
        blue through white to red with the 0.5 contour; more: class colours mixed by probability \
        with the borders drawn. A model trained on a CSV with named labels records the names, \
        and the legend and colour bar use them (e.g. P(versicolor)).

        A regression model (--task regression) has no classes: for it the picture is its value \
        field, the prediction over the input plane on viridis (dark purple low, yellow high) \
        with a colour bar in the target's units, the points coloured by their targets on the \
        same scale (a point that stands out from the field around it is a miss), and R² on the \
        training and test points in the title (RMSE on stderr).

        Only models with 2 inputs have a boundary to draw. A model trained on a CSV file needs \
        that file: the recipe keeps its path, size and SHA-256, and if it has moved or changed, \
        pass it with --data csv:PATH. --data also draws any other CSV file's points (same \
        columns) as held-out points, with the accuracy measured on them. Its labels are mapped to \
        the model's classes in sorted order (numerically when all are numbers), and a note on \
        stderr says how unless they are already 0, 1, ...; a CSV with more classes than the \
        model is refused. A CSV's header names the axes.

        At most 5,000 points are drawn (a seeded random subsample, the same on every run; a \
        note says "showing 5,000 of N points"); the accuracy always uses every point.

        Examples:
          nnm-render boundary model.nnm -o boundary.png
          nnm-render boundary model.nnm -o boundary.png --scale 2 --grid 200
          nnm-render boundary model.nnm -o boundary.png --data csv:moved/points.csv
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "boundary.png"))
    var output: String

    @Option(help: ArgumentHelp("Points from a CSV file instead of the recipe's (csv:PATH).", valueName: "csv:PATH"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @Option(help: ArgumentHelp(
        "Evaluate the model on N points across (bilinear in between) instead of once per pixel. 8 to 4096.",
        valueName: "N"))
    var grid: Int?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("boundary", MinimumSize.boundary)
        try PictureSettings.checkGrid(grid)
    }

    func run() throws {
        try reportingFailures {
            let started = ContinuousClock.now
            try checkOutput(output, model: model, force: common.force)
            let loaded = try loadModel(model)
            var options = BoundaryOptions(grid: grid)
            if let (w, h) = common.parsedSize() { options.width = w; options.height = h }
            let canvas: Canvas
            do {
                let (input, summary) = try BoundaryFromModel.input(for: loaded, points: data ?? .recipe, title: common.title)
                for note in summary.notes { printError("nnm-render: note: \(note)") }
                canvas = try renderBoundary(input, options: options, theme: common.theme())
            } catch {
                throw explain(error, model: model, picture: "boundary")
            }
            try writePicture(canvas, to: output, started: started)
        }
    }
}
