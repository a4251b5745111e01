import NNMFormat

/// safetensors → `.nnm`.
///
/// Reads two namings: this tool's own (`layers.<i>.<role>`, architecture in `__metadata__`),
/// and what `safetensors.torch.save_file(model.state_dict())` writes for an `nn.Sequential` of
/// Linear layers — `0.weight`, `0.bias`, `2.weight`, … (the module index; activations own no
/// tensors), with or without a common prefix (`net.0.weight`), a bias optional. A state dict
/// does not say which activations sit between the Linear layers, so the architecture comes
/// from `__metadata__["nnm.architecture"]` when present, else from `--layers`.
enum SafetensorsImport {
    /// One layer's tensors, in file order of the layers.
    struct Group {
        var label: String
        var tensors: [TensorRole: SafetensorsHeader.Entry] = [:]
    }

    /// The `.nnm` content of a safetensors file of `length` bytes, read through
    /// `read(offset, count)` (a file's positional reads, or bytes in memory).
    static func modelFile(
        length: Int, read readBytes: (Int, Int) throws -> [UInt8], sha256: String, layers: String?, notes: inout [String]
    ) throws(ConvertError) -> ModelFile {
        let header = try SafetensorsHeader(fileLength: length, read: readBytes)
        let groups = try Self.groups(header.entries)
        let specText = layers ?? header.metadata[ConvertMetadata.architectureKey]
        guard let specText else {
            throw .unsupported(format: .safetensors, detail: "the file has no nnm.architecture in __metadata__, and a state dict does not record activations: give --layers, e.g. --layers linear,relu,linear,sigmoid")
        }
        if layers != nil, header.metadata[ConvertMetadata.architectureKey] != nil {
            notes.append("--layers used instead of the architecture in the file's metadata")
        }
        let spec = try LayerSpec.parse(specText)
        let read: (SafetensorsHeader.Entry) throws(ConvertError) -> [Float] = { entry throws(ConvertError) in
            do {
                return entry.dtype.floats(try readBytes(header.dataStart + entry.begin, entry.end - entry.begin))
            } catch { throw .io(detail: "\(error)") }
        }
        let network = try build(spec: spec, groups: groups, read: read)
        let widened = Set(header.entries.filter { $0.dtype != .f32 }.map(\.dtype.rawValue))
        if !widened.isEmpty {
            notes.append("\(widened.sorted().joined(separator: " and ")) tensors widened to float32 (exactly)")
        }
        let metadata = ConvertMetadata.imported(
            from: header.metadata, format: .safetensors, sourceSHA256: sha256,
            sourceProducer: header.metadata[ConvertMetadata.producerKey],
            inputs: network.records.first?.inputs ?? 0, outputs: network.records.last?.outputs ?? 0, notes: &notes)
        return ModelFile(layers: network.records, tensors: network.tensors, metadata: metadata)
    }

    /// The tensors grouped by the layer (or module) index in their names, in index order.
    static func groups(_ entries: [SafetensorsHeader.Entry]) throws(ConvertError) -> [Group] {
        var byIndex: [Int: Group] = [:]
        var prefix: String?
        for entry in entries {
            let parts = entry.name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2, let role = TensorRole(rawValue: String(parts[parts.count - 1])),
                  let digits = parts.dropLast().last, !digits.isEmpty, digits.count <= 6,
                  digits.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(digits) else {
                throw .unsupported(format: .safetensors, detail: "tensor '\(Display.clip(entry.name))' is not a layer's weight, bias, mean or scale (names like 0.weight, net.2.bias or layers.0.weight are read)")
            }
            let own = parts.dropLast(2).joined(separator: ".")
            if let prefix, prefix != own {
                throw .unsupported(format: .safetensors, detail: "tensors under two prefixes, '\(Display.clip(prefix))' and '\(Display.clip(own))': one nn.Sequential's state dict is read")
            }
            prefix = own
            var group = byIndex[index] ?? Group(label: parts.dropLast().joined(separator: "."))
            guard group.tensors.updateValue(entry, forKey: role) == nil else {
                throw .malformed(format: .safetensors, detail: "two tensors for \(group.label).\(role.rawValue)")
            }
            byIndex[index] = group
        }
        return byIndex.keys.sorted().compactMap { byIndex[$0] }
    }

    /// The network the spec describes, each Linear or standardize entry taking the next group.
    static func build(
        spec: [LayerSpec], groups: [Group],
        read: (SafetensorsHeader.Entry) throws(ConvertError) -> [Float]
    ) throws(ConvertError) -> ImportedNetwork {
        var network = ImportedNetwork()
        var remaining = groups[...]
        var width: Int?
        for (position, entry) in spec.enumerated() {
            func bad(_ detail: String) -> ConvertError { .badLayers(detail: "layer \(position + 1): \(detail)") }
            switch entry {
            case .activation(let kind):
                guard let width else { throw bad("an activation before the first layer with weights") }
                network.append(kind, inputs: width, outputs: width)
            case .linear(let declared):
                guard let group = remaining.popFirst() else { throw bad("linear, but the file has no more weights") }
                guard let weight = group.tensors[.weight], weight.shape.count == 2,
                      Set(group.tensors.keys).isSubset(of: [.weight, .bias]) else {
                    throw bad("linear, but \(group.label) holds \(group.tensors.keys.map(\.rawValue).sorted()), not a 2-D weight and a bias")
                }
                let (outputs, inputs) = (weight.shape[0], weight.shape[1])
                if let declared, declared != outputs { throw bad("linear:\(declared), but \(group.label).weight has \(outputs) outputs") }
                if let width, width != inputs { throw bad("\(group.label).weight takes \(inputs) inputs after a layer of \(width) outputs") }
                var bias = [Float](repeating: 0, count: outputs)
                if let entry = group.tensors[.bias] {
                    guard entry.shape == [outputs] else { throw bad("\(group.label).bias has shape \(entry.shape), not [\(outputs)]") }
                    bias = try read(entry)
                }
                network.append(.linear, inputs: inputs, outputs: outputs,
                               tensors: [(.weight, [outputs, inputs], try read(weight)), (.bias, [outputs], bias)])
                width = outputs
            case .standardize:
                guard let group = remaining.popFirst(), let mean = group.tensors[.mean], let scale = group.tensors[.scale],
                      group.tensors.count == 2, mean.shape.count == 1, scale.shape == mean.shape else {
                    throw bad("standardize needs a mean and a scale of one value per feature (a state dict has none)")
                }
                let count = mean.shape[0]
                if let width, width != count { throw bad("standardize of \(count) features after a layer of \(width) outputs") }
                network.append(.standardize, inputs: count, outputs: count,
                               tensors: [(.mean, [count], try read(mean)), (.scale, [count], try read(scale))])
                width = count
            case .rescale:
                guard let group = remaining.popFirst(), let scale = group.tensors[.scale], let shift = group.tensors[.shift],
                      group.tensors.count == 2, scale.shape.count == 1, shift.shape == scale.shape else {
                    throw bad("rescale needs a scale and a shift of one value per output (a state dict has none)")
                }
                let count = scale.shape[0]
                if let width, width != count { throw bad("rescale of \(count) outputs after a layer of \(width) outputs") }
                network.append(.rescale, inputs: count, outputs: count,
                               tensors: [(.scale, [count], try read(scale)), (.shift, [count], try read(shift))])
                width = count
            }
        }
        if let left = remaining.first {
            throw ConvertError.badLayers(detail: "the layers use \(groups.count - remaining.count) of the file's \(groups.count) weight groups; \(left.label) and after are left: add their linear layers")
        }
        return network
    }
}
