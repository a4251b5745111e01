import NNMFormat
import ArgumentParser
import NNMCommandLine
import NNM

/// `nnm-train`: trains a small network on a dataset and saves it as a `.nnm` file.
@main
struct NNMTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnm-train",
        abstract: "Train a small neural network and save it as a .nnm model file.",
        discussion: """
            With only an output path, trains a 2-16-16-1 ReLU network with Adam on the circles \
            dataset and saves it. Every choice is a flag with a default; the same command and \
            seed always write the same bytes.

            Datasets: circles, moons, xor, spiral, blobs, bits4, csv:PATH, idx:IMAGES,LABELS. \
            CSV and IDX features are standardized by a first layer fitted on the training split. \
            IDX images are held in memory as bytes up to 1 GiB, and read from their file batch \
            by batch beyond that.

            Layer specs (--layers): comma-separated linear:N, relu, leaky-relu[:SLOPE], sigmoid, \
            tanh, softmax, identity, standardize. The input width comes from the data.

            The output: -o replaces an existing .nnm file (atomically, so --resume m.nnm -o m.nnm \
            continues in place) and writes through a symlink to its target. It refuses, before \
            training, a file that is not an .nnm model (unless --force), a data file the run \
            reads, and anything that is not a regular file (device, FIFO, directory).

            \(ExitStatus.helpText)

            Examples:
              nnm-train -o circles.nnm
              nnm-train -o moons.nnm --dataset moons --noise 0.1
              nnm-train -o spiral.nnm --dataset spiral --hidden 32,32 --epochs 300
              nnm-train -o iris.nnm --dataset csv:iris.csv --label-column species
              nnm-train -o wine.nnm --dataset csv:wine.csv --drop-columns id
              nnm-train -o net.nnm --layers linear:32,tanh,linear:1,sigmoid --lr 0.005
              nnm-train -o more.nnm --resume circles.nnm --epochs 50
            """,
        version: NNMVersion.string)

    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Network") var network: NetworkOptions
    @OptionGroup(title: "Training") var training: TrainingOptions

    func validate() throws {
        if let problem = ComputeOptions.environmentProblems(checksThreads: training.threads == nil).first {
            throw ValidationError(problem)
        }
        try data.validate()
        try network.validate()
        try training.validate()
        try training.checkMomentumIsUsed(resumed: output.resume != nil)
        if output.resume != nil, network.choice != nil {
            throw ValidationError(TrainingRun.networkFixedMessage)
        }
    }

    /// One line on stderr for a bad command line (see `mainWithOneLineErrors`).
    static func main() {
        mainWithOneLineErrors(toolName: "nnm-train")
    }

    func run() throws {
        do {
            let run = TrainingRun(output: output, data: data, network: network, training: training)
            let compute = training.threads.map { ComputeOptions(threads: $0) } ?? ComputeOptions.current
            try ComputeOptions.$current.withValue(compute) {
                try run.execute()
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("nnm-train: error: \(error)")
            throw ExitCode(ExitStatus.of(error))
        }
    }
}
