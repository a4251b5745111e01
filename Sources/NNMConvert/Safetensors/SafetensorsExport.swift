import NNM
import NNMFormat

/// `.nnm` → safetensors: every tensor under its `.nnm` name (`layers.0.weight`, …) as F32, and
/// in `__metadata__` the architecture (`nnm.architecture`, nnm-train's layer spec), class and
/// feature names, so that importing the file gives back the same network, bit for bit.
///
/// The header is written by hand, keys in a fixed order (`__metadata__` first, its entries
/// sorted; tensors in layer order), padded with spaces to a multiple of 8 as the official
/// writer does, so the same model always gives the same bytes.
public enum SafetensorsExport {
    public static func bytes(of model: NNMModel, sourceDigest: String?) -> [UInt8] {
        let tensors = model.modelFile().tensors
        var entries: [String] = []
        let metadata = ConvertMetadata.exported(from: model, sourceDigest: sourceDigest)
            .sorted { $0.key < $1.key }
            .map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }
        entries.append(JSONText.quoted(SafetensorsHeader.metadataKey) + ":{" + metadata.joined(separator: ",") + "}")
        var offset = 0
        var data: [UInt8] = []
        for tensor in tensors {
            guard case .decoded(let values) = tensor.storage else { continue }
            let bytes = LittleEndianFloats.bytes(values)
            entries.append(JSONText.quoted(tensor.name)
                + ":{\"dtype\":\"F32\",\"shape\":[" + tensor.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(offset + bytes.count)]}")
            offset += bytes.count
            data += bytes
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + data.count)
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: UInt64(header.count) >> UInt64(shift))) }
        out += header
        out += data
        return out
    }
}
