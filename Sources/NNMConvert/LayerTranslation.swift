import NNMFormat

/// How one `.nnm` layer travels to the other formats: its token in an architecture string
/// (safetensors `__metadata__`, `--layers`) and the ONNX operators that compute it.
///
/// This is the one switch over ``LayerKind`` that the exporters use: a new layer kind is one
/// more case here, plus its token in ``LayerSpec/entry(for:)`` and its pattern in the ONNX
/// importer.
struct LayerTranslation: Equatable {
    /// The layer in an architecture string: `linear:16`, `relu`, `leaky-relu:0.1`, ….
    var specToken: String
    /// The ONNX nodes, in order; each takes the previous one's output.
    var steps: [ONNXStep]

    init(_ record: LayerRecord) {
        switch record.kind {
        case .linear:
            self.init("linear:\(record.outputs)", [.gemm(weight: .weight, bias: .bias)])
        case .standardize:
            // (x − mean) · scale, as NNM computes it: the file stores scale = 1/std, so a Mul
            // reproduces NNM's arithmetic exactly where a Div by 1/scale would round differently.
            self.init("standardize", [.constant("Sub", .mean), .constant("Mul", .scale)])
        case .relu: self.init("relu", [.unary("Relu")])
        case .leakyReLU(let slope): self.init("leaky-relu:\(slope)", [.unary("LeakyRelu", alpha: slope)])
        case .sigmoid: self.init("sigmoid", [.unary("Sigmoid")])
        case .tanh: self.init("tanh", [.unary("Tanh")])
        case .softmax: self.init("softmax", [.softmax])
        case .identity: self.init("identity", [.unary("Identity")])
        case .rescale:
            // x · scale + shift (format 1.1, a regression model's output in target units): two
            // roundings in NNM, and two nodes here, so the arithmetic is the same.
            self.init("rescale", [.constant("Mul", .scale), .constant("Add", .shift)])
        }
    }

    private init(_ token: String, _ steps: [ONNXStep]) {
        specToken = token
        self.steps = steps
    }
}

/// One ONNX node of an exported layer.
enum ONNXStep: Equatable {
    /// `Gemm(x, W, b)` with `transB = 1`: NNM stores W as `[outputs, inputs]`.
    case gemm(weight: TensorRole, bias: TensorRole)
    /// A broadcasting binary operator with the layer's tensor as its second operand.
    case constant(String, TensorRole)
    /// An element-wise operator, with LeakyRelu's `alpha` when it has one.
    case unary(String, alpha: Float? = nil)
    /// `Softmax` on the last axis.
    case softmax
}

/// One layer of an architecture string, as parsed: what it is, and a Linear's width when given.
enum LayerSpec: Equatable {
    case linear(outputs: Int?)
    case standardize
    case rescale
    case activation(LayerKind)

    /// Parses `linear[:N], standardize, relu, leaky-relu[:SLOPE], sigmoid, tanh, softmax,
    /// identity, rescale` (nnm-train's names, any case), comma-separated.
    static func parse(_ text: String) throws(ConvertError) -> [LayerSpec] {
        let tokens = text.split(separator: ",", omittingEmptySubsequences: false)
        guard tokens.count <= Int(FormatLimits.maxLayers) else {
            throw .badLayers(detail: "more than \(FormatLimits.maxLayers) layers")
        }
        var entries: [LayerSpec] = []
        for (position, raw) in tokens.enumerated() {
            let token = raw.filter { $0 != " " }.lowercased()
            guard let entry = entry(for: token) else {
                throw .badLayers(detail: "layer \(position + 1) '\(raw.prefix(40))' is not one of linear[:N], standardize, relu, leaky-relu[:SLOPE], sigmoid, tanh, softmax, identity, rescale")
            }
            entries.append(entry)
        }
        return entries
    }

    /// One token, or nil when it is not a layer.
    static func entry(for token: String) -> LayerSpec? {
        let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0], argument = parts.count > 1 ? String(parts[1]) : nil
        switch (name, argument) {
        case ("linear", nil): return .linear(outputs: nil)
        case ("linear", let width?):
            guard let outputs = Int(width), outputs >= 1, outputs <= Int(FormatLimits.maxWidth) else { return nil }
            return .linear(outputs: outputs)
        case ("standardize", nil): return .standardize
        case ("rescale", nil): return .rescale
        case ("relu", nil): return .activation(.relu)
        case ("leaky-relu", nil), ("leakyrelu", nil): return .activation(.leakyReLU(slope: 0.01))
        case ("leaky-relu", let slope?), ("leakyrelu", let slope?):
            guard let value = Float(slope), value.isFinite, value >= 0, value < 1 else { return nil }
            return .activation(.leakyReLU(slope: value))
        case ("sigmoid", nil): return .activation(.sigmoid)
        case ("tanh", nil): return .activation(.tanh)
        case ("softmax", nil): return .activation(.softmax)
        case ("identity", nil): return .activation(.identity)
        default: return nil
        }
    }
}
