import NNMFiles

/// The fixed numbers of `.nnm` v1, named once. Every value here is normative: it is quoted in
/// `spec/nnm-format.md`, and changing one changes the format.
public enum NNMConstants {
    /// PNG-style signature: a high-bit byte (catches 7-bit transfers), `NNM`, CR LF (catches
    /// newline conversion), Ctrl-Z (stops DOS `type`), LF (catches the reverse conversion).
    public static let signature: [UInt8] = [0x8E, 0x4E, 0x4E, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Bytes of the fixed header, signature included.
    public static let headerLength = 32
    /// Bytes before a section's payload: 4-byte type + u64 payload length.
    public static let sectionHeadLength = 12
    /// Bytes after a section's payload: its CRC-32.
    public static let sectionTailLength = 4
    /// Raw bytes per independently compressed block of a tensor (the last block may be shorter).
    public static let blockRawLength = 1 << 20
    /// Length of the content digest (SHA-256) in the `TAIL` section.
    public static let digestLength = 32

    /// zlib parameters of the canonical writer. Readers accept any valid zlib stream.
    public static let zlibLevel: Int32 = 1
    public static let zlibWindowBits: Int32 = 15
    public static let zlibMemLevel: Int32 = 8
    /// `Z_RLE`: measured smaller and ~2.5× faster than the default strategy on shuffled weights.
    public static let zlibStrategy: Int32 = 3
    /// A deflate stream cannot expand more than 1032:1, so a block whose declared raw length is
    /// larger than this multiple of its stored length is a lie (a "bomb") and is refused.
    public static let maxInflateRatio = 1032
}

/// The type of a section, from its four-byte code. Bit 5 of the first byte (lower case) marks
/// an ancillary section that a reader may skip; upper case marks a critical one it must
/// understand. The kinds this reader knows are cases; any other code is kept as it was read.
public enum SectionType: Hashable, Sendable, CustomStringConvertible {
    /// `LAYR`: the layer table.
    case layers
    /// `TENS`: the tensor table.
    case tensors
    /// `meta`: key/value metadata.
    case metadata
    /// `hist`: the training history.
    case history
    /// `rcpe`: the dataset recipe.
    case recipe
    /// `trst`: the training state a resumed run continues from (format 1.1).
    case trainingState
    /// `snap`: the weights at chosen epochs of the run (format 1.1).
    case weightSnapshots
    /// `WGHT`: the tensor blobs.
    case weights
    /// `TAIL`: the content digest.
    case tail
    /// A code this reader does not know (four bytes, as found in the file).
    case other([UInt8])

    /// Every known kind, in canonical file order.
    public static let known: [SectionType] = [.layers, .tensors, .metadata, .history, .recipe, .trainingState, .weightSnapshots, .weights, .tail]

    /// The type with this code: a known kind, or `.other(code)`.
    public init(code: [UInt8]) {
        self = SectionType.known.first { $0.code == code } ?? .other(code)
    }

    /// The four bytes written in the file.
    public var code: [UInt8] {
        switch self {
        case .layers: Array("LAYR".utf8)
        case .tensors: Array("TENS".utf8)
        case .metadata: Array("meta".utf8)
        case .history: Array("hist".utf8)
        case .recipe: Array("rcpe".utf8)
        case .trainingState: Array("trst".utf8)
        case .weightSnapshots: Array("snap".utf8)
        case .weights: Array("WGHT".utf8)
        case .tail: Array("TAIL".utf8)
        case .other(let code): code
        }
    }

    /// True when the code's first byte is lower case (ancillary: skippable).
    public var isAncillary: Bool { (code.first ?? 0) & 0x20 != 0 }

    /// The code as text ("meta", "LAYR"), non-letters escaped as `\xHH`.
    public var description: String { escapeBytes(code) }
}

/// Numeric ids stored in the file for enumerations.
enum WireID {
    static let dtypeFloat32: UInt8 = 1
    static let codecNone: UInt8 = 0
    static let codecZlib: UInt8 = 1
    static let filterNone: UInt8 = 0
    static let filterShuffle4: UInt8 = 1

    static let metaBool: UInt8 = 1
    static let metaInt: UInt8 = 2
    static let metaDouble: UInt8 = 3
    static let metaString: UInt8 = 4
    static let metaInts: UInt8 = 5
    static let metaDoubles: UInt8 = 6
}

/// Escapes bytes for display: printable ASCII as is, everything else as `\xHH`.
func escapeBytes(_ bytes: [UInt8]) -> String {
    var out = ""
    for b in bytes {
        if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\\") { out.append(Character(UnicodeScalar(b))) }
        else { out += "\\x" + hex2(b) }
    }
    return out
}

/// Two lower-case hex digits.
func hex2(_ b: UInt8) -> String { Hex.string([b]) }

/// Lower-case hex of bytes (digests): ``Hex/string(_:)``, the one hex encoding.
public func hexString(_ bytes: [UInt8]) -> String { Hex.string(bytes) }
