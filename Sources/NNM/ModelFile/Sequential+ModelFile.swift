extension Sequential {
    /// The network a model file describes, every tensor checked against its layer.
    ///
    /// Refuses (with ``ModelFileError``) layer records whose widths do not chain, tensors that
    /// are missing, extra, duplicated or of the wrong shape, and values that do not fill their
    /// shape. Decoding errors of stored tensors are passed on as thrown.
    public init(file: ModelFile) throws {
        guard !file.layers.isEmpty else { throw ModelFileError.noLayers }
        guard file.layers.count <= Sequential.maximumLayerCount else {
            throw ModelFileError.tooManyLayers(count: file.layers.count)
        }
        var tensors: [String: Tensor] = [:]
        for tensor in file.tensors {
            guard tensors[tensor.name] == nil else { throw ModelFileError.duplicateTensor(name: tensor.name) }
            tensors[tensor.name] = tensor
        }
        var used = Set<String>()
        func take(_ name: String, shape: [Int]) throws -> [Float] {
            guard let tensor = tensors[name] else { throw ModelFileError.missingTensor(name: name) }
            guard tensor.shape == shape else {
                throw ModelFileError.tensorShape(name: name, expected: shape, found: tensor.shape)
            }
            let values = try tensor.values()
            let expected = shape.reduce(1, *)
            guard values.count == expected else {
                throw ModelFileError.tensorValueCount(name: name, expected: expected, found: values.count)
            }
            used.insert(name)
            return values
        }

        var layers: [any Layer] = []
        var width: Int?
        for (index, record) in file.layers.enumerated() {
            let kind = record.kind
            func fail(_ reason: String) -> ModelFileError {
                .layerShape(index: index, kind: kind.name, inputs: record.inputs, outputs: record.outputs, reason: reason)
            }
            guard record.inputs > 0, record.outputs > 0,
                  record.inputs <= Linear.maximumWidth, record.outputs <= Linear.maximumWidth
            else { throw fail("widths must be between 1 and \(Linear.maximumWidth)") }
            if let width, width != record.inputs {
                throw fail("the previous layer produces \(width) values")
            }
            let prefix = "layers.\(index)."
            switch kind {
            case .linear:
                guard record.inputs * record.outputs <= Linear.maximumParameterCount else {
                    throw ModelFileError.layerTooLarge(index: index, inputs: record.inputs, outputs: record.outputs)
                }
                let weight = try take(prefix + "weight", shape: [record.outputs, record.inputs])
                let bias = try take(prefix + "bias", shape: [record.outputs])
                layers.append(try Linear(
                    weight: Matrix(rows: record.outputs, columns: record.inputs, storage: weight), bias: bias))
            case .standardize:
                guard record.inputs == record.outputs else { throw fail("standardize keeps the width") }
                let mean = try take(prefix + "mean", shape: [record.inputs])
                let scale = try take(prefix + "scale", shape: [record.inputs])
                layers.append(try Standardize(mean: mean, scale: scale))
            case .relu, .leakyReLU, .sigmoid, .tanh, .softmax, .identity:
                guard record.inputs == record.outputs else { throw fail("an activation keeps the width") }
                layers.append(Sequential.activation(kind))
            }
            width = record.outputs
        }
        if let extra = file.tensors.first(where: { !used.contains($0.name) }) {
            throw ModelFileError.unexpectedTensor(name: extra.name)
        }
        do {
            try self.init(layers)
        } catch ModelError.unknownInputWidth {
            // A network of activations only: its width comes from the records.
            throw ModelFileError.layerShape(
                index: 0, kind: file.layers[0].kind.name, inputs: file.layers[0].inputs,
                outputs: file.layers[0].outputs, reason: "a model needs a linear or standardize layer")
        }
    }

    /// Most layers a network may have: what one `.nnm` file can store
    /// (`FormatLimits.maxLayers`, far beyond any MLP), so a network that can be built can be
    /// saved, and a hostile file cannot build millions of layers.
    public static let maximumLayerCount = Int(FormatLimits.maxLayers)

    /// The layer value for an activation kind (kinds with tensors are handled by the caller).
    static func activation(_ kind: LayerKind) -> any Layer {
        switch kind {
        case .leakyReLU(let slope): return LeakyReLU(slope: slope)
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        case .softmax: return Softmax()
        case .relu: return ReLU()
        default: return Identity()
        }
    }

    /// The layer records of this network (kind and widths per layer).
    public var layerRecords: [LayerRecord] {
        layers.indices.map { LayerRecord(kind: layers[$0].kind, inputs: widths[$0], outputs: widths[$0 + 1]) }
    }

    /// The model file content for this network: layers, its tensors named
    /// `layers.<index>.<role>` in canonical order, and whatever else is given.
    public func modelFile(
        metadata: [String: MetadataValue] = [:], history: TrainingHistory? = nil,
        dataset: DatasetRecipe? = nil
    ) -> ModelFile {
        var tensors: [Tensor] = []
        for (index, layer) in layers.enumerated() {
            for parameter in layer.parameters {
                tensors.append(Tensor(
                    name: "layers.\(index).\(parameter.role)", shape: parameter.shape, values: parameter.values))
            }
        }
        return ModelFile(
            layers: layerRecords, tensors: tensors, metadata: metadata, history: history, dataset: dataset)
    }
}
