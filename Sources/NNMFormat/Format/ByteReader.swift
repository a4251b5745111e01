/// Reads little-endian values from a slice of bytes, throwing — never trapping — when a value
/// would run past the end. Offsets in errors are absolute file offsets (`base` + position).
struct ByteReader {
    let bytes: ArraySlice<UInt8>
    /// Absolute file offset of `bytes.startIndex`.
    let base: Int
    /// Section name used in error messages.
    let context: String
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>, base: Int, context: String) {
        self.bytes = bytes
        self.base = base
        self.context = context
        self.position = bytes.startIndex
    }

    /// Absolute file offset of the next byte.
    var offset: Int { base + (position - bytes.startIndex) }
    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func take(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw NNMFormatError.truncated(context: "\(context) \(what)", offset: offset,
                                           needed: UInt64(max(0, count)), available: UInt64(remaining))
        }
        let slice = bytes[position..<(position + count)]
        position += count
        return slice
    }

    mutating func u8(_ what: String) throws -> UInt8 { try take(1, what).first ?? 0 }
    mutating func u16(_ what: String) throws -> UInt16 { UInt16(truncatingIfNeeded: try le(2, what)) }
    mutating func u32(_ what: String) throws -> UInt32 { UInt32(truncatingIfNeeded: try le(4, what)) }
    mutating func u64(_ what: String) throws -> UInt64 { try le(8, what) }
    mutating func i64(_ what: String) throws -> Int64 { Int64(bitPattern: try le(8, what)) }
    mutating func f32(_ what: String) throws -> Float { Float(bitPattern: try u32(what)) }
    mutating func f64(_ what: String) throws -> Double { Double(bitPattern: try u64(what)) }

    private mutating func le(_ n: Int, _ what: String) throws -> UInt64 {
        let s = try take(n, what)
        var v: UInt64 = 0
        for (i, b) in s.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    /// Fails unless at least `count × size` bytes remain: the check that stops a tiny file from
    /// declaring a billion entries and making us allocate for them.
    func requireRoom(count: UInt64, elementSize: UInt64, _ what: String) throws {
        let (need, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow, need <= UInt64(remaining) else {
            throw NNMFormatError.truncated(context: "\(context) \(what)", offset: offset,
                                           needed: overflow ? UInt64.max : need, available: UInt64(remaining))
        }
    }

    func limit(_ value: UInt64, _ limit: UInt64, _ what: String, at: Int) throws {
        guard value <= limit else {
            throw NNMFormatError.limitExceeded(what: what, value: value, limit: limit, offset: at)
        }
    }

    /// A UTF-8 string with a u16 (`short`) or u32 length prefix, at most `maxBytes` long.
    mutating func string(short: Bool, maxBytes: UInt64, _ what: String) throws -> String {
        let at = offset
        let length = short ? UInt64(try u16("\(what) length")) : UInt64(try u32("\(what) length"))
        try limit(length, maxBytes, "\(context) \(what) length", at: at)
        let raw = try take(Int(length), what)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw NNMFormatError.malformed(section: context, offset: at, reason: "\(what) is not valid UTF-8")
        }
        return text
    }

    func malformed(_ reason: String, at: Int? = nil) -> NNMFormatError {
        .malformed(section: context, offset: at ?? offset, reason: reason)
    }

    func requireEnd() throws {
        guard isAtEnd else { throw malformed("\(remaining) unexpected trailing bytes") }
    }
}
