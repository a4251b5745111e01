import Foundation
import NNMFormat

/// Float tensors to and from ONNX `TensorProto`s.
enum ONNXTensor {
    /// A float32 initializer with its values in `raw_data` (little-endian), as exporters write.
    static func proto(name: String, shape: [Int], values: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.rawData = LittleEndianFloats.bytes(values)
        return tensor
    }

    /// The shape and values of a float32 initializer, every size checked before use.
    /// Data in a side file is read through `external` (nil when the model came as bytes, with
    /// no directory to find it in). Refuses segments, other element types, and data that does
    /// not fill the shape exactly.
    static func values(of tensor: Onnx_TensorProto, external: inout ONNXExternalData?) throws(ConvertError) -> (shape: [Int], values: [Float]) {
        let name = "initializer '\(Display.clip(tensor.name))'"
        guard !tensor.hasSegment else { throw .unsupported(format: .onnx, detail: "\(name) is a segment of a tensor") }
        guard tensor.dataType == Int32(Onnx_TensorProto.DataType.float.rawValue) else {
            let type = Onnx_TensorProto.DataType(rawValue: Int(tensor.dataType)).map { "\($0)" } ?? "\(tensor.dataType)"
            throw .unsupported(format: .onnx, detail: "\(name) has element type \(type); only float32 weights are read")
        }
        guard tensor.dims.count >= 1, tensor.dims.count <= 2 else {
            throw .unsupported(format: .onnx, detail: "\(name) has rank \(tensor.dims.count); weights have rank 1 or 2")
        }
        var count = 1
        for dim in tensor.dims {
            guard dim >= 1, dim <= Int64(FormatLimits.maxWidth) else {
                throw .malformed(format: .onnx, detail: "\(name) has dimension \(dim)")
            }
            count *= Int(dim)
            guard count <= Int(FormatLimits.maxTensorElements) else {
                throw .limitExceeded(format: .onnx, detail: "\(name) has more than \(FormatLimits.maxTensorElements) elements")
            }
        }
        let shape = tensor.dims.map { Int($0) }
        if tensor.dataLocation == .external || !tensor.externalData.isEmpty {
            guard tensor.dataLocation == .external, !tensor.hasRawData, tensor.floatData.isEmpty else {
                throw .malformed(format: .onnx, detail: "\(name) has external_data entries but is not marked as external, or also holds data inside the file")
            }
            guard external != nil else {
                throw .unsupported(format: .onnx, detail: "\(name) keeps its data in a file beside the .onnx file; read the model from its path, or save it with save_as_external_data=False")
            }
            let bytes = try external?.bytes(of: tensor, name: name, byteCount: count * 4) ?? []
            return (shape, LittleEndianFloats.values(bytes))
        }
        if tensor.hasRawData {
            guard tensor.floatData.isEmpty else {
                throw .malformed(format: .onnx, detail: "\(name) has both raw_data and float_data")
            }
            guard tensor.rawData.count == count * 4 else {
                throw .malformed(format: .onnx, detail: "\(name) has \(tensor.rawData.count) bytes of raw_data for \(count) float32 values")
            }
            return (shape, LittleEndianFloats.values(tensor.rawData))
        }
        guard tensor.floatData.count == count else {
            throw .malformed(format: .onnx, detail: "\(name) has \(tensor.floatData.count) float_data values for shape \(shape)")
        }
        return (shape, tensor.floatData)
    }
}

/// float32 values as little-endian bytes, the byte order of ONNX `raw_data` and safetensors.
enum LittleEndianFloats {
    static func bytes(_ values: [Float]) -> Data {
        var data = Data(count: values.count * 4)
        data.withUnsafeMutableBytes { out in
            for (index, value) in values.enumerated() {
                out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return data
    }

    /// The values in `bytes` (a multiple of 4 long; the caller checked).
    static func values<Bytes: DataProtocol>(_ bytes: Bytes) -> [Float] {
        let raw = [UInt8](bytes)
        var values = [Float](repeating: 0, count: raw.count / 4)
        raw.withUnsafeBytes { input in
            for index in values.indices {
                values[index] = Float(bitPattern: UInt32(littleEndian: input.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
        return values
    }
}

/// Text from an untrusted file, made safe and short for a one-line message.
enum Display {
    static func clip(_ text: String, limit: Int = 80) -> String {
        let escaped = escapeForDisplay(String(text.prefix(limit)))
        return text.count > limit ? escaped + "…" : escaped
    }
}
