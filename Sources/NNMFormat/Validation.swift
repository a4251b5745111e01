extension ModelFile {
    /// Checks that the layers form a valid v1 chain and the tensors exactly match what the
    /// layer kinds own (``layerTensors()``, the one layer/tensor check), and every v1 limit of
    /// the metadata, history and recipe. The writer runs this before encoding, the reader after
    /// parsing the tables.
    public func validate() throws {
        _ = try layerTensors()
        try Self.validateKeyValues(metadata, what: "metadata")
        if let history { try Self.validateHistory(history) }
        try validateTrainingState()
        try validateWeightSnapshots()
        if let dataset {
            try Self.validateName(dataset.generator, what: "dataset generator name", allowEmpty: false)
            try Self.validateKeyValues(dataset.parameters, what: "dataset parameters")
            guard DatasetRecipe.fractionsAreValid(validation: dataset.validationFraction, test: dataset.testFraction) else {
                throw NNMFormatError.inconsistentModel(
                    reason: "dataset fractions \(dataset.validationFraction) (validation) and \(dataset.testFraction) (test) must be finite, ≥ 0, with a sum below 1")
            }
        }
    }

    static func validateLayers(_ layers: [LayerRecord]) throws {
        guard !layers.isEmpty else { throw NNMFormatError.inconsistentModel(reason: "a model needs at least one layer") }
        guard UInt64(layers.count) <= FormatLimits.maxLayers else {
            throw NNMFormatError.limitExceeded(what: "layer count", value: UInt64(layers.count),
                                               limit: FormatLimits.maxLayers, offset: 0)
        }
        for (i, layer) in layers.enumerated() {
            for (what, width) in [("inputs", layer.inputs), ("outputs", layer.outputs)] {
                guard width >= 1, UInt64(width) <= FormatLimits.maxWidth else {
                    throw NNMFormatError.inconsistentModel(
                        reason: "layer \(i) (\(layer.kind.displayName)) has \(width) \(what); allowed 1...\(FormatLimits.maxWidth)")
                }
            }
            if layer.kind != .linear && layer.inputs != layer.outputs {
                throw NNMFormatError.inconsistentModel(
                    reason: "layer \(i) (\(layer.kind.displayName)) must preserve its width but maps \(layer.inputs) → \(layer.outputs)")
            }
            if case .leakyReLU(let slope) = layer.kind, !slope.isFinite {
                throw NNMFormatError.inconsistentModel(reason: "layer \(i) (LeakyReLU) has a non-finite slope")
            }
            if i > 0 && layer.inputs != layers[i - 1].outputs {
                throw NNMFormatError.inconsistentModel(
                    reason: "layer \(i) (\(layer.kind.displayName)) takes \(layer.inputs) inputs but layer \(i - 1) gives \(layers[i - 1].outputs)")
            }
        }
    }

    static func validateName(_ name: String, what: String, allowEmpty: Bool) throws {
        let n = name.utf8.count
        guard (allowEmpty || n > 0), UInt64(n) <= FormatLimits.maxNameBytes else {
            throw NNMFormatError.inconsistentModel(reason: "\(what) '\(escapeForDisplay(name))' must be 1...\(FormatLimits.maxNameBytes) UTF-8 bytes")
        }
    }

    static func validateKeyValues(_ dict: [String: MetadataValue], what: String) throws {
        guard UInt64(dict.count) <= FormatLimits.maxMetadataEntries else {
            throw NNMFormatError.limitExceeded(what: "\(what) entries", value: UInt64(dict.count),
                                               limit: FormatLimits.maxMetadataEntries, offset: 0)
        }
        for (key, value) in dict {
            try validateName(key, what: "\(what) key", allowEmpty: false)
            switch value {
            case .string(let s) where UInt64(s.utf8.count) > FormatLimits.maxStringBytes:
                throw NNMFormatError.limitExceeded(what: "\(what) '\(escapeForDisplay(key))' string bytes",
                                                   value: UInt64(s.utf8.count), limit: FormatLimits.maxStringBytes, offset: 0)
            case .ints(let a) where UInt64(a.count) > FormatLimits.maxArrayElements:
                throw NNMFormatError.limitExceeded(what: "\(what) '\(escapeForDisplay(key))' array length",
                                                   value: UInt64(a.count), limit: FormatLimits.maxArrayElements, offset: 0)
            case .doubles(let a) where UInt64(a.count) > FormatLimits.maxArrayElements:
                throw NNMFormatError.limitExceeded(what: "\(what) '\(escapeForDisplay(key))' array length",
                                                   value: UInt64(a.count), limit: FormatLimits.maxArrayElements, offset: 0)
            default: break
            }
        }
    }

    static func validateHistory(_ history: TrainingHistory) throws {
        guard UInt64(history.series.count) <= FormatLimits.maxHistorySeries else {
            throw NNMFormatError.limitExceeded(what: "history series", value: UInt64(history.series.count),
                                               limit: FormatLimits.maxHistorySeries, offset: 0)
        }
        var seen = Set<String>()
        for s in history.series {
            try validateName(s.name, what: "history series name", allowEmpty: false)
            guard seen.insert(s.name).inserted else {
                throw NNMFormatError.inconsistentModel(reason: "history series '\(escapeForDisplay(s.name))' appears twice")
            }
            guard s.values.count == history.epochCount else {
                throw NNMFormatError.inconsistentModel(
                    reason: "history series '\(escapeForDisplay(s.name))' has \(s.values.count) values, the first series \(history.epochCount)")
            }
        }
        guard UInt64(history.epochCount) <= FormatLimits.maxHistoryEpochs else {
            throw NNMFormatError.limitExceeded(what: "history epochs", value: UInt64(history.epochCount),
                                               limit: FormatLimits.maxHistoryEpochs, offset: 0)
        }
    }
}

extension DatasetRecipe {
    /// The recipe fractions of spec §10: each finite and ≥ 0, and together below 1 (some data
    /// must be left to train on).
    static func fractionsAreValid(validation: Double, test: Double) -> Bool {
        validation.isFinite && test.isFinite && validation >= 0 && test >= 0 && validation + test < 1
    }
}
