/// A minimal JSON value with a deterministic rendering: object keys sorted by their UTF-8
/// bytes, NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity" (JSON has no such
/// numbers), and every control character escaped (safe to print on a terminal).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Float)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Pretty-printed with two-space indentation and a trailing newline.
    public func rendered() -> String {
        var out = ""
        render(into: &out, indent: 0)
        return out + "\n"
    }

    private func render(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let f): out += f.isFinite ? f.description : Self.special(Double(f))
        case .double(let d): out += d.isFinite ? d.description : Self.special(d)
        case .string(let s): out += Self.quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "[" + items.map { v -> String in var s = ""; v.render(into: &s, indent: 0); return s }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.render(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            out += "{\n"
            for (i, key) in keys.enumerated() {
                out += String(repeating: "  ", count: indent + 1) + Self.quoted(key) + ": "
                members[key]?.render(into: &out, indent: indent + 1)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private static func special(_ d: Double) -> String {
        d.isNaN ? "\"NaN\"" : (d > 0 ? "\"Infinity\"" : "\"-Infinity\"")
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension MetadataValue {
    /// The value as JSON (arrays as arrays, non-finite doubles as strings).
    public var json: JSONValue {
        switch self {
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .ints(let a): .array(a.map { .int($0) })
        case .doubles(let a): .array(a.map { .double($0) })
        }
    }

    /// Short human-readable form, control characters escaped.
    public var displayText: String {
        switch self {
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d.description
        case .string(let s): "\"" + escapeForDisplay(s.count > 60 ? String(s.prefix(57)) + "..." : s) + "\""
        case .ints(let a): "[" + a.prefix(6).map(String.init).joined(separator: ", ") + (a.count > 6 ? ", … (\(a.count))" : "") + "]"
        case .doubles(let a): "[" + a.prefix(6).map(\.description).joined(separator: ", ") + (a.count > 6 ? ", … (\(a.count))" : "") + "]"
        }
    }
}
