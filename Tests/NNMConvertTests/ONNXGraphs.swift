import Foundation
@testable import NNMConvert

/// ONNX models written the way other producers write them, for the importer's tests.
enum ONNXGraphs {
    static func node(_ op: String, _ inputs: [String], _ output: String, name: String? = nil,
                     attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        Onnx_NodeProto.with {
            $0.opType = op
            $0.input = inputs
            $0.output = [output]
            $0.name = name ?? "/\(op)_\(output)"
            $0.attribute = attributes
        }
    }

    /// A float32 initializer in `float_data` (as onnx.helper.make_tensor writes by default) or
    /// in `raw_data` (as torch writes).
    static func tensor(_ name: String, _ dims: [Int], _ values: [Float], raw: Bool = false) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = 1
        if raw { tensor.rawData = LittleEndianFloats.bytes(values) } else { tensor.floatData = values }
        return tensor
    }

    static func model(
        nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto], inputWidth: Int? = 3,
        input: String = "x", output: String = "y", opset: Int64 = 13, initializersAsInputs: Bool = false
    ) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "test"
        graph.node = nodes
        graph.initializer = initializers
        var inputs = [info(input, width: inputWidth)]
        if initializersAsInputs { inputs += initializers.map { info($0.name, width: nil) } }
        graph.input = inputs
        graph.output = [info(output, width: nil)]
        return Onnx_ModelProto.with {
            $0.irVersion = 7
            $0.producerName = "test"
            $0.opsetImport = [Onnx_OperatorSetIdProto.with { $0.version = opset }]
            $0.graph = graph
        }
    }

    static func info(_ name: String, width: Int?) -> Onnx_ValueInfoProto {
        Onnx_ValueInfoProto.with {
            $0.name = name
            $0.type = Onnx_TypeProto.with {
                $0.tensorType = Onnx_TypeProto.Tensor.with {
                    $0.elemType = 1
                    $0.shape = Onnx_TensorShapeProto.with {
                        $0.dim = [Onnx_TensorShapeProto.Dimension.with { $0.dimParam = "N" },
                                  Onnx_TensorShapeProto.Dimension.with { if let width { $0.dimValue = Int64(width) } else { $0.dimParam = "M" } }]
                    }
                }
            }
        }
    }

    static func bytes(_ model: Onnx_ModelProto) throws -> [UInt8] { [UInt8](try model.serializedBytes() as Data) }

    /// A 3 → 2 → 2 network: MatMul + Add, Relu, Gemm (transB = 0), Softmax. Weights W1 [3,2].
    static let w1: [Float] = [0.5, -1, 0.25, 2, -0.75, 1.5]
    static let b1: [Float] = [0.1, -0.2]
    static let w2: [Float] = [1, -1, 0.5, 0.25]
    static let b2: [Float] = [0, 0.3]

    static func matMulAddGemm(raw: Bool = false, initializersAsInputs: Bool = false) -> Onnx_ModelProto {
        model(nodes: [
            node("Flatten", ["x"], "f", attributes: [ONNXAttribute.int("axis", 1)]),
            node("MatMul", ["f", "W1"], "m"),
            node("Add", ["b1", "m"], "a"),
            node("Relu", ["a"], "r"),
            node("Gemm", ["r", "W2", "b2"], "g", attributes: [ONNXAttribute.float("alpha", 1), ONNXAttribute.int("transB", 0)]),
            node("Softmax", ["g"], "y", attributes: [ONNXAttribute.int("axis", 1)]),
        ], initializers: [
            tensor("W1", [3, 2], w1, raw: raw), tensor("b1", [2], b1, raw: raw),
            tensor("W2", [2, 2], w2, raw: raw), tensor("b2", [1, 2], b2, raw: raw),
        ], initializersAsInputs: initializersAsInputs)
    }
}
