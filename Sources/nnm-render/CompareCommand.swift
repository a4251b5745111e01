import ArgumentParser
import NNM
import NNMPlot
import NNMRender

/// `nnm-render compare A.nnm B.nnm … -o compare.png`
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Loss and accuracy curves of several runs on shared axes, one colour per run.",
        discussion: """
        Each model's per-epoch history is drawn in its own colour (matplotlib's tab10 order): \
        validation loss and accuracy when every run recorded them, training figures otherwise \
        (the panel titles say which). The legend labels each run by the settings that differ \
        between the runs (layers, activations, dataset, seed, train.lr, train.optimizer, …, \
        the same settings nnm-inspect --table lists), or by --labels; when nothing differs, by \
        file name. The best value of each run is marked with a dot.

        Up to 10 runs (one colour each).

        Examples:
          nnm-render compare lr-0.01.nnm lr-0.05.nnm lr-0.1.nnm -o compare.png
          nnm-render compare a.nnm b.nnm -o compare.png --labels baseline,wider --log-y
        """)

    @Argument(help: "The .nnm model files (2 to 10).")
    var models: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "compare.png"))
    var output: String

    @Option(help: ArgumentHelp("Legend labels, comma-separated, one per model in order.", valueName: "A,B,…"))
    var labels: String?

    @Flag(name: .customLong("log-y"), help: "Logarithmic loss axis.")
    var logY = false

    @OptionGroup var common: CommonOptions

    var labelList: [String]? { labels.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } }

    func validate() throws {
        guard (1...maxComparedRuns).contains(models.count) else {
            throw ValidationError("compare takes 1 to \(maxComparedRuns) model files, got \(models.count)")
        }
        if let labelList, labelList.count != models.count {
            throw ValidationError("--labels gave \(labelList.count) labels for \(models.count) models")
        }
        try common.checkMinimum("compare", MinimumSize.compare)
    }

    func run() throws {
        try reportingFailures {
            let started = ContinuousClock.now
            try checkOutput(output, model: models[0], force: common.force)
            for m in models.dropFirst() { try checkOutput(output, model: m, force: common.force) }
            let runs = try models.map { (path: $0, model: try loadModel($0)) }
            var options = CompareOptions(labels: labelList, title: common.title, logY: logY)
            if let (w, h) = common.parsedSize() { options.width = w; options.height = h }
            let canvas: Canvas
            do { canvas = try renderCompare(runs, options: options, theme: common.theme()) } catch {
                throw explain(error, model: models.joined(separator: ", "), picture: "compare")
            }
            try writePicture(canvas, to: output, started: started)
        }
    }
}
