// libFuzzer target: the safetensors importer (`ModelConversion.read(bytes:format: .safetensors)`):
// header length, JSON header, offsets, dtypes, state-dict names. The first byte picks the
// architecture (--layers) for files without one; the rest is the file. What it accepts must
// survive its own export.
import NNM
import NNMConvert

let architectures: [String?] = [nil, "linear", "linear,relu,linear", "linear,sigmoid", "standardize,linear,softmax",
                                "linear,tanh,linear,leaky-relu:0.1,linear,identity"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let layers = architectures[Int(data[0]) % architectures.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard let source = try? ModelConversion.read(bytes: bytes, format: .safetensors, layers: layers) else { return 0 }
    guard let exported = try? ModelConversion.bytes(of: source, as: .safetensors),
          let again = try? ModelConversion.read(bytes: exported, format: .safetensors),
          again.model.network.layerRecords == source.model.network.layerRecords else {
        fatalError("an accepted safetensors file does not survive its own export")
    }
    return 0
}
