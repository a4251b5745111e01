/// One node of an imported graph, with the checks every operator needs and errors that name
/// the node.
struct ONNXNode {
    let proto: Onnx_NodeProto

    init(_ proto: Onnx_NodeProto) { self.proto = proto }

    var opType: String { proto.opType }
    /// The node's one output (checked by ``checkChained(from:)``).
    var output: String { proto.output.first ?? "" }

    /// `node 'name' (Op)`, for messages.
    var label: String {
        let name = proto.name.isEmpty ? "(unnamed)" : "'\(Display.clip(proto.name))'"
        return "node \(name) (\(Display.clip(proto.opType, limit: 40)))"
    }

    func unsupported(_ detail: String) -> ConvertError {
        .unsupported(format: .onnx, detail: "\(label): \(detail)")
    }

    /// The node is of the standard domain, has one output, and reads `current` (the value the
    /// chain has reached) as its first input: a graph that branches or reorders is not a
    /// sequential network.
    func checkChained(from current: String) throws(ConvertError) {
        guard proto.domain.isEmpty || proto.domain == "ai.onnx" else {
            throw unsupported("operator domain '\(Display.clip(proto.domain))'; only the standard ONNX domain")
        }
        guard proto.output.count == 1, !output.isEmpty else {
            throw unsupported("\(proto.output.count) outputs; layers have one")
        }
        guard proto.input.first == current || (opType == "Add" && proto.input.count == 2 && proto.input[1] == current) else {
            throw unsupported("does not take the previous step's output '\(Display.clip(current))' as its input: the graph is not a chain of layers")
        }
    }

    func checkArity(inputs: Int) throws(ConvertError) {
        guard proto.input.count == inputs else { throw unsupported("\(proto.input.count) inputs; expected \(inputs)") }
    }

    /// Refuses attributes other than `allowed` (an attribute NNM does not model would change
    /// what the operator computes), and duplicates.
    func onlyAttributes(_ allowed: Set<String>) throws(ConvertError) {
        var seen: Set<String> = []
        for attribute in proto.attribute {
            guard allowed.contains(attribute.name) else {
                throw unsupported("attribute '\(Display.clip(attribute.name))' is not supported here")
            }
            guard seen.insert(attribute.name).inserted else { throw unsupported("attribute '\(attribute.name)' given twice") }
            guard attribute.refAttrName.isEmpty else { throw unsupported("attribute '\(attribute.name)' refers to a function's attribute") }
        }
    }

    private func attribute(_ name: String) -> Onnx_AttributeProto? { proto.attribute.first { $0.name == name } }

    func float(_ name: String, default value: Float) throws(ConvertError) -> Float {
        guard let attribute = attribute(name) else { return value }
        guard attribute.type == .float || (!attribute.hasType && attribute.hasF) else {
            throw unsupported("attribute '\(name)' is not a float")
        }
        guard attribute.f.isFinite else { throw unsupported("attribute '\(name)' is \(attribute.f)") }
        return attribute.f
    }

    func int(_ name: String, default value: Int64) throws(ConvertError) -> Int64 {
        guard let attribute = attribute(name) else { return value }
        guard attribute.type == .int || (!attribute.hasType && attribute.hasI) else {
            throw unsupported("attribute '\(name)' is not an integer")
        }
        return attribute.i
    }
}
