/// One record of the `LAYR` table (§6).
struct LayerEntry {
    var kind: UInt16, paramCount: UInt16, inputs: UInt32, outputs: UInt32
    var params: [UInt32]

    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(kind)
        out.appendLittleEndian(paramCount)
        out.appendLittleEndian(inputs)
        out.appendLittleEndian(outputs)
        for p in params { out.appendLittleEndian(p) }
        return out
    }

    static func parseTable(_ payload: [UInt8]) -> [LayerEntry]? {
        var r = LittleEndianReader(payload)
        guard let count = r.u32(), count <= 2048 else { return nil }
        var layers: [LayerEntry] = []
        for _ in 0..<count {
            guard let kind = r.u16(), let paramCount = r.u16(), paramCount <= 64,
                  let inputs = r.u32(), let outputs = r.u32() else { return nil }
            var params: [UInt32] = []
            for _ in 0..<paramCount { guard let p = r.u32() else { return nil }; params.append(p) }
            layers.append(LayerEntry(kind: kind, paramCount: paramCount, inputs: inputs, outputs: outputs, params: params))
        }
        return r.remaining == 0 ? layers : nil
    }

    static func serializeTable(_ layers: [LayerEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(UInt32(layers.count))
        for layer in layers { out += layer.serialized() }
        return out
    }
}

extension NNMImage {
    mutating func withLayers(_ body: (inout [LayerEntry]) -> Bool) -> Bool {
        guard let index = index(of: "LAYR"), var layers = LayerEntry.parseTable(sections[index].payload),
              body(&layers) else { return false }
        sections[index].payload = LayerEntry.serializeTable(layers)
        return true
    }

    mutating func mutateLayerField(_ random: inout FuzzRandom) -> Bool {
        withLayers { layers in
            guard let i = random.index(in: layers.count) else { return false }
            let widths = layers.flatMap { [$0.inputs, $0.outputs] }
            func width() -> UInt32 {
                random.chance(1, in: 2) ? random.pick(widths) : UInt32(truncatingIfNeeded: random.interesting())
            }
            switch random.below(5) {
            case 0: layers[i].kind = random.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99, 0xFFFF])
            case 1:
                layers[i].paramCount = UInt16(truncatingIfNeeded: random.pick([0, 1, 2, 16, 17, 64] as [UInt64]))
                layers[i].params = (0..<min(Int(layers[i].paramCount), 64)).map { _ in random.floatBits() }
            case 2: layers[i].inputs = width()
            case 3: layers[i].outputs = width()
            default:
                guard let p = random.index(in: layers[i].params.count) else { return false }
                layers[i].params[p] = random.floatBits()
            }
            return true
        }
    }

    /// Appends a shape-preserving layer (still a valid model: it owns no tensors), or removes,
    /// duplicates or reorders layers (the tensor set then no longer matches).
    mutating func mutateLayerList(_ random: inout FuzzRandom) -> Bool {
        withLayers { layers in
            guard let last = layers.last else { return false }
            switch random.below(4) {
            case 0, 1:
                let kind: UInt16 = random.pick([2, 3, 4, 5, 6, 7])
                let params = kind == 3 ? [random.floatBits()] : []
                layers.append(LayerEntry(kind: kind, paramCount: UInt16(params.count), inputs: last.outputs,
                                         outputs: last.outputs, params: params))
            case 2: layers.remove(at: random.below(layers.count))
            default: layers.insert(layers[random.below(layers.count)], at: random.below(layers.count + 1))
            }
            return true
        }
    }
}
