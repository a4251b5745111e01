import ArgumentParser
import NNM
import NNMCommandLine
import NNMConvert
import NNMFiles
import NNMFormat

/// `nnm-convert`: a model from one format to another (.nnm, ONNX, safetensors).
@main
struct NNMConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnm-convert",
        abstract: "Convert a model between .nnm, ONNX and safetensors.",
        discussion: """
            The formats come from the file extensions (.nnm, .onnx, .safetensors); --from and \
            --to force them.

            .nnm → ONNX: opset 17, input 'input' [batch, inputs] (symbolic batch), output \
            'output'; Gemm (transB = 1), Relu, LeakyRelu, Sigmoid, Tanh, Softmax (last axis), \
            Identity, standardize as Sub then Mul; metadata_props carry the source digest, \
            architecture, class and feature names. The same model gives the same bytes.

            ONNX → .nnm: chains of Gemm (alpha = beta = 1, transB 0 or 1), MatMul + Add, the \
            activations above, Flatten of a 2-D input, Sub + Mul/Div by constants; float32 \
            initializers inside the file. Anything else is refused, naming the node.

            .nnm ⇄ safetensors: tensors under their .nnm names, architecture and names in \
            __metadata__ (a lossless round trip). A PyTorch state dict of an nn.Sequential \
            (0.weight, 0.bias, 2.weight, …, any prefix) needs --layers for its activations. \
            F32, F16 and BF16 (widened exactly) are read.

            The imported model records its source format and SHA-256 in its metadata. The \
            output is written atomically; an existing file of the output's kind is replaced, \
            another only with --force, the input never.

            Exit status: 0 converted; 1 the input cannot be read or converted, or the output \
            is refused or cannot be written; 64 bad command line.

            Examples:
              nnm-convert model.nnm -o model.onnx
              nnm-convert model.onnx -o model.nnm
              nnm-convert model.nnm -o model.safetensors
              nnm-convert sd.safetensors -o model.nnm --layers linear,relu,linear,softmax
            """,
        version: NNMVersion.string)

    @Argument(help: ArgumentHelp("The model to convert.", valueName: "input"))
    var input: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The file to write.", valueName: "output"))
    var output: String

    @Option(help: ArgumentHelp("The input's format (default: from its extension).", valueName: "nnm|onnx|safetensors"))
    var from: ModelFormat?

    @Option(help: ArgumentHelp("The output's format (default: from its extension).", valueName: "nnm|onnx|safetensors"))
    var to: ModelFormat?

    @Option(help: ArgumentHelp(
        "safetensors input: the architecture, e.g. linear,relu,linear,sigmoid (linear or linear:N, standardize, relu, leaky-relu[:SLOPE], sigmoid, tanh, softmax, identity); default: the file's nnm.architecture metadata.",
        valueName: "spec"))
    var layers: String?

    @Flag(help: "Replace an existing output file that is not of the output's kind (never the input).")
    var force = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    static func main() {
        mainWithOneLineErrors(toolName: "nnm-convert")
    }

    func validate() throws {
        let source = from ?? ModelFormat(path: input)
        guard source != nil else {
            throw ValidationError("cannot tell the format of \(input) from its extension: use --from nnm|onnx|safetensors")
        }
        guard to ?? ModelFormat(path: output) != nil else {
            throw ValidationError("cannot tell the format of \(output) from its extension: use --to nnm|onnx|safetensors")
        }
        if layers != nil, source != .safetensors {
            throw ValidationError("--layers is for a safetensors input only")
        }
    }

    func run() throws {
        do {
            try convert()
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("nnm-convert: error: \(ConvertMessages.sentence(for: error))")
            throw ExitCode(1)
        }
    }

    private func convert() throws {
        let source = from ?? ModelFormat(path: input) ?? .nnm
        let target = to ?? ModelFormat(path: output) ?? .nnm
        try ModelConversion.checkOutput(output, format: target, input: input, force: force)
        let model = try ModelConversion.read(path: input, format: source, layers: layers)
        let bytes = try ModelConversion.bytes(of: model, as: target)
        try AtomicFile.write(bytes, to: output)
        guard !quiet else { return }
        for note in model.notes { printError("nnm-convert: note: \(note)") }
        let network = model.model.network
        let parameters = network.layers.reduce(0) { $0 + $1.parameters.reduce(0) { $0 + $1.values.count } }
        do {
            try printOutput("wrote \(escapeForDisplay(output)) (\(target.displayName), \(network.layers.count) layers, \(network.inputCount) → \(network.outputCount), \(parameters) parameters) from \(escapeForDisplay(input)) (\(source.displayName))")
        } catch let error as StandardOutputError {
            // The file is there: say so, as nnm-train does for its model.
            printError("nnm-convert: error: \(escapeForDisplay(output)) was written, but its report was not: \(error)")
            throw ExitCode(1)
        }
    }
}

extension ModelFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
