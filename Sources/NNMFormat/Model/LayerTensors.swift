/// A layer of a checked model with the tensors it owns: what ``ModelFile/layerTensors()``
/// hands back, so that a reader of the model (NNM building a network, NNMRender drawing
/// weights) takes each layer's tensors from here instead of walking the file again.
public struct LayerTensors: Sendable {
    /// The layer's index in the layer table.
    public var index: Int
    public var record: LayerRecord
    /// The tensors the layer's kind owns, in canonical order, names and shapes checked.
    public var tensors: [OwnedTensor]

    /// The tensor with `role`, if the layer's kind owns one.
    public subscript(role: TensorRole) -> OwnedTensor? { tensors.first { $0.name.role == role } }

    /// The decoded values of the tensor with `role` (its count checked against the shape).
    /// Throws ``NNMFormatError/tensorMismatch(_:)`` when the kind owns no such tensor, and the
    /// decoder's errors (CRC, corrupt block) for a tensor still encoded.
    public func values(_ role: TensorRole) throws -> [Float] {
        guard let owned = self[role] else {
            throw NNMFormatError.tensorMismatch(.missing(TensorName(layer: index, role: role)))
        }
        return try owned.values()
    }
}

/// A tensor as its layer owns it: canonical name, and the tensor, whose shape is the one the
/// layer needs and whose stored size matches that shape.
public struct OwnedTensor: Sendable {
    public var name: TensorName
    public var tensor: Tensor
    public var shape: [Int] { tensor.shape }

    /// The values, decoded (and CRC-checked) when still encoded; their count is the shape's.
    public func values() throws -> [Float] {
        let values = try tensor.values()
        guard values.count == tensor.elementCount else {
            throw NNMFormatError.tensorMismatch(.valueCount(name, expected: tensor.elementCount, found: values.count))
        }
        return values
    }
}

/// How a model's tensors disagree with what its layers own (spec §7): the typed reason of
/// ``NNMFormatError/tensorMismatch(_:)``.
public enum TensorMismatch: Sendable, Equatable, CustomStringConvertible {
    /// A tensor the layer's kind owns is not in the model.
    case missing(TensorName)
    /// Two tensors have this name.
    case duplicate(name: String)
    /// A tensor no layer owns (any name that is not one of the expected ones).
    case unowned(name: String)
    /// The tensors are all there but not in canonical order: `found` stands where `expected`
    /// belongs.
    case outOfOrder(found: String, expected: TensorName)
    /// The tensor's shape is not the one its layer needs.
    case shape(TensorName, expected: [Int], found: [Int])
    /// Values in memory that do not fill the shape.
    case valueCount(TensorName, expected: Int, found: Int)
    /// A stored blob whose raw length is not 4 bytes per element of the shape.
    case storedBytes(TensorName, expected: UInt64, found: UInt64)

    public var description: String {
        switch self {
        case .missing(let name): "tensor '\(name)' is missing"
        case .duplicate(let name): "tensor '\(escapeForDisplay(name))' appears more than once"
        case .unowned(let name): "tensor '\(escapeForDisplay(name))' belongs to no layer"
        case let .outOfOrder(found, expected):
            "expected tensor '\(expected)', found '\(escapeForDisplay(found))' (tensors are in layer order, each layer's in role order)"
        case let .shape(name, expected, found): "tensor '\(name)' has shape \(found), its layer needs \(expected)"
        case let .valueCount(name, expected, found): "tensor '\(name)' has \(found) values for shape \(expected)"
        case let .storedBytes(name, expected, found): "tensor '\(name)' stores \(found) bytes, its shape needs \(expected)"
        }
    }
}

extension ModelFile {
    /// The tensors a valid model must have, in canonical order: for each layer, the roles its
    /// kind owns, with their shapes.
    public static func expectedTensors(for layers: [LayerRecord]) -> [(name: String, shape: [Int])] {
        expectedTensorNames(for: layers).map { ($0.name.description, $0.shape) }
    }

    static func expectedTensorNames(for layers: [LayerRecord]) -> [(name: TensorName, shape: [Int])] {
        var out: [(TensorName, [Int])] = []
        for (i, layer) in layers.enumerated() {
            for (role, shape) in layer.kind.tensorRoles(inputs: layer.inputs, outputs: layer.outputs) {
                out.append((TensorName(layer: i, role: role), shape))
            }
        }
        return out
    }

    /// The one check that the layers and tensors agree (spec §6–§7), and what it found: the
    /// layers form a valid chain; each layer owns exactly the tensors its kind needs, once
    /// each, with the shapes its widths give and values (or stored bytes) that fill them; no
    /// other tensor is present; they are in canonical order; every v1 size limit holds.
    ///
    /// The writer runs it before encoding, the reader after parsing the tables, NNM before
    /// building a network and NNMRender before drawing weights. Throws ``NNMFormatError``:
    /// `inconsistentModel` or `limitExceeded` for the layers, ``NNMFormatError/tensorMismatch(_:)``
    /// for the tensors (its code is `inconsistentModel` too).
    public func layerTensors() throws -> [LayerTensors] {
        try Self.validateLayers(layers)
        let expected = Self.expectedTensorNames(for: layers)
        var positions: [String: [Int]] = [:]
        for (position, tensor) in tensors.enumerated() { positions[tensor.name, default: []].append(position) }
        var owned: [OwnedTensor] = []
        var totalRaw: UInt64 = 0
        for want in expected {
            let tensor = try Self.tensor(named: want.name, shape: want.shape, in: tensors, positions: positions)
            totalRaw += UInt64(tensor.elementCount) * 4
            owned.append(OwnedTensor(name: want.name, tensor: tensor))
        }
        let expectedNames = Set(expected.map(\.name.description))
        if let stray = tensors.first(where: { !expectedNames.contains($0.name) }) {
            throw NNMFormatError.tensorMismatch(.unowned(name: stray.name))
        }
        for (tensor, want) in zip(tensors, expected) where tensor.name != want.name.description {
            throw NNMFormatError.tensorMismatch(.outOfOrder(found: tensor.name, expected: want.name))
        }
        guard totalRaw <= FormatLimits.maxTotalRawBytes else {
            throw NNMFormatError.limitExceeded(what: "total tensor bytes", value: totalRaw,
                                               limit: FormatLimits.maxTotalRawBytes, offset: 0)
        }
        return layers.enumerated().map { index, record in
            LayerTensors(index: index, record: record, tensors: owned.filter { $0.name.layer == index })
        }
    }

    /// The one tensor called `name`, checked against `shape` and its stored size.
    private static func tensor(named name: TensorName, shape: [Int], in tensors: [Tensor],
                               positions: [String: [Int]]) throws -> Tensor {
        guard let found = positions[name.description], let first = found.first else {
            throw NNMFormatError.tensorMismatch(.missing(name))
        }
        guard found.count == 1 else { throw NNMFormatError.tensorMismatch(.duplicate(name: name.description)) }
        let tensor = tensors[first]
        guard tensor.shape == shape else {
            throw NNMFormatError.tensorMismatch(.shape(name, expected: shape, found: tensor.shape))
        }
        let elements = UInt64(shape.reduce(1, *))
        guard elements <= FormatLimits.maxTensorElements else {
            throw NNMFormatError.limitExceeded(what: "elements of tensor '\(name)'", value: elements,
                                               limit: FormatLimits.maxTensorElements, offset: 0)
        }
        switch tensor.storage {
        case .decoded(let values):
            guard UInt64(values.count) == elements else {
                throw NNMFormatError.tensorMismatch(.valueCount(name, expected: Int(elements), found: values.count))
            }
        case .encoded(let blob):
            guard blob.rawLength == elements * 4 else {
                throw NNMFormatError.tensorMismatch(.storedBytes(name, expected: elements * 4, found: blob.rawLength))
            }
        }
        return tensor
    }
}
