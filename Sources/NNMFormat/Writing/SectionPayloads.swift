/// Byte encodings of the table and ancillary section payloads (spec §5–§9). The reader in
/// `Reading/SectionParsers.swift` is the exact inverse.
enum SectionPayloads {
    static func layers(_ layers: [LayerRecord]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(truncatingIfNeeded: layers.count))
        for layer in layers {
            let parameters = layer.kind.parameters
            w.u16(layer.kind.wireID)
            w.u16(UInt16(truncatingIfNeeded: parameters.count))
            w.u32(UInt32(truncatingIfNeeded: layer.inputs))
            w.u32(UInt32(truncatingIfNeeded: layer.outputs))
            for p in parameters { w.f32(p) }
        }
        return w.bytes
    }

    static func tensors(_ entries: [TensorTableEntry]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(truncatingIfNeeded: entries.count))
        for e in entries {
            w.shortString(e.name)
            w.u8(WireID.dtypeFloat32)
            w.u8(UInt8(truncatingIfNeeded: e.shape.count))
            w.u8(e.codec.rawValue)
            w.u8(e.filter.rawValue)
            for d in e.shape { w.u32(UInt32(truncatingIfNeeded: d)) }
            w.u64(e.offset)
            w.u64(e.storedLength)
            w.u64(e.rawLength)
            w.u32(e.rawCRC)
            w.u32(UInt32(truncatingIfNeeded: e.blockStoredLengths.count))
            for b in e.blockStoredLengths { w.u32(b) }
        }
        return w.bytes
    }

    /// A key/value list: u32 count, then entries sorted by the UTF-8 bytes of their keys.
    static func keyValues(_ dict: [String: MetadataValue], into w: inout ByteWriter) {
        let sorted = dict.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        w.u32(UInt32(truncatingIfNeeded: sorted.count))
        for (key, value) in sorted {
            w.shortString(key)
            switch value {
            case .bool(let b): w.u8(WireID.metaBool); w.u8(b ? 1 : 0)
            case .int(let i): w.u8(WireID.metaInt); w.i64(i)
            case .double(let d): w.u8(WireID.metaDouble); w.f64(d)
            case .string(let s): w.u8(WireID.metaString); w.longString(s)
            case .ints(let a): w.u8(WireID.metaInts); w.u32(UInt32(truncatingIfNeeded: a.count)); for i in a { w.i64(i) }
            case .doubles(let a): w.u8(WireID.metaDoubles); w.u32(UInt32(truncatingIfNeeded: a.count)); for d in a { w.f64(d) }
            }
        }
    }

    static func metadata(_ dict: [String: MetadataValue]) -> [UInt8] {
        var w = ByteWriter()
        keyValues(dict, into: &w)
        return w.bytes
    }

    static func history(_ history: TrainingHistory) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(truncatingIfNeeded: history.series.count))
        w.u32(UInt32(truncatingIfNeeded: history.epochCount))
        for s in history.series { w.shortString(s.name) }
        // "Not measured" has one encoding (spec §9): every NaN is written as the quiet NaN 0x7FC00000.
        for s in history.series { for v in s.values { w.f32(v.isNaN ? Float(bitPattern: 0x7FC0_0000) : v) } }
        return w.bytes
    }

    static func recipe(_ recipe: DatasetRecipe) -> [UInt8] {
        var w = ByteWriter()
        w.shortString(recipe.generator)
        w.u64(recipe.seed)
        w.f64(recipe.validationFraction)
        w.f64(recipe.testFraction)
        keyValues(recipe.parameters, into: &w)
        return w.bytes
    }
}

extension LayerKind {
    /// The kind's id in the layer table (spec §5).
    var wireID: UInt16 {
        switch self {
        case .linear: 1
        case .relu: 2
        case .leakyReLU: 3
        case .sigmoid: 4
        case .tanh: 5
        case .softmax: 6
        case .identity: 7
        case .standardize: 8
        case .rescale: 9
        }
    }

    /// The float parameters stored after the layer entry (LeakyReLU: its slope).
    var parameters: [Float] {
        if case .leakyReLU(let slope) = self { return [slope] }
        return []
    }

    /// Builds a kind from its id and parameters, or nil when the id is unknown.
    static func from(wireID: UInt16, parameters: [Float]) -> LayerKind? {
        switch wireID {
        case 1: .linear
        case 2: .relu
        case 3: parameters.count == 1 ? .leakyReLU(slope: parameters[0]) : nil
        case 4: .sigmoid
        case 5: .tanh
        case 6: .softmax
        case 7: .identity
        case 8: .standardize
        case 9: .rescale
        default: nil
        }
    }

    /// Number of float parameters a known kind id carries, or nil for an unknown id.
    static func parameterCount(wireID: UInt16) -> Int? {
        switch wireID {
        case 1, 2, 4, 5, 6, 7, 8, 9: 0
        case 3: 1
        default: nil
        }
    }

    /// The kind's name in reports, JSON and the spec ("Linear", "LeakyReLU", …). Named
    /// `displayName` so that it cannot clash with names other modules give the kinds.
    public var displayName: String {
        switch self {
        case .linear: "Linear"
        case .relu: "ReLU"
        case .leakyReLU: "LeakyReLU"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .softmax: "Softmax"
        case .identity: "Identity"
        case .standardize: "Standardize"
        case .rescale: "Rescale"
        }
    }

    /// The tensor roles the kind owns, in canonical order, with their shapes.
    public func tensorRoles(inputs: Int, outputs: Int) -> [(role: TensorRole, shape: [Int])] {
        switch self {
        case .linear: [(.weight, [outputs, inputs]), (.bias, [outputs])]
        case .standardize: [(.mean, [inputs]), (.scale, [inputs])]
        case .rescale: [(.scale, [outputs]), (.shift, [outputs])]
        default: []
        }
    }
}
