// libFuzzer target: the ONNX importer (`ModelConversion.read(bytes:format: .onnx)`): protobuf
// decoding, the graph walk, initializer data. What it accepts must be a whole, saveable model
// whose export reads back to the same weights.
import NNM
import NNMConvert

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let source = try? ModelConversion.read(bytes: bytes, format: .onnx) else { return 0 }
    checkAccepted(source)
    return 0
}

/// An accepted model exports and imports again with the same layers and weights.
func checkAccepted(_ source: SourceModel) {
    guard let exported = try? ModelConversion.bytes(of: source, as: .onnx),
          let again = try? ModelConversion.read(bytes: exported, format: .onnx) else {
        fatalError("an accepted ONNX model does not survive its own export")
    }
    let before = source.model.modelFile().tensors.map { tensor -> [UInt32] in
        guard case .decoded(let values) = tensor.storage else { return [] }
        return values.map(\.bitPattern)
    }
    let after = again.model.modelFile().tensors.map { tensor -> [UInt32] in
        guard case .decoded(let values) = tensor.storage else { return [] }
        return values.map(\.bitPattern)
    }
    guard before == after, again.model.network.layerRecords == source.model.network.layerRecords else {
        fatalError("an ONNX round trip changed the model")
    }
}
