import NNMFormat

/// The layers of an imported network, ready for a `ModelFile`.
struct ImportedNetwork {
    var records: [LayerRecord] = []
    var tensors: [Tensor] = []

    /// Appends a layer and its tensors (named `layers.<index>.<role>`, in the given order).
    mutating func append(_ kind: LayerKind, inputs: Int, outputs: Int, tensors owned: [(TensorRole, [Int], [Float])] = []) {
        let index = records.count
        records.append(LayerRecord(kind: kind, inputs: inputs, outputs: outputs))
        for (role, shape, values) in owned {
            tensors.append(Tensor(name: TensorName(layer: index, role: role).description, shape: shape, values: values))
        }
    }
}

/// Walks an ONNX graph as a chain: each node takes the previous node's output (and constant
/// initializers) and produces the next value, from the graph's one input to its one output.
/// A node that does not fit this, or an operator NNM has no layer for, stops the walk with
/// an error naming it.
struct ONNXChain {
    static let supported = "Gemm (alpha = beta = 1, transA = 0), MatMul + Add, Relu, LeakyRelu, Sigmoid, Tanh, Softmax (last axis), Identity, Flatten (2-D), Sub + Mul/Div by constants (standardize), Mul + Add of constants (rescale)"

    let graph: Onnx_GraphProto
    private let initializers: [String: Onnx_TensorProto]
    private var used: Set<String> = []
    private var current: String
    private var width: Int?
    private var network = ImportedNetwork()
    /// Where initializers kept outside the `.onnx` file are read from (nil: nowhere).
    private(set) var external: ONNXExternalData?

    init(graph: Onnx_GraphProto, external: ONNXExternalData? = nil) throws(ConvertError) {
        self.graph = graph
        self.external = external
        var byName: [String: Onnx_TensorProto] = [:]
        for tensor in graph.initializer {
            guard byName.updateValue(tensor, forKey: tensor.name) == nil else {
                throw .malformed(format: .onnx, detail: "two initializers are named '\(Display.clip(tensor.name))'")
            }
        }
        initializers = byName
        let inputs = graph.input.filter { byName[$0.name] == nil }
        guard inputs.count == 1 else {
            throw .unsupported(format: .onnx, detail: "the graph has \(inputs.count) inputs besides its initializers; an NNM network takes one")
        }
        guard graph.output.count == 1 else {
            throw .unsupported(format: .onnx, detail: "the graph has \(graph.output.count) outputs; an NNM network gives one")
        }
        current = inputs[0].name
        width = try Self.featureWidth(of: inputs[0])
    }

    /// Initializers present in the file that no node read.
    var unusedInitializers: Int { initializers.count - used.count }

    /// The layers, after walking every node.
    mutating func layers() throws(ConvertError) -> ImportedNetwork {
        guard !graph.node.isEmpty else { throw .unsupported(format: .onnx, detail: "the graph has no nodes") }
        var index = 0
        while index < graph.node.count {
            index += try step(at: index)
            guard network.records.count <= Int(FormatLimits.maxLayers) else {
                throw .limitExceeded(format: .onnx, detail: "more than \(FormatLimits.maxLayers) layers")
            }
        }
        guard current == graph.output[0].name else {
            throw .unsupported(format: .onnx, detail: "the graph's output '\(Display.clip(graph.output[0].name))' is not the last node's output: not a chain of layers")
        }
        guard !network.records.isEmpty, network.records.contains(where: { $0.kind == .linear || $0.kind == .standardize }) else {
            throw .unsupported(format: .onnx, detail: "the graph has no Gemm, MatMul or standardize step: no weights to import")
        }
        return network
    }

    /// Reads the node at `index` (and the one after it, for two-node patterns); returns how
    /// many nodes it consumed.
    private mutating func step(at index: Int) throws(ConvertError) -> Int {
        let node = ONNXNode(graph.node[index])
        try node.checkChained(from: current)
        let next = index + 1 < graph.node.count ? ONNXNode(graph.node[index + 1]) : nil
        switch node.opType {
        case "Gemm": try gemm(node)
        case "MatMul":
            guard let add = next, add.opType == "Add", add.proto.input.contains(node.output) else {
                try matMul(node, add: nil)
                return 1
            }
            try matMul(node, add: add)
            return 2
        case "Sub":
            guard let divide = next, ["Mul", "Div"].contains(divide.opType) else {
                throw node.unsupported("a Sub must be followed by Mul or Div by a constant (a standardize step)")
            }
            try standardize(subtract: node, scale: divide)
            return 2
        case "Mul":
            guard let add = next, add.opType == "Add" else {
                throw node.unsupported("a Mul must be followed by Add of a constant (a rescale step, x · scale + shift)")
            }
            try rescale(multiply: node, add: add)
            return 2
        case "Relu", "Sigmoid", "Tanh", "Identity":
            try node.onlyAttributes([])
            let kinds: [String: LayerKind] = ["Relu": .relu, "Sigmoid": .sigmoid, "Tanh": .tanh, "Identity": .identity]
            try activation(node, kinds[node.opType] ?? .identity)
        case "LeakyRelu":
            try node.onlyAttributes(["alpha"])
            try activation(node, .leakyReLU(slope: try node.float("alpha", default: 0.01)))
        case "Softmax":
            try node.onlyAttributes(["axis"])
            let axis = try node.int("axis", default: -1)
            guard axis == -1 || axis == 1 else { throw node.unsupported("Softmax on axis \(axis); only the last axis of [batch, features]") }
            try activation(node, .softmax)
        case "Flatten":
            try node.onlyAttributes(["axis"])
            let axis = try node.int("axis", default: 1)
            guard axis == 1 || axis == -1 else { throw node.unsupported("Flatten with axis \(axis); only axis 1 of a 2-D input (a no-op)") }
            try node.checkArity(inputs: 1)
            current = node.output
        default:
            throw node.unsupported("operator \(node.opType) is not supported; supported: \(Self.supported)")
        }
        return 1
    }

    private mutating func activation(_ node: ONNXNode, _ kind: LayerKind) throws(ConvertError) {
        try node.checkArity(inputs: 1)
        guard let width else { throw node.unsupported("an activation before the first layer with weights, on an input of unknown width") }
        network.append(kind, inputs: width, outputs: width)
        current = node.output
    }

    /// The float values of initializer `name`, which node `node` reads as a constant.
    private mutating func constant(_ name: String, of node: ONNXNode) throws(ConvertError) -> (shape: [Int], values: [Float]) {
        guard let tensor = initializers[name] else {
            throw node.unsupported("input '\(Display.clip(name))' is not an initializer; weights must be constants")
        }
        used.insert(name)
        return try ONNXTensor.values(of: tensor, external: &external)
    }

    private mutating func gemm(_ node: ONNXNode) throws(ConvertError) {
        try node.onlyAttributes(["alpha", "beta", "transA", "transB"])
        guard node.proto.input.count == 2 || node.proto.input.count == 3 else {
            throw node.unsupported("Gemm with \(node.proto.input.count) inputs")
        }
        guard try node.float("alpha", default: 1) == 1, try node.float("beta", default: 1) == 1 else {
            throw node.unsupported("Gemm with alpha or beta other than 1")
        }
        guard try node.int("transA", default: 0) == 0 else { throw node.unsupported("Gemm with transA = 1") }
        let transB = try node.int("transB", default: 0)
        guard transB == 0 || transB == 1 else { throw node.unsupported("Gemm with transB = \(transB)") }
        let weight = try constant(node.proto.input[1], of: node)
        let bias = node.proto.input.count == 3 && !node.proto.input[2].isEmpty
            ? try constant(node.proto.input[2], of: node) : nil
        try linear(node, weight: weight, storedAsOutputsByInputs: transB == 1, bias: bias)
        current = node.output
    }

    private mutating func matMul(_ node: ONNXNode, add: ONNXNode?) throws(ConvertError) {
        try node.checkArity(inputs: 2)
        try node.onlyAttributes([])
        let weight = try constant(node.proto.input[1], of: node)
        var bias: (shape: [Int], values: [Float])?
        if let add {
            try add.checkChained(from: node.output)
            try add.checkArity(inputs: 2)
            try add.onlyAttributes([])
            let other = add.proto.input[0] == node.output ? add.proto.input[1] : add.proto.input[0]
            bias = try constant(other, of: add)
        }
        try linear(node, weight: weight, storedAsOutputsByInputs: false, bias: bias)
        current = add?.output ?? node.output
    }

    /// A Linear layer from a weight matrix (`[outputs, inputs]` or, as MatMul and Gemm with
    /// transB = 0 hold it, `[inputs, outputs]`) and a bias of one value per output (or one
    /// value for all, or none).
    private mutating func linear(
        _ node: ONNXNode, weight: (shape: [Int], values: [Float]), storedAsOutputsByInputs: Bool,
        bias: (shape: [Int], values: [Float])?
    ) throws(ConvertError) {
        guard weight.shape.count == 2 else { throw node.unsupported("a weight of rank \(weight.shape.count); Linear weights are 2-D") }
        let inputs = storedAsOutputsByInputs ? weight.shape[1] : weight.shape[0]
        let outputs = storedAsOutputsByInputs ? weight.shape[0] : weight.shape[1]
        if let width, width != inputs {
            throw node.unsupported("a weight for \(inputs) inputs after a layer of \(width) outputs")
        }
        let values = storedAsOutputsByInputs ? weight.values : Self.transposed(weight.values, rows: inputs, columns: outputs)
        let biasValues: [Float]
        switch bias {
        case nil: biasValues = [Float](repeating: 0, count: outputs)
        case let bias? where bias.values.count == outputs && (bias.shape.count == 1 || bias.shape.first == 1):
            biasValues = bias.values
        case let bias? where bias.values.count == 1: biasValues = [Float](repeating: bias.values[0], count: outputs)
        case let bias?: throw node.unsupported("a bias of shape \(bias.shape) for \(outputs) outputs")
        }
        network.append(.linear, inputs: inputs, outputs: outputs,
                       tensors: [(.weight, [outputs, inputs], values), (.bias, [outputs], biasValues)])
        width = outputs
    }

    /// `(x − mean) · scale` from `Sub(x, mean)` then `Mul(·, scale)` or `Div(·, std)`.
    private mutating func standardize(subtract: ONNXNode, scale: ONNXNode) throws(ConvertError) {
        for node in [subtract, scale] {
            try node.checkArity(inputs: 2)
            try node.onlyAttributes([])
        }
        guard subtract.proto.input[0] == current else { throw subtract.unsupported("Sub must take the running value first") }
        try scale.checkChained(from: subtract.output)
        let mean = try constant(subtract.proto.input[1], of: subtract)
        let factor = try constant(scale.proto.input[1], of: scale)
        let count = width ?? mean.values.count
        guard mean.values.count == count, factor.values.count == count, mean.shape.count <= 2, factor.shape.count <= 2 else {
            throw scale.unsupported("a standardize step needs one mean and one scale per feature (\(count))")
        }
        let values = scale.opType == "Mul" ? factor.values : factor.values.map { 1 / $0 }
        network.append(.standardize, inputs: count, outputs: count,
                       tensors: [(.mean, [count], mean.values), (.scale, [count], values)])
        width = count
        current = scale.output
    }

    /// `x · scale + shift` from `Mul(x, scale)` then `Add(·, shift)`: a regression model's
    /// output in target units (format 1.1's Rescale layer).
    private mutating func rescale(multiply: ONNXNode, add: ONNXNode) throws(ConvertError) {
        for node in [multiply, add] {
            try node.checkArity(inputs: 2)
            try node.onlyAttributes([])
        }
        guard multiply.proto.input[0] == current else { throw multiply.unsupported("Mul must take the running value first") }
        try add.checkChained(from: multiply.output)
        guard add.proto.input[0] == multiply.output else { throw add.unsupported("Add must take the Mul's output first") }
        let scale = try constant(multiply.proto.input[1], of: multiply)
        let shift = try constant(add.proto.input[1], of: add)
        guard let count = width else {
            throw multiply.unsupported("a rescale step before the first layer with weights, on an input of unknown width")
        }
        guard scale.values.count == count, shift.values.count == count, scale.shape.count <= 2, shift.shape.count <= 2 else {
            throw add.unsupported("a rescale step needs one scale and one shift per output (\(count))")
        }
        network.append(.rescale, inputs: count, outputs: count,
                       tensors: [(.scale, [count], scale.values), (.shift, [count], shift.values)])
        current = add.output
    }

    static func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            for column in 0..<columns { out[column * rows + row] = values[row * columns + column] }
        }
        return out
    }

    /// The feature count of the graph input `[batch, features]` (nil when symbolic), or an
    /// error when it is not a float32 matrix.
    static func featureWidth(of input: Onnx_ValueInfoProto) throws(ConvertError) -> Int? {
        let name = Display.clip(input.name)
        guard input.hasType, case .tensorType(let tensor)? = input.type.value else {
            throw .unsupported(format: .onnx, detail: "input '\(name)' is not a tensor")
        }
        guard tensor.elemType == Int32(Onnx_TensorProto.DataType.float.rawValue) else {
            throw .unsupported(format: .onnx, detail: "input '\(name)' has element type \(tensor.elemType); NNM networks take float32")
        }
        guard tensor.hasShape else { return nil }
        guard tensor.shape.dim.count == 2 else {
            throw .unsupported(format: .onnx, detail: "input '\(name)' has rank \(tensor.shape.dim.count); NNM networks take [batch, features]")
        }
        guard case .dimValue(let features)? = tensor.shape.dim[1].value else { return nil }
        guard features >= 1, features <= Int64(FormatLimits.maxWidth) else {
            throw .unsupported(format: .onnx, detail: "input '\(name)' has \(features) features")
        }
        return Int(features)
    }
}
