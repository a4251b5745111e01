#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a string from a file safe to print on a terminal: C0/C1 control characters, DEL,
/// backslash and bidi/format controls become visible escapes, so a hostile name cannot move the
/// cursor, recolour the terminal or hide text.
public func escapeForDisplay(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        let v = scalar.value
        switch v {
        case 0x5C: out += "\\\\"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x00..<0x20, 0x7F: out += "\\x" + hex2(UInt8(v))
        case 0x80..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
            out += "\\u{" + String(v, radix: 16) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// The OS's text for an errno value.
func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text) + " (errno \(code))"
}
