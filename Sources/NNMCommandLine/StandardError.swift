#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to standard error. Control characters inside it (a newline or an escape
/// sequence in a file name the message quotes) are shown escaped, so an error is always one
/// line and can never move the cursor or recolour the terminal.
public func printError(_ line: String) {
    writeStandardError(escapingControlCharacters(line) + "\n")
}

/// `text` with C0 and C1 control characters and DEL written as `\n`, `\t`, `\r` or `\xHH`.
public func escapingControlCharacters(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x0A: out += "\\n"
        case 0x09: out += "\\t"
        case 0x0D: out += "\\r"
        case 0x00..<0x20, 0x7F..<0xA0:
            let hex = String(scalar.value, radix: 16)
            out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Writes raw text to file descriptor 2, unbuffered, so progress and errors appear at once
/// and in order with what the tool has already written.
public func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = write(2, base + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}
