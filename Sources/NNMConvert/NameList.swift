import Foundation

/// A list of names (classes, features) as one string, for formats whose metadata holds only
/// strings (ONNX `metadata_props`, safetensors `__metadata__`): a JSON array, which any
/// reader on the other side parses with its standard library.
enum NameList {
    /// Most names a list may hold when read back (a `.nnm` records at most 2048 of each).
    static let maximumCount = 4096

    /// `["a","b"]`, with JSON escaping, in order; deterministic.
    static func encode(_ names: [String]) -> String {
        "[" + names.map(JSONText.quoted).joined(separator: ",") + "]"
    }

    /// The names in a JSON array of strings; nil for anything else (a hostile or foreign value
    /// is ignored rather than trusted).
    static func decode(_ text: String) -> [String]? {
        guard text.utf8.count <= 1 << 22, JSONText.depth(of: Array(text.utf8)) <= 2,
              let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let names = value as? [String], !names.isEmpty, names.count <= maximumCount else { return nil }
        return names
    }
}

/// The small parts of JSON text NNM writes by hand (so its output is byte-for-byte fixed) and
/// the one guard it puts before Foundation's parser.
enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The deepest nesting of arrays and objects in JSON bytes (brackets inside strings not
    /// counted). Checked before parsing so that a header of a million `[` cannot exhaust the
    /// parser's stack.
    static func depth(of bytes: [UInt8]) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1; deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}
