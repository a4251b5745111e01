/// The numbers a CSV cell may hold: plain decimal notation, as spreadsheets, pandas and R write
/// them (`-1.5`, `.5`, `3.`, `2e-3`).
///
/// Swift's `Float(_:)` and `Double(_:)` parse through `strtod`, which also takes hexadecimal
/// floats (`0x1p3`), the spellings `inf`, `infinity` and `nan(…)`, and stops at a NUL byte, so
/// `1.0<NUL>GARBAGE` would read as 1.0. None of these is a number a data file means, so every
/// cell is checked against the decimal grammar before it is converted.
enum CSVNumber {
    /// `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`, nothing before or after.
    static func isDecimal<S: StringProtocol>(_ text: S) -> Bool {
        // A native string's bytes in place (a million-cell file checks every cell); any other
        // through its iterator.
        if let verdict = text.utf8.withContiguousStorageIfAvailable({ buffer in
            var bytes = buffer.makeIterator()
            return followsGrammar(&bytes)
        }) {
            return verdict
        }
        var bytes = text.utf8.makeIterator()
        return followsGrammar(&bytes)
    }

    /// Whether `bytes`, to their end, spell a number of ``isDecimal(_:)``'s grammar.
    private static func followsGrammar<Bytes: IteratorProtocol<UInt8>>(_ bytes: inout Bytes) -> Bool {
        var byte = bytes.next()
        if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { byte = bytes.next() }
        var mantissaDigits = 0
        var sawPoint = false
        while let current = byte {
            if isDigit(current) {
                mantissaDigits += 1
            } else if current == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            byte = bytes.next()
        }
        guard mantissaDigits > 0 else { return false }
        guard let marker = byte else { return true }
        guard marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") else { return false }
        byte = bytes.next()
        if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { byte = bytes.next() }
        var exponentDigits = 0
        while let current = byte {
            guard isDigit(current) else { return false }
            exponentDigits += 1
            byte = bytes.next()
        }
        return exponentDigits > 0
    }

    /// The cell as float32 (one rounding, straight from the decimal text), or nil when it is
    /// not plain decimal notation. The value may still be infinite (`1e39`).
    static func float<S: StringProtocol>(_ text: S) -> Float? {
        isDecimal(text) ? Float(String(text)) : nil
    }

    /// The cell as binary64, or nil when it is not plain decimal notation.
    static func double<S: StringProtocol>(_ text: S) -> Double? {
        isDecimal(text) ? Double(String(text)) : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
