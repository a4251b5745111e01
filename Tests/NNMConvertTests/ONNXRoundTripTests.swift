import Foundation
import NNM
import NNMFormat
import Testing
@testable import NNMConvert

@Suite struct ONNXRoundTripTests {
    @Test(arguments: TestModels.specs.map(\.name))
    func exportThenImportKeepsEveryWeightBitForBit(name: String) throws {
        let model = try #require(try TestModels.all().first { $0.0 == name }).1
        let bytes = try ONNXExport.bytes(of: model, sourceDigest: "sha256:00")
        var notes: [String] = []
        let file = try ONNXImport.modelFile(bytes: bytes, sha256: "ff", notes: &notes)
        let back = try ModelConversion.network(file, format: .onnx)
        #expect(back.network.layerRecords == model.network.layerRecords)
        #expect(TestModels.bits(back) == TestModels.bits(model))
        #expect(back.classNames == model.classNames)
        #expect(back.featureNames == model.featureNames)
        #expect(back.labelName == "label")
        #expect(back.metadata[ConvertMetadata.sourceFormatKey] == .string("onnx"))
        #expect(back.metadata[ConvertMetadata.sourceSHA256Key] == .string("ff"))
        #expect(notes.isEmpty)
    }

    @Test func exportIsDeterministicAndDescribesTheGraph() throws {
        let model = try TestModels.model("linear:8,leaky-relu:0.2,linear:3,softmax", inputs: 4, standardizes: true)
        let bytes = try ONNXExport.bytes(of: model, sourceDigest: "sha256:1234")
        #expect(try ONNXExport.bytes(of: model, sourceDigest: "sha256:1234") == bytes)
        let proto = try ONNXImport.decode(bytes)
        #expect(proto.irVersion == 8)
        #expect(proto.opsetImport.map(\.version) == [17])
        #expect(proto.graph.node.map(\.opType) == ["Sub", "Mul", "Gemm", "LeakyRelu", "Gemm", "Softmax"])
        #expect(proto.graph.node[3].attribute.first?.f == 0.2)
        #expect(proto.graph.node[5].attribute.first?.i == -1)
        #expect(proto.graph.input.map(\.name) == ["input"])
        #expect(proto.graph.output.map(\.name) == ["output"])
        #expect(proto.graph.input[0].type.tensorType.shape.dim[0].dimParam == "batch")
        #expect(proto.graph.input[0].type.tensorType.shape.dim[1].dimValue == 4)
        let keys = proto.metadataProps.map(\.key)
        #expect(keys == keys.sorted())
        let props = Dictionary(uniqueKeysWithValues: proto.metadataProps.map { ($0.key, $0.value) })
        #expect(props["nnm.source_digest"] == "sha256:1234")
        #expect(props["nnm.architecture"] == "standardize,linear:8,leaky-relu:0.2,linear:3,softmax")
        #expect(props["nnm.class_names"] == #"["class \"0\"","class \"1\"","class \"2\""]"#)
        #expect(props["nnm.producer"] == NNMVersion.producer)
    }

    @Test func everyLayerKindHasOneTranslation() {
        let kinds: [LayerKind] = [.linear, .relu, .leakyReLU(slope: 0.3), .sigmoid, .tanh, .softmax, .identity, .standardize]
        let tokens = kinds.map { LayerTranslation(LayerRecord(kind: $0, inputs: 2, outputs: 2)).specToken }
        #expect(tokens == ["linear:2", "relu", "leaky-relu:0.3", "sigmoid", "tanh", "softmax", "identity", "standardize"])
        for token in tokens { #expect(LayerSpec.entry(for: token) != nil, "\(token) parses back") }
    }
}
