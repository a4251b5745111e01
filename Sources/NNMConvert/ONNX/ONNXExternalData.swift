import NNMFiles

/// Initializer bytes kept outside the `.onnx` file, in a file beside it.
///
/// PyTorch's exporter (`torch.onnx.export`, dynamo) and `onnx.save(..., save_as_external_data=True)`
/// keep every tensor above a small size in a side file named by the tensor's `external_data`
/// entries: `location` (a path relative to the `.onnx` file's directory), `offset` and `length`
/// in bytes. Those entries come from an untrusted file, so the location is confined as ONNX's
/// own checker confines it — relative, no `..` component, not a symbolic link, a regular file —
/// offset and length are checked against the file before a byte is read, and all external
/// bytes of one model together stay within ``maximumTotalBytes``.
struct ONNXExternalData {
    /// At most what an `.onnx` file of weights may hold (``ONNXImport/maximumFileBytes``).
    static let maximumTotalBytes = ONNXImport.maximumFileBytes

    /// The directory of the `.onnx` file the locations are relative to.
    let directory: String
    /// Files opened so far, by location: a model's tensors usually share one.
    private var files: [String: ReadOnlyFile] = [:]
    private var totalBytes = 0

    init(directory: String) { self.directory = directory }

    /// The side files read, in the order first read (for the conversion's notes).
    private(set) var locations: [String] = []

    /// The `byteCount` bytes `tensor`'s `external_data` entries point at.
    mutating func bytes(of tensor: Onnx_TensorProto, name: String, byteCount: Int) throws(ConvertError) -> [UInt8] {
        let entries = try Self.entries(tensor, name: name)
        guard let location = entries["location"] else {
            throw .malformed(format: .onnx, detail: "\(name) has external data without a location")
        }
        let file = try open(location, name: name)
        let offset = try Self.number(entries["offset"], key: "offset", name: name) ?? 0
        guard offset <= file.length else {
            throw .malformed(format: .onnx, detail: "\(name)'s external data starts at byte \(offset) of a \(file.length)-byte file")
        }
        let length = try Self.number(entries["length"], key: "length", name: name) ?? (file.length - offset)
        guard length == byteCount else {
            throw .malformed(format: .onnx, detail: "\(name) has \(length) bytes of external data for \(byteCount / 4) float32 values")
        }
        guard length <= file.length - offset else {
            throw .malformed(format: .onnx, detail: "\(name)'s external data (bytes \(offset) to \(offset + length)) runs past the end of '\(Display.clip(location))' (\(file.length) bytes)")
        }
        guard length <= Self.maximumTotalBytes - totalBytes else {
            throw .limitExceeded(format: .onnx, detail: "more than \(Self.maximumTotalBytes) bytes of external data")
        }
        totalBytes += length
        do { return try file.read(at: offset, count: length) } catch { throw .io(detail: "\(error)") }
    }

    /// The entries by key; a key given twice or one ONNX does not define is refused.
    private static func entries(_ tensor: Onnx_TensorProto, name: String) throws(ConvertError) -> [String: String] {
        var entries: [String: String] = [:]
        for entry in tensor.externalData {
            guard ["location", "offset", "length", "checksum"].contains(entry.key) else {
                throw .malformed(format: .onnx, detail: "\(name) has an unknown external_data key '\(Display.clip(entry.key))'")
            }
            guard entries.updateValue(entry.value, forKey: entry.key) == nil else {
                throw .malformed(format: .onnx, detail: "\(name) gives external_data '\(entry.key)' twice")
            }
        }
        return entries
    }

    /// A decimal byte count, or nil when the entry is absent.
    private static func number(_ text: String?, key: String, name: String) throws(ConvertError) -> Int? {
        guard let text else { return nil }
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(text) else {
            throw .malformed(format: .onnx, detail: "\(name)'s external_data \(key) '\(Display.clip(text))' is not a byte count")
        }
        return value
    }

    /// The side file at `location`, confined to the model's directory and opened once.
    private mutating func open(_ location: String, name: String) throws(ConvertError) -> ReadOnlyFile {
        if let file = files[location] { return file }
        let components = location.split(separator: "/", omittingEmptySubsequences: false)
        guard !location.isEmpty, !location.hasPrefix("/"), !location.utf8.contains(0),
              !components.contains(where: { $0 == ".." || $0.isEmpty }) else {
            throw .unsupported(format: .onnx, detail: "\(name)'s external data location '\(Display.clip(location))' is not a relative path inside the model's directory")
        }
        let path = directory + "/" + location
        let kind = FileKind(ofLinkAt: path)
        guard kind == .regular else {
            let what = kind == .missing ? "missing" : kind.noun
            throw .io(detail: "\(name) keeps its data in '\(Display.clip(location))' beside the .onnx file, which is \(what) (at \(path))")
        }
        let file: ReadOnlyFile
        do { file = try ReadOnlyFile(path: path) } catch { throw .io(detail: "\(error)") }
        files[location] = file
        locations.append(location)
        return file
    }
}
