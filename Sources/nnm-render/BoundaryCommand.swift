import ArgumentParser
import NNMCommandLine
import NNMPlot
import NNMRender

/// `nnm-render boundary MODEL -o boundary.png`
struct BoundaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundary",
        abstract: "The model's class-probability field (regression: its value field) over two of its inputs, with the data's points.",
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

        A model with more than 2 inputs (a CSV's 13 columns, an image's pixels) is drawn as a \
        slice: the field over the two features --features I,J names, every other feature held \
        at its training mean. The means are the model's own when it standardizes its inputs \
        (every model trained on a CSV or IDX file does: its first layer stores them), else those \
        of the training split the recipe regenerates (with --data, of that file's rows). A line \
        under the plot says so, and the drawn points are the test points projected onto the two \
        features: they do not lie on the slice, so a point on the wrong side of it is not \
        necessarily a miss (the title's accuracy is the model's own, on all its inputs). I and J \
        are the names the model records (its CSV header; see nnm-inspect) or 0-based input \
        indices, as --label-column counts; a model without names also takes x1, x2, … (1-based, \
        as the axes name them). Without --features, the two features the first layer weighs \
        most are drawn (the norm of its weights on the feature times the feature's spread in \
        the data: the directions the model responds to most), and a line under the plot names \
        them and how to choose others. A 1-input model has no boundary.

        A model trained on a CSV file needs \
        that file: the recipe keeps its path, size and SHA-256, and if it has moved or changed, \
        pass it with --data csv:PATH. --data also draws any other CSV file's points as held-out \
        points, with the accuracy measured on them. Its columns are found as nnm-predict finds \
        them: with a header row, by the feature and label names the model records (any order, \
        other columns left out; a header without them is refused), without one by position. Its labels are matched to \
        the model's classes as nnm-predict matches them: by the class names the model records \
        (a label it does not know is an error), or, without names, by class number 0, 1, ... \
        (likewise); only labels none of which is a class number (text, for a model without \
        names) are taken in sorted order, and a note on stderr says how. A CSV with more \
        classes than the model is refused. A CSV's header names the axes.

        At most 5,000 points are drawn (a seeded random subsample, the same on every run; a \
        note says "showing 5,000 of N points"); the accuracy always uses every point.

        Examples:
          nnm-render boundary model.nnm -o boundary.png
          nnm-render boundary model.nnm -o boundary.png --scale 2 --grid 200
          nnm-render boundary model.nnm -o boundary.png --data csv:moved/points.csv
          nnm-render boundary wine.nnm -o slice.png --features alcohol,proline
          nnm-render boundary digits.nnm -o slice.png --features 27,36
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "boundary.png"))
    var output: String

    @Option(help: ArgumentHelp("Points from data files instead of the recipe's: csv:PATH or idx:IMAGES,LABELS.", valueName: "csv:PATH|idx:IMAGES,LABELS"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @Option(help: ArgumentHelp(
        "Evaluate the model on N points across (bilinear in between) instead of once per pixel. 8 to 4096.",
        valueName: "N"))
    var grid: Int?

    @Option(help: ArgumentHelp(
        "The two features to draw, by recorded name or 0-based index, e.g. alcohol,proline or 0,12 (default: the two the first layer weighs most); the others are held at their training means.",
        valueName: "I,J"), transform: FeatureChoice.parse)
    var features: FeatureChoice?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("boundary", MinimumSize.boundary)
        try PictureSettings.checkGrid(grid)
    }

    func run() throws {
        var options = BoundaryOptions(grid: grid)
        if let (w, h) = common.parsedSize() { options.width = w; options.height = h }
        try drawPicture("boundary", of: model, to: output, force: common.force) { loaded in
            do {
                let (input, summary) = try BoundaryFromModel.input(for: loaded, points: data ?? .recipe, title: common.title,
                                                                       features: features)
                for note in summary.notes { printError("nnm-render: note: \(note)") }
                return (try renderBoundary(input, options: options, theme: common.theme()), nil)
            } catch let error as RenderError where error.isBadChoice {
                // A choice the model cannot honour is a bad command line, as nnm-train's flags
                // that do not fit the data (exit 64).
                printError("nnm-render: error: \(model): \(error.description)")
                throw ExitCode(64)
            }
        }
    }
}
