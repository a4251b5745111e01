#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as text through the C library's `printf` formats, in the "C" locale (a decimal
/// point, whatever the user's locale): the one formatter behind every figure NNM's tools show.
/// Here rather than `String(format:)` because that lives in the full Foundation, which the
/// tools do not load: FoundationEssentials (what they import) starts a process ~6 ms sooner.
public enum PrintfText {
    /// `format` applied to `arguments`, as `snprintf` writes it: `PrintfText.string("%.1f s", 2.25)`
    /// is "2.2 s". The format must match the arguments' types, as with `printf`.
    public static func string(_ format: String, _ arguments: CVarArg...) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = withVaList(arguments) { list in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, format, list) }
            }
            guard written >= 0 else { return "" }
            if Int(written) < capacity {
                return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(written) + 1
        }
    }
}
