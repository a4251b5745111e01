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

/// Four-byte section type codes. Bit 5 of the first byte (lower case) marks an ancillary
/// section that a reader may skip; upper case marks a critical one it must understand.
public enum SectionType {
    public static let layers: [UInt8] = Array("LAYR".utf8)
    public static let tensors: [UInt8] = Array("TENS".utf8)
    public static let metadata: [UInt8] = Array("meta".utf8)
    public static let history: [UInt8] = Array("hist".utf8)
    public static let recipe: [UInt8] = Array("rcpe".utf8)
    public static let weights: [UInt8] = Array("WGHT".utf8)
    public static let tail: [UInt8] = Array("TAIL".utf8)

    /// True when the type's first byte is lower case (ancillary: skippable).
    static func isAncillary(_ type: [UInt8]) -> Bool { type[0] & 0x20 != 0 }
    /// Printable name of a type code, with non-letters escaped.
    static func name(_ type: [UInt8]) -> String { escapeBytes(type) }
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
