import Foundation
import NNM
import NNMFormat
import SwiftProtobuf

/// `.nnm` → ONNX: the network as a graph any ONNX runtime runs, taking the same raw inputs.
///
/// Opset 17 (ONNX 1.12, IR version 8): every operator used here (Gemm-13, Relu-14,
/// LeakyRelu-16, Sigmoid-13, Tanh-13, Softmax-13 on the last axis, Sub/Mul-14, Identity-16)
/// has had its current meaning since then, and it is what `torch.onnx.export` writes by
/// default, so every runtime of the last years loads it. The input is `input`
/// `[batch, inputs]` with a symbolic batch dimension; the output is `output` `[batch, outputs]`.
/// The same model always gives the same bytes: protobuf fields are written in field-number
/// order and the metadata sorted by key.
public enum ONNXExport {
    public static let opsetVersion: Int64 = 17
    public static let irVersion: Int64 = 8
    public static let inputName = "input"
    public static let outputName = "output"
    public static let batchDimension = "batch"

    /// The ONNX model bytes for `model`. `sourceDigest` (`sha256:<hex>`) names the `.nnm` it
    /// came from in `metadata_props`.
    public static func bytes(of model: NNMModel, sourceDigest: String?) throws -> [UInt8] {
        var proto = Onnx_ModelProto()
        proto.irVersion = irVersion
        proto.producerName = "nnm-convert"
        proto.producerVersion = NNMVersion.string
        proto.opsetImport = [Onnx_OperatorSetIdProto.with { $0.domain = ""; $0.version = opsetVersion }]
        proto.graph = try graph(of: model)
        proto.metadataProps = ConvertMetadata.exported(from: model, sourceDigest: sourceDigest)
            .sorted { $0.key < $1.key }
            .map { entry in Onnx_StringStringEntryProto.with { $0.key = entry.key; $0.value = entry.value } }
        let data: Data = try proto.serializedBytes()
        return [UInt8](data)
    }

    static func graph(of model: NNMModel) throws -> Onnx_GraphProto {
        var graph = Onnx_GraphProto()
        graph.name = "nnm"
        let tensors = Dictionary(model.modelFile().tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let records = model.network.layerRecords
        var current = inputName
        for (index, record) in records.enumerated() {
            let steps = LayerTranslation(record).steps
            for (stepIndex, step) in steps.enumerated() {
                let last = index == records.count - 1 && stepIndex == steps.count - 1
                let output = last ? outputName
                    : stepIndex == steps.count - 1 ? "layers.\(index).output" : "layers.\(index).step\(stepIndex)"
                let built = try node(step, layer: index, input: current, output: output, tensors: tensors)
                graph.node.append(built.node)
                graph.initializer += built.initializers
                current = output
            }
        }
        graph.input = [valueInfo(inputName, width: model.inputCount)]
        graph.output = [valueInfo(outputName, width: model.outputCount)]
        return graph
    }

    /// One node and the initializers it reads.
    private static func node(
        _ step: ONNXStep, layer: Int, input: String, output: String, tensors: [String: Tensor]
    ) throws -> (node: Onnx_NodeProto, initializers: [Onnx_TensorProto]) {
        func initializer(_ role: TensorRole) throws -> Onnx_TensorProto {
            let name = TensorName(layer: layer, role: role).description
            guard let tensor = tensors[name], case .decoded(let values) = tensor.storage else {
                throw ConvertError.io(detail: "internal: tensor \(name) is not decoded")
            }
            return ONNXTensor.proto(name: name, shape: tensor.shape, values: values)
        }
        var node = Onnx_NodeProto()
        node.output = [output]
        var initializers: [Onnx_TensorProto] = []
        switch step {
        case let .gemm(weight, bias):
            initializers = [try initializer(weight), try initializer(bias)]
            node.opType = "Gemm"
            node.input = [input] + initializers.map(\.name)
            node.attribute = [ONNXAttribute.int("transB", 1)]
        case let .constant(op, role):
            initializers = [try initializer(role)]
            node.opType = op
            node.input = [input, initializers[0].name]
        case let .unary(op, alpha):
            node.opType = op
            node.input = [input]
            if let alpha { node.attribute = [ONNXAttribute.float("alpha", alpha)] }
        case .softmax:
            node.opType = "Softmax"
            node.input = [input]
            node.attribute = [ONNXAttribute.int("axis", -1)]
        }
        node.name = "layers.\(layer).\(node.opType)"
        return (node, initializers)
    }

    /// A float tensor value `[batch, width]`.
    static func valueInfo(_ name: String, width: Int) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = [
            Onnx_TensorShapeProto.Dimension.with { $0.dimParam = batchDimension },
            Onnx_TensorShapeProto.Dimension.with { $0.dimValue = Int64(width) },
        ]
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensorType.shape = shape
        return Onnx_ValueInfoProto.with {
            $0.name = name
            $0.type = Onnx_TypeProto.with { $0.tensorType = tensorType }
        }
    }
}

/// Attribute values, typed as ONNX requires (`type` set to match the field in use).
enum ONNXAttribute {
    static func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .int; $0.i = value }
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .float; $0.f = value }
    }
}
