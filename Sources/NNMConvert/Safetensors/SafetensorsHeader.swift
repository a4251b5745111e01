import Foundation
import NNMFormat

/// The header of a safetensors file, checked: `u64` little-endian header length, a JSON object
/// mapping tensor names to `dtype`, `shape` and `data_offsets` (relative to the end of the
/// header), and an optional `__metadata__` object of strings.
///
/// Everything is checked before any tensor data is read: the header length against a limit and
/// the file, the JSON's nesting before parsing it, each tensor's element count against its
/// byte range, every range inside the data, and no two ranges overlapping (an aliased range
/// would let one stored value become two tensors).
struct SafetensorsHeader {
    /// Largest header read (safetensors' own reader stops at 100 MB; an MLP needs kilobytes).
    static let maximumHeaderBytes = 16 << 20
    static let maximumTensors = Int(FormatLimits.maxTensors) * 2
    static let metadataKey = "__metadata__"

    struct Entry: Equatable {
        var name: String
        var dtype: SafetensorsDType
        var shape: [Int]
        /// Byte range within the data area.
        var begin: Int
        var end: Int
        var elementCount: Int { shape.reduce(1, *) }
    }

    var metadata: [String: String]
    /// Sorted by `begin`.
    var entries: [Entry]
    /// Where the data area starts in the file (8 + header length).
    var dataStart: Int

    /// Parses and checks the header of a file of `fileLength` bytes whose first bytes are
    /// given by `read(offset, count)`.
    init(fileLength: Int, read: (Int, Int) throws -> [UInt8]) throws(ConvertError) {
        guard fileLength >= 8 else { throw Self.malformed("\(fileLength) bytes, shorter than the 8-byte header length") }
        let lengthBytes: [UInt8]
        do { lengthBytes = try read(0, 8) } catch { throw .io(detail: "\(error)") }
        let declared = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= UInt64(Self.maximumHeaderBytes) else {
            throw .limitExceeded(format: .safetensors, detail: "a header of \(declared) bytes, more than \(Self.maximumHeaderBytes)")
        }
        guard declared >= 2, 8 + Int(declared) <= fileLength else {
            throw Self.malformed("the header length \(declared) does not fit the file's \(fileLength) bytes")
        }
        let headerBytes: [UInt8]
        do { headerBytes = try read(8, Int(declared)) } catch { throw .io(detail: "\(error)") }
        dataStart = 8 + Int(declared)
        let object = try Self.parseObject(headerBytes)
        (metadata, entries) = try Self.entries(of: object, dataLength: fileLength - dataStart)
    }

    private static func malformed(_ detail: String) -> ConvertError { .malformed(format: .safetensors, detail: detail) }

    /// The header as a JSON object, its nesting checked first.
    private static func parseObject(_ bytes: [UInt8]) throws(ConvertError) -> [String: Any] {
        // The official writer pads the header with spaces to a multiple of 8.
        guard bytes.first == UInt8(ascii: "{") else { throw malformed("the header does not start with '{'") }
        guard JSONText.depth(of: bytes) <= 3 else { throw malformed("the header nests deeper than a tensor table") }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw malformed("the header is not UTF-8") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw malformed("the header is not a JSON object")
        }
        return object
    }

    private static func entries(of object: [String: Any], dataLength: Int) throws(ConvertError) -> ([String: String], [Entry]) {
        guard object.count <= maximumTensors + 1 else {
            throw .limitExceeded(format: .safetensors, detail: "\(object.count) tensors, more than \(maximumTensors)")
        }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in object {
            if name == metadataKey {
                guard let strings = value as? [String: String] else { throw malformed("__metadata__ is not an object of strings") }
                metadata = strings
                continue
            }
            entries.append(try entry(name: name, value: value, dataLength: dataLength))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        for (previous, next) in zip(entries, entries.dropFirst()) where next.begin < previous.end {
            throw malformed("tensors '\(Display.clip(previous.name))' and '\(Display.clip(next.name))' share bytes \(next.begin)..<\(min(previous.end, next.end))")
        }
        return (metadata, entries)
    }

    private static func entry(name: String, value: Any, dataLength: Int) throws(ConvertError) -> Entry {
        let label = "tensor '\(Display.clip(name))'"
        guard let fields = value as? [String: Any], Set(fields.keys) == ["dtype", "shape", "data_offsets"],
              let dtypeName = fields["dtype"] as? String, let shape = integers(fields["shape"]),
              let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
            throw malformed("\(label) is not {dtype, shape, data_offsets}")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unsupported(format: .safetensors, detail: "\(label) has dtype \(Display.clip(dtypeName, limit: 12)); F32, F16 and BF16 are read")
        }
        guard shape.count >= 1, shape.count <= 2 else {
            throw .unsupported(format: .safetensors, detail: "\(label) has rank \(shape.count); weights have rank 1 or 2")
        }
        var count = 1
        for dimension in shape {
            guard dimension >= 1, dimension <= Int(FormatLimits.maxWidth) else { throw malformed("\(label) has dimension \(dimension)") }
            count *= dimension
            guard count <= Int(FormatLimits.maxTensorElements) else {
                throw .limitExceeded(format: .safetensors, detail: "\(label) has more than \(FormatLimits.maxTensorElements) elements")
            }
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= dataLength else {
            throw malformed("\(label) has data_offsets [\(begin), \(end)] outside the \(dataLength) data bytes")
        }
        guard end - begin == count * dtype.byteCount else {
            throw malformed("\(label) has \(end - begin) bytes for \(count) \(dtype.rawValue) values")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// A JSON array of non-negative integers that fit an `Int`, or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any], array.count <= 8 else { return nil }
        var out: [Int] = []
        for element in array {
            guard let number = element as? NSNumber,
                  let exact = Int(exactly: number.doubleValue), exact >= 0, exact < 1 << 53 else { return nil }
            out.append(exact)
        }
        return out
    }
}

/// The element types read: float32 as is, float16 and bfloat16 widened (exactly).
enum SafetensorsDType: String, Equatable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    var byteCount: Int { self == .f32 ? 4 : 2 }

    /// The values in `bytes` (little-endian, `byteCount` each) as float32.
    func floats(_ bytes: [UInt8]) -> [Float] {
        switch self {
        case .f32: return LittleEndianFloats.values(bytes)
        case .bf16: return stride(from: 0, to: bytes.count, by: 2).map { Float(bitPattern: UInt32(bytes[$0]) << 16 | UInt32(bytes[$0 + 1]) << 24) }
        case .f16: return stride(from: 0, to: bytes.count, by: 2).map { Self.widen(UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
        }
    }

    /// IEEE binary16 → binary32, exactly (subnormals, infinities and NaN included).
    static func widen(_ half: UInt16) -> Float {
        let sign: Float = half & 0x8000 != 0 ? -1 : 1
        let exponent = Int((half >> 10) & 0x1F)
        let fraction = Float(half & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
