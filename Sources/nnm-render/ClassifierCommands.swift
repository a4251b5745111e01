import ArgumentParser
import NNMPlot
import NNMRender

/// `nnm-render confusion MODEL -o confusion.png`
struct ConfusionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confusion",
        abstract: "The confusion matrix on the held-out points: counts and row shares, with class names.",
        discussion: """
        Rows are the true classes, columns the predicted ones. Each cell prints its count and \
        its share of the row (how the samples of that true class were classified) and is \
        shaded by that share, white (0 %) to dark blue (100 %): the diagonal is what the model \
        gets right, and a dark cell off it is a confusion worth a look. The title gives the \
        data, the sample count and the accuracy.

        The points are the test split the model's recipe regenerates (the same split nnm-train \
        held out), or every row of a data file with --data csv:PATH or idx:IMAGES,LABELS \
        (labels matched to the model's classes as nnm-predict matches them). More than 20 \
        classes: shading only.

        Examples:
          nnm-render confusion model.nnm -o confusion.png
          nnm-render confusion iris.nnm -o confusion.png --data csv:new-flowers.csv
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "confusion.png"))
    var output: String

    @Option(help: ArgumentHelp("Evaluate on a data file's rows (csv:PATH, or idx:IMAGES,LABELS) instead of the recipe's test split; the training file itself, unchanged, gives that test split again, not its training rows.", valueName: "csv:PATH|idx:IMAGES,LABELS"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @OptionGroup var common: CommonOptions

    func run() throws {
        try drawPicture("confusion", of: model, to: output, force: common.force) { loaded in
            let theme = common.theme()
            let canvas = try renderConfusion(loaded, points: data ?? .recipe, title: common.title, theme: theme)
            return try common.parsedSize().map { try fitted(canvas, width: $0.width, height: $0.height, theme: theme) } ?? (canvas, nil)
        }
    }
}

/// `nnm-render roc MODEL -o roc.png`
struct RocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roc",
        abstract: "ROC curve with its AUC, and the precision–recall curve, of a two-class model.",
        discussion: """
        Left: the true-positive rate against the false-positive rate as the threshold on \
        P(class 1) falls, with the area under the curve (AUC; ties count half, as \
        scikit-learn's roc_auc_score) and the diagonal of a random guess. Right: precision \
        against recall, with the average precision (AP, scikit-learn's \
        average_precision_score) and the share of positives a random guess would score. \
        The positive class is class 1 (its name when the model records class names).

        The points are the test split the model's recipe regenerates, or a data file's rows \
        with --data csv:PATH or idx:IMAGES,LABELS. Models with more than two classes are \
        refused (see confusion).

        Examples:
          nnm-render roc model.nnm -o roc.png
          nnm-render roc model.nnm -o roc.png --size 1200x500 --scale 2
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "roc.png"))
    var output: String

    @Option(help: ArgumentHelp("Evaluate on a data file's rows (csv:PATH, or idx:IMAGES,LABELS) instead of the recipe's test split; the training file itself, unchanged, gives that test split again, not its training rows.", valueName: "csv:PATH|idx:IMAGES,LABELS"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("roc", MinimumSize.roc)
    }

    func run() throws {
        try drawPicture("roc", of: model, to: output, force: common.force) { loaded in
            let size = common.parsedSize()
            return (try renderROC(loaded, points: data ?? .recipe, title: common.title,
                                  width: size?.width ?? 1000, height: size?.height ?? 480, theme: common.theme()), nil)
        }
    }
}
