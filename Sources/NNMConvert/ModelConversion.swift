import NNM
import NNMFiles
import NNMFormat

/// A model read for conversion: the network with its metadata, what identifies the file it
/// came from, and what the reader noticed (widened half-precision tensors, names left out).
public struct SourceModel: Sendable {
    public var model: NNMModel
    public var format: ModelFormat
    /// `sha256:<hex>`: a `.nnm` file's content digest, or another file's SHA-256.
    public var digest: String
    public var notes: [String]
}

/// nnm-convert's work, as a library: read any of the formats into an ``NNMModel``, write it
/// as any of them.
public enum ModelConversion {
    /// Largest ONNX or safetensors file read.
    public static let maximumFileBytes = ONNXImport.maximumFileBytes

    /// Reads the model at `path` in `format`. `layers` is the architecture of a safetensors
    /// state dict (`linear,relu,linear,sigmoid`); ignored for other formats.
    public static func read(path: String, format: ModelFormat, layers: String? = nil) throws -> SourceModel {
        if format == .nnm {
            let model: NNMModel
            do { model = try NNMModel(contentsOf: path, verification: .digest) } catch {
                throw ConvertError.io(detail: error.localizedDescription)
            }
            return SourceModel(model: model, format: .nnm, digest: "sha256:" + Hex.string(model.storedDigest ?? []), notes: [])
        }
        let file: ReadOnlyFile
        do { file = try ReadOnlyFile(path: path) } catch { throw ConvertError.io(detail: "\(error)") }
        guard file.length <= maximumFileBytes else {
            throw ConvertError.fileTooLarge(path: path, bytes: file.length, limit: maximumFileBytes)
        }
        let sha256 = Hex.string(try SHA256.digest(of: file))
        var notes: [String] = []
        let content: ModelFile
        switch format {
        case .onnx:
            content = try ONNXImport.modelFile(bytes: try file.readAll(), sha256: sha256,
                                               directory: Paths.directory(of: path), notes: &notes)
        case .safetensors:
            content = try SafetensorsImport.modelFile(
                length: file.length, read: { try file.read(at: $0, count: $1) }, sha256: sha256, layers: layers, notes: &notes)
        case .nnm: preconditionFailure("handled above")
        }
        return SourceModel(model: try network(content, format: format), format: format, digest: "sha256:" + sha256, notes: notes)
    }

    /// Reads an ONNX or safetensors model from bytes in memory (received over a network, or a
    /// fuzzer's input), with the same checks as a file.
    public static func read(bytes: [UInt8], format: ModelFormat, layers: String? = nil) throws -> SourceModel {
        guard bytes.count <= maximumFileBytes else {
            throw ConvertError.limitExceeded(format: format, detail: "\(bytes.count) bytes, more than \(maximumFileBytes)")
        }
        let sha256 = Hex.string(try SHA256.digest(bytes))
        var notes: [String] = []
        let content: ModelFile
        switch format {
        case .onnx: content = try ONNXImport.modelFile(bytes: bytes, sha256: sha256, notes: &notes)
        case .safetensors:
            content = try SafetensorsImport.modelFile(length: bytes.count, read: { offset, count in
                guard offset >= 0, count >= 0, offset <= bytes.count - count else {
                    throw ConvertError.malformed(format: .safetensors, detail: "read past the end")
                }
                return Array(bytes[offset..<(offset + count)])
            }, sha256: sha256, layers: layers, notes: &notes)
        case .nnm:
            do { return SourceModel(model: try NNMModel(bytes: bytes, verification: .digest), format: .nnm,
                                    digest: "sha256:" + sha256, notes: []) } catch {
                throw ConvertError.io(detail: error.localizedDescription)
            }
        }
        return SourceModel(model: try network(content, format: format), format: format, digest: "sha256:" + sha256, notes: notes)
    }

    /// The runnable model of imported content, through the one check every `.nnm` passes
    /// (tensor shapes, widths that chain, finite values where required).
    static func network(_ content: ModelFile, format: ModelFormat) throws(ConvertError) -> NNMModel {
        for tensor in content.tensors {
            guard case .decoded(let values) = tensor.storage, values.allSatisfy(\.isFinite) else {
                throw .unsupported(format: format, detail: "tensor \(tensor.name) holds a NaN or infinite value; an .nnm model never does")
            }
        }
        do {
            let model = try NNMModel(file: content)
            _ = try model.modelFile().encoded()   // within every .nnm limit, so it can be saved
            return model
        } catch {
            throw .unsupported(format: format, detail: "the network does not make a valid .nnm model: \(error.localizedDescription)")
        }
    }

    /// The bytes of `source` written as `format`.
    public static func bytes(of source: SourceModel, as format: ModelFormat) throws -> [UInt8] {
        switch format {
        case .nnm: return try source.model.modelFile().encoded()
        case .onnx: return try ONNXExport.bytes(of: source.model, sourceDigest: source.digest)
        case .safetensors: return SafetensorsExport.bytes(of: source.model, sourceDigest: source.digest)
        }
    }

    /// Whether nnm-convert may write `format` at `path`: never a file it reads, a directory or
    /// a device; an existing file of the output's own kind (an `.nnm` model, an ONNX file, a
    /// file named `.safetensors`) or an empty one is replaced; anything else only with `force`.
    public static func checkOutput(_ path: String, format: ModelFormat, input: String, force: Bool) throws {
        let policy: OutputPolicy
        switch format {
        case .nnm: policy = ModelFile.outputPolicy(force: force)
        // Every ONNX writer puts ir_version (field 1, varint) first: tag byte 0x08.
        case .onnx: policy = OutputPolicy(signature: [0x08], replacesEmptyFiles: true, force: force)
        case .safetensors:
            // No fixed first bytes: a file named .safetensors counts as one (a length of
            // 2^64 − 1, never a real file's, stands for "no file is one").
            let named = ModelFormat(path: path) == .safetensors
            policy = OutputPolicy(signature: named ? [] : [UInt8](repeating: 0xFF, count: 8), replacesEmptyFiles: true, force: force)
        }
        try policy.check(path, inputs: [input])
    }
}
