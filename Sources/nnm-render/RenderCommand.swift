import ArgumentParser
import NNMCommandLine
import NNMFormat

/// `nnm-render`: pictures from a `.nnm` model file. Each subcommand is a thin shell over one
/// NNMRender function.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnm-render",
        abstract: "Draw PNG pictures of .nnm models: loss curves, weights, decision boundaries, network diagrams, confusion matrices, ROC curves, regression residuals, training snapshots, run comparisons.",
        discussion: """
        Each picture has its own subcommand; `all` draws every picture that applies to the model \
        into a directory. Pictures are PNG files, written atomically (a temporary file renamed \
        into place), so a failed run never leaves half a picture or harms an existing file.

        Examples:
          nnm-render loss model.nnm -o loss.png
          nnm-render loss model.nnm -o loss.png --smooth 0.6 --log-y
          nnm-render weights model.nnm -o weights.png --shared-scale
          nnm-render weights mnist.nnm -o filters.png --as-images 28x28
          nnm-render boundary model.nnm -o boundary.png --scale 2
          nnm-render boundary model.nnm -o boundary.png --data csv:points.csv
          nnm-render network model.nnm -o network.png
          nnm-render confusion model.nnm -o confusion.png
          nnm-render roc model.nnm -o roc.png
          nnm-render residuals houses.nnm -o residuals.png
          nnm-render evolution model.nnm -o evolution.png (trained with --snapshots N)
          nnm-render weights-over-time model.nnm -o weights-over-time.png
          nnm-render compare a.nnm b.nnm c.nnm -o compare.png
          nnm-render all model.nnm --out-dir pictures/

        Sizes are pixels at scale 1: `--size 1200x450 --scale 2` writes a 2400x900 PNG with \
        text as sharp as a 200-dpi matplotlib figure.

        Overwriting: an existing PNG at the output path is replaced; any other existing file is \
        left alone with an error unless you pass --force (so `-o model.nnm` by mistake cannot \
        destroy a model). The model file itself is never overwritten.

        Exit status: 0 the picture(s) were written; 1 nothing was written (the model lacks what \
        the picture needs, the file is unreadable, the output is refused), or `all` could not \
        make a picture that applies (the others are written), or standard output could not \
        take the report of a written picture (the error says it was written); 64 bad command \
        line.
        """,
        version: NNMVersion.string,
        subcommands: [LossCommand.self, WeightsCommand.self, BoundaryCommand.self, NetworkCommand.self, ConfusionCommand.self, RocCommand.self, ResidualsCommand.self, EvolutionCommand.self, WeightsOverTimeCommand.self, CompareCommand.self, AllCommand.self])

    /// One line on stderr for a bad command line (see `mainWithOneLineErrors`).
    static func main() {
        mainWithOneLineErrors(toolName: "nnm-render")
    }
}
