import NNMFormat

/// Builds networks from the short text forms the command line takes.
///
/// A layer spec is a comma-separated list, input width implied by the data:
/// `linear:N` (N outputs), `relu`, `leaky-relu` or `leaky-relu:SLOPE`, `sigmoid`, `tanh`,
/// `softmax`, `identity`, `standardize`, `rescale`. Example: `linear:16,relu,linear:16,relu,linear:1,sigmoid`.
public enum Architecture {
    /// A network from a layer spec, for `inputCount` features. Every `linear` gets zero
    /// weights; call ``Sequential/initializeParameters(seed:initializer:)`` next.
    ///
    /// The whole network may hold at most ``maximumParameterCount`` parameters, checked before
    /// any layer allocates its weights.
    public static func network(spec: String, inputCount: Int) throws -> Sequential {
        // Layers are built only once the whole spec is known to fit: each Linear may hold
        // 64 Mi weights, so building as we parse could allocate gigabytes before a later
        // layer proves the network too large.
        var makers: [() throws -> any Layer] = []
        var parameterTotal = 0
        var width = inputCount
        let tokens = spec.split(separator: ",", omittingEmptySubsequences: false)
        guard tokens.count <= Sequential.maximumLayerCount else {
            throw ArchitectureError.badLayer(
                position: Sequential.maximumLayerCount + 1, token: String(tokens[Sequential.maximumLayerCount]),
                reason: "a network may have at most \(Sequential.maximumLayerCount) layers (what one .nnm file can store)")
        }
        for (position, rawToken) in tokens.enumerated() {
            let token = String(rawToken).filter { $0 != " " }.lowercased()
            let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            let argument = parts.count > 1 ? parts[1] : nil
            func bad(_ reason: String) -> ArchitectureError {
                .badLayer(position: position + 1, token: String(rawToken), reason: reason)
            }
            switch name {
            case "linear", "dense":
                guard let argument, let outputs = Int(argument), outputs >= 1, outputs <= Linear.maximumWidth else {
                    throw bad("write linear:N with N between 1 and \(Linear.maximumWidth) outputs")
                }
                let inputs = width
                guard inputs >= 1, inputs <= Linear.maximumWidth,
                      inputs * outputs <= Linear.maximumParameterCount else {
                    throw bad("\(ModelError.invalidLayerSize(inputs: inputs, outputs: outputs))")
                }
                parameterTotal += inputs * outputs + outputs
                guard parameterTotal <= maximumParameterCount else {
                    throw bad("the network would hold more than \(maximumParameterCount) parameters"
                              + " (what one .nnm file can store); use narrower layers")
                }
                makers.append { try Linear(inputCount: inputs, outputCount: outputs) }
                width = outputs
            case "standardize":
                guard argument == nil else { throw bad("standardize takes no argument") }
                let features = width
                parameterTotal += 2 * features
                makers.append { try Standardize(featureCount: features) }
            case "rescale":
                guard argument == nil else { throw bad("rescale takes no argument") }
                let outputs = width
                parameterTotal += 2 * outputs
                makers.append { try Rescale(outputCount: outputs) }
            default:
                let found: (any Layer)?
                do {
                    found = try activation(named: name, argument: argument)
                } catch ArchitectureError.badLayer(_, _, let reason) {
                    throw bad(reason)
                }
                guard let layer = found else {
                    throw bad("unknown layer '\(name)'; known: linear:N, relu, leaky-relu[:SLOPE], sigmoid, tanh, softmax, identity, standardize, rescale")
                }
                makers.append { layer }
            }
        }
        guard !makers.isEmpty, !spec.trimmingCharacters(in: " ").isEmpty else { throw ArchitectureError.empty }
        return try Sequential(makers.map { try $0() })
    }

    /// Most parameters (weights, biases, standardization statistics) a network built from a
    /// spec may hold: as many float32 values as one `.nnm` file may store
    /// (`FormatLimits.maxTotalRawBytes`), so a run never trains a model it cannot save.
    public static let maximumParameterCount = Int(FormatLimits.maxTotalRawBytes / 4)

    /// The usual classifier: `hidden` linear layers each followed by `activation`, then a head
    /// of 1 output + Sigmoid for two classes or one output per class + Softmax otherwise.
    /// With `standardizes`, a ``Standardize`` layer comes first (fitted by the trainer).
    public static func classifier(
        inputCount: Int, hidden: [Int], activation: HiddenActivation = .relu, classCount: Int,
        standardizes: Bool = false
    ) throws -> Sequential {
        guard classCount >= 2 else { throw LossError.tooFewClasses(classCount) }
        var parts: [String] = standardizes ? ["standardize"] : []
        for width in hidden { parts += ["linear:\(width)", activation.specToken] }
        parts += classCount == 2 ? ["linear:1", "sigmoid"] : ["linear:\(classCount)", "softmax"]
        return try network(spec: parts.joined(separator: ","), inputCount: inputCount)
    }

    /// The usual regressor: `hidden` linear layers each followed by `activation`, then
    /// `linear:1` and a ``Rescale`` layer (fitted on the training targets by the trainer), so
    /// the network learns standardized targets and predicts in the target's units.
    public static func regressor(
        inputCount: Int, hidden: [Int], activation: HiddenActivation = .relu, standardizes: Bool = false
    ) throws -> Sequential {
        var parts: [String] = standardizes ? ["standardize"] : []
        for width in hidden { parts += ["linear:\(width)", activation.specToken] }
        parts += ["linear:1", "rescale"]
        return try network(spec: parts.joined(separator: ","), inputCount: inputCount)
    }

    /// A spec string for a network (the inverse of ``network(spec:inputCount:)``).
    public static func spec(of model: Sequential) -> String {
        model.layers.map { layer in
            if let linear = layer as? Linear { return "linear:\(linear.outputCount)" }
            return layer.kind.name
        }.joined(separator: ",")
    }

    static func activation(named name: String, argument: String?) throws -> (any Layer)? {
        func noArgument(_ layer: any Layer) throws -> any Layer {
            guard argument == nil else {
                throw ArchitectureError.badLayer(position: 0, token: name, reason: "\(name) takes no argument")
            }
            return layer
        }
        switch name {
        case "relu": return try noArgument(ReLU())
        case "sigmoid": return try noArgument(Sigmoid())
        case "tanh": return try noArgument(Tanh())
        case "softmax": return try noArgument(Softmax())
        case "identity", "none", "linear-activation": return try noArgument(Identity())
        case "leaky-relu", "leakyrelu", "leaky_relu":
            guard let argument else { return LeakyReLU() }
            guard let slope = Float(argument), slope.isFinite, slope >= 0, slope < 1 else {
                throw ArchitectureError.badLayer(position: 0, token: "\(name):\(argument)",
                                                 reason: "the slope must be a number in [0, 1): write leaky-relu:SLOPE, e.g. leaky-relu:0.1 (plain leaky-relu uses 0.01)")
            }
            return LeakyReLU(slope: slope)
        default:
            return nil
        }
    }
}

/// Why a layer spec or size list could not be turned into a network.
public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
    case empty
    case badLayer(position: Int, token: String, reason: String)

    public var description: String {
        switch self {
        case .empty:
            return "the layer spec is empty; example: linear:16,relu,linear:1,sigmoid"
        case let .badLayer(position, token, reason):
            return position > 0
                ? "layer \(position) '\(token)': \(reason)"
                : "layer '\(token)': \(reason)"
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(self.drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
