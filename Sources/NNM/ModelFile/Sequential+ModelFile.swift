import NNMFormat

extension Sequential {
    /// The network a model file describes, every tensor checked against its layer.
    ///
    /// Refuses (with ``ModelFileError``) what this library cannot build: no layers, too many,
    /// widths beyond ``Linear/maximumWidth``, widths that do not chain or that an activation
    /// changes, a Linear layer too large. The tensors are checked by NNMFormat's one
    /// layer/tensor check, ``ModelFile/layerTensors()``, which throws
    /// ``NNMFormatError/tensorMismatch(_:)`` for tensors that are missing, extra, duplicated,
    /// out of order or of the wrong shape, and values that do not fill their shape. Decoding
    /// errors of stored tensors are passed on as thrown.
    public init(file: ModelFile) throws {
        guard !file.layers.isEmpty else { throw ModelFileError.noLayers }
        guard file.layers.count <= Sequential.maximumLayerCount else {
            throw ModelFileError.tooManyLayers(count: file.layers.count)
        }
        try Sequential.checkBuildable(file.layers)
        var layers: [any Layer] = []
        for owned in try file.layerTensors() {
            let record = owned.record
            switch record.kind {
            case .linear:
                layers.append(try Linear(
                    weight: Matrix(rows: record.outputs, columns: record.inputs, storage: try owned.values(.weight)),
                    bias: try owned.values(.bias)))
            case .standardize:
                layers.append(try Standardize(mean: try owned.values(.mean), scale: try owned.values(.scale)))
            case .rescale:
                layers.append(try Rescale(scale: try owned.values(.scale), shift: try owned.values(.shift)))
            case .relu, .leakyReLU, .sigmoid, .tanh, .softmax, .identity:
                layers.append(Sequential.activation(record.kind))
            }
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

    /// The engine's own limits on the layer records, checked before any tensor is read.
    static func checkBuildable(_ records: [LayerRecord]) throws {
        var width: Int?
        for (index, record) in records.enumerated() {
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
            switch kind {
            case .linear:
                guard record.inputs * record.outputs <= Linear.maximumParameterCount else {
                    throw ModelFileError.layerTooLarge(index: index, inputs: record.inputs, outputs: record.outputs)
                }
            case .standardize, .rescale:
                guard record.inputs == record.outputs else { throw fail("\(kind.name) keeps the width") }
            case .relu, .leakyReLU, .sigmoid, .tanh, .softmax, .identity:
                guard record.inputs == record.outputs else { throw fail("an activation keeps the width") }
            }
            width = record.outputs
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
                    name: TensorName(layer: index, role: parameter.role).description,
                    shape: parameter.shape, values: parameter.values))
            }
        }
        return ModelFile(
            layers: layerRecords, tensors: tensors, metadata: metadata, history: history, dataset: dataset)
    }
}
