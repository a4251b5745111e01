import Foundation
import NNM
import NNMFormat
import Testing
@testable import NNMConvert

@Suite struct ONNXImportTests {
    func importing(_ model: Onnx_ModelProto) throws -> NNMModel {
        var notes: [String] = []
        let file = try ONNXImport.modelFile(bytes: try ONNXGraphs.bytes(model), sha256: "00", notes: &notes)
        return try ModelConversion.network(file, format: .onnx)
    }

    @Test(arguments: [false, true], [false, true])
    func matMulAddAndGemmWithoutTransposeBecomeLinearLayers(raw: Bool, initializersAsInputs: Bool) throws {
        let model = try importing(ONNXGraphs.matMulAddGemm(raw: raw, initializersAsInputs: initializersAsInputs))
        #expect(model.network.layerRecords.map(\.kind) == [.linear, .relu, .linear, .softmax])
        let tensors = model.modelFile().tensors
        // MatMul's [inputs, outputs] weight becomes NNM's [outputs, inputs].
        #expect(tensors[0].shape == [2, 3])
        guard case .decoded(let w1) = tensors[0].storage, case .decoded(let w2) = tensors[2].storage,
              case .decoded(let b2) = tensors[3].storage else { Issue.record("not decoded"); return }
        #expect(w1 == [0.5, 0.25, -0.75, -1, 2, 1.5])
        #expect(w2 == [1, 0.5, -1, 0.25])
        #expect(b2 == ONNXGraphs.b2)
        // Forward pass by hand: x = [1, 2, 3].
        let h = [max(0, 0.5 + 0.5 - 2.25 + 0.1), max(0, -1 + 4 + 4.5 - 0.2)]
        let z = [h[0] * 1 + h[1] * 0.5, h[0] * -1 + h[1] * 0.25 + 0.3]
        let e = z.map { exp(Double($0) - z.max()!) }
        let expected = e.map { $0 / e.reduce(0, +) }
        let output = try model.predict([1, 2, 3])
        for (got, want) in zip(output, expected) { #expect(abs(Double(got) - want) < 1e-6) }
    }

    @Test func subThenDivIsAStandardizeLayer() throws {
        let model = try importing(ONNXGraphs.model(nodes: [
            ONNXGraphs.node("Sub", ["x", "mean"], "s"),
            ONNXGraphs.node("Div", ["s", "std"], "d"),
            ONNXGraphs.node("Gemm", ["d", "W", "b"], "y", attributes: [ONNXAttribute.int("transB", 1)]),
        ], initializers: [
            ONNXGraphs.tensor("mean", [3], [1, 2, 3]), ONNXGraphs.tensor("std", [1, 3], [2, 4, 0.5]),
            ONNXGraphs.tensor("W", [1, 3], [1, 1, 1]), ONNXGraphs.tensor("b", [1], [0]),
        ]))
        #expect(model.network.layerRecords.map(\.kind) == [.standardize, .linear])
        #expect(try model.predict([3, 2, 4]) == [1 + 0 + 2])
    }

    @Test func gemmWithoutBiasGetsZeros() throws {
        let model = try importing(ONNXGraphs.model(nodes: [
            ONNXGraphs.node("Gemm", ["x", "W"], "y", attributes: [ONNXAttribute.int("transB", 1)]),
        ], initializers: [ONNXGraphs.tensor("W", [1, 3], [1, 2, 3])]))
        #expect(try model.predict([1, 1, 1]) == [6])
    }

    /// Refusals name the node, the operator and what is supported.
    @Test func unsupportedOperatorIsNamed() throws {
        let model = ONNXGraphs.model(nodes: [
            ONNXGraphs.node("Gemm", ["x", "W", "b"], "g", attributes: [ONNXAttribute.int("transB", 1)]),
            ONNXGraphs.node("Elu", ["g"], "y", name: "/act/Elu"),
        ], initializers: [ONNXGraphs.tensor("W", [1, 3], [1, 2, 3]), ONNXGraphs.tensor("b", [1], [0])])
        let error = try #require(throws: ConvertError.self) { try importing(model) }
        #expect(error.description.contains("node '/act/Elu' (Elu)"))
        #expect(error.description.contains("operator Elu is not supported; supported: Gemm"))
    }

    static let refusals: [(String, Onnx_ModelProto, String)] = {
        let W = ONNXGraphs.tensor("W", [1, 3], [1, 2, 3]), b = ONNXGraphs.tensor("b", [1], [0])
        func gemm(_ attributes: [Onnx_AttributeProto]) -> Onnx_ModelProto {
            ONNXGraphs.model(nodes: [ONNXGraphs.node("Gemm", ["x", "W", "b"], "y", attributes: attributes)], initializers: [W, b])
        }
        var external = ONNXGraphs.tensor("W", [1, 3], [])
        external.dataLocation = .external
        external.externalData = [Onnx_StringStringEntryProto.with { $0.key = "location"; $0.value = "w.bin" }]
        var int64 = W
        int64.dataType = 7
        var short = ONNXGraphs.tensor("W", [1, 3], [1, 2, 3], raw: true)
        short.rawData = short.rawData.prefix(8)
        var huge = W
        huge.dims = [1 << 40, 1 << 40]
        var branching = gemm([ONNXAttribute.int("transB", 1)])
        branching.graph.node.append(ONNXGraphs.node("Relu", ["x"], "z"))
        var twoInputs = gemm([ONNXAttribute.int("transB", 1)])
        twoInputs.graph.input.append(ONNXGraphs.info("x2", width: 3))
        var opset = gemm([ONNXAttribute.int("transB", 1)])
        opset.opsetImport[0].version = 99
        var domain = gemm([ONNXAttribute.int("transB", 1)])
        domain.graph.node[0].domain = "com.microsoft"
        var function = gemm([ONNXAttribute.int("transB", 1)])
        function.functions = [Onnx_FunctionProto()]
        var sparse = gemm([ONNXAttribute.int("transB", 1)])
        sparse.graph.sparseInitializer = [Onnx_SparseTensorProto()]
        var noGraph = Onnx_ModelProto()
        noGraph.irVersion = 8
        return [
            ("alpha", gemm([ONNXAttribute.float("alpha", 2)]), "alpha or beta other than 1"),
            ("transA", gemm([ONNXAttribute.int("transA", 1)]), "transA = 1"),
            ("unknown attribute", gemm([ONNXAttribute.int("broadcast", 1)]), "attribute 'broadcast'"),
            ("attribute type", gemm([ONNXAttribute.float("transB", 1)]), "is not an integer"),
            ("external data", ONNXGraphs.model(nodes: [ONNXGraphs.node("Gemm", ["x", "W", "b"], "y")], initializers: [external, b]), "beside the .onnx file; read the model from its path"),
            ("int64 weights", ONNXGraphs.model(nodes: [ONNXGraphs.node("Gemm", ["x", "W", "b"], "y")], initializers: [int64, b]), "element type int64"),
            ("short raw_data", ONNXGraphs.model(nodes: [ONNXGraphs.node("Gemm", ["x", "W", "b"], "y")], initializers: [short, b]), "8 bytes of raw_data for 3"),
            ("huge dims", ONNXGraphs.model(nodes: [ONNXGraphs.node("Gemm", ["x", "W", "b"], "y")], initializers: [huge, b]), "dimension"),
            ("branching", branching, "not a chain"),
            ("two inputs", twoInputs, "2 inputs"),
            ("opset", opset, "opset 99"),
            ("domain", domain, "domain 'com.microsoft'"),
            ("functions", function, "local function"),
            ("sparse", sparse, "sparse initializers"),
            ("no graph", noGraph, "no graph"),
            ("weights from input", ONNXGraphs.model(nodes: [ONNXGraphs.node("MatMul", ["x", "x"], "y")], initializers: []), "not an initializer"),
        ]
    }()

    @Test(arguments: refusals.indices)
    func refusesWhatItCannotRepresent(index: Int) throws {
        let (label, model, expected) = Self.refusals[index]
        let error = try #require(throws: ConvertError.self, "\(label)") { try importing(model) }
        #expect(error.description.contains(expected), "\(label): \(error)")
    }
}
