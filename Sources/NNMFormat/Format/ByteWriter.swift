/// Appends little-endian fixed-width values to a byte array (the only byte order of `.nnm`).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
    /// A short string: u16 byte length, then UTF-8 bytes.
    mutating func shortString(_ s: String) { u16(UInt16(truncatingIfNeeded: s.utf8.count)); bytes.append(contentsOf: s.utf8) }
    /// A long string: u32 byte length, then UTF-8 bytes.
    mutating func longString(_ s: String) { u32(UInt32(truncatingIfNeeded: s.utf8.count)); bytes.append(contentsOf: s.utf8) }
}

/// Little-endian encoding into an existing buffer position (header patching).
func storeLE32(_ v: UInt32, into bytes: inout [UInt8], at offset: Int) {
    for i in 0..<4 { bytes[offset + i] = UInt8((v >> (8 * UInt32(i))) & 0xFF) }
}

func storeLE64(_ v: UInt64, into bytes: inout [UInt8], at offset: Int) {
    for i in 0..<8 { bytes[offset + i] = UInt8((v >> (8 * UInt64(i))) & 0xFF) }
}
