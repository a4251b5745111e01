import Foundation
import NNMFormat
import SwiftProtobuf

/// ONNX → `.nnm`: multilayer perceptrons as exporters write them.
///
/// Read: `torch.onnx.export` of an `nn.Sequential` of Linear layers and activations, graphs
/// built with `onnx.helper`, and this tool's own exports — a chain of Gemm (`transB` 0 or 1,
/// `alpha = beta = 1`), MatMul followed by Add, Relu, LeakyRelu, Sigmoid, Tanh, Softmax on the
/// last axis, Identity, Flatten of the 2-D input, and Sub followed by Mul or Div with constant
/// operands (a standardize layer); float32 initializers in `raw_data` or `float_data`, or in a
/// side file (`external_data`, as PyTorch's exporter writes them) when read from a path.
/// Anything else is refused naming the node, its operator and what is supported.
///
/// The file is untrusted: its size is checked before it is read, protobuf decoding has a
/// nesting limit, and every count, shape and data length is checked before anything is
/// allocated from it.
public enum ONNXImport {
    /// Largest `.onnx` file read: a `.nnm` holds at most 1 GiB of weights; 16 MiB more
    /// leaves room for the graph around them.
    public static let maximumFileBytes = (1 << 30) + (1 << 24)
    public static let maximumNodes = 4 * Int(FormatLimits.maxLayers)
    public static let maximumInitializers = Int(FormatLimits.maxTensors) * 2
    public static let maximumMetadataEntries = Int(FormatLimits.maxMetadataEntries)
    /// The opsets whose operators above mean what this reader assumes.
    public static let supportedOpsets: ClosedRange<Int64> = 7...23

    /// The `.nnm` content for the ONNX model in `bytes`, whose SHA-256 is `sha256` (hex).
    /// `directory` is where the file was, for initializers kept in a side file beside it.
    static func modelFile(bytes: [UInt8], sha256: String, directory: String? = nil,
                          notes: inout [String]) throws(ConvertError) -> ModelFile {
        guard bytes.count <= maximumFileBytes else {
            throw .limitExceeded(format: .onnx, detail: "\(bytes.count) bytes, more than \(maximumFileBytes)")
        }
        let model = try decode(bytes)
        try checkEnvelope(model)
        let graph = model.graph
        var chain = try ONNXChain(graph: graph, external: directory.map(ONNXExternalData.init(directory:)))
        let network = try chain.layers()
        if let read = chain.external?.locations, !read.isEmpty {
            notes.append("weights read from \(read.map { "'\(Display.clip($0))'" }.joined(separator: ", ")) beside the .onnx file (the recorded source digest covers the .onnx file only)")
        }
        if chain.unusedInitializers > 0 {
            notes.append("\(chain.unusedInitializers) initializer(s) that no node reads were left out")
        }
        var entries: [String: String] = [:]
        for entry in model.metadataProps { entries[entry.key] = entry.value }
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        let metadata = ConvertMetadata.imported(
            from: entries, format: .onnx, sourceSHA256: sha256, sourceProducer: producer,
            inputs: network.records.first?.inputs ?? 0, outputs: network.records.last?.outputs ?? 0, notes: &notes)
        return ModelFile(layers: network.records, tensors: network.tensors, metadata: metadata)
    }

    static func decode(_ bytes: [UInt8]) throws(ConvertError) -> Onnx_ModelProto {
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = 32
        options.discardUnknownFields = true
        do {
            return try Onnx_ModelProto(serializedBytes: bytes, options: options)
        } catch {
            throw .malformed(format: .onnx, detail: "protobuf decoding failed (\(error))")
        }
    }

    /// What must hold around the graph: one, of the standard operator set, without functions
    /// or sparse tensors, within the counts.
    static func checkEnvelope(_ model: Onnx_ModelProto) throws(ConvertError) {
        guard model.hasGraph else { throw .malformed(format: .onnx, detail: "the model has no graph") }
        guard model.functions.isEmpty else {
            throw .unsupported(format: .onnx, detail: "the model defines \(model.functions.count) local function(s); only plain graphs are read")
        }
        guard let opset = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" })?.version else {
            throw .malformed(format: .onnx, detail: "no opset_import for the standard ONNX domain")
        }
        guard supportedOpsets.contains(opset) else {
            throw .unsupported(format: .onnx, detail: "opset \(opset); opsets \(supportedOpsets.lowerBound)–\(supportedOpsets.upperBound) are read")
        }
        let graph = model.graph
        guard graph.node.count <= maximumNodes else {
            throw .limitExceeded(format: .onnx, detail: "\(graph.node.count) nodes, more than \(maximumNodes)")
        }
        guard graph.initializer.count <= maximumInitializers else {
            throw .limitExceeded(format: .onnx, detail: "\(graph.initializer.count) initializers, more than \(maximumInitializers)")
        }
        guard model.metadataProps.count <= maximumMetadataEntries else {
            throw .limitExceeded(format: .onnx, detail: "\(model.metadataProps.count) metadata_props, more than \(maximumMetadataEntries)")
        }
        guard graph.sparseInitializer.isEmpty else {
            throw .unsupported(format: .onnx, detail: "sparse initializers; only dense float32 initializers are read")
        }
    }
}
