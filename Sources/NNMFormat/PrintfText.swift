#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as text through the C library's `printf` formats, in the "C" locale (a decimal
/// point, even in a program that called `setlocale`): the one formatter behind every figure
/// NNM's tools show. Here rather than `String(format:)` because that lives in the full
/// Foundation, which the tools do not load: FoundationEssentials (what they import) starts a
/// process ~6 ms sooner. `package`, not public: a format that came from outside would be a
/// format-string hole, and every format here is written in the code.
package enum PrintfText {
    /// `format` applied to `arguments`, as `snprintf` writes it: `PrintfText.string("%.1f s", 2.25)`
    /// is "2.2 s". The format must match the arguments' types, as with `printf` (`%ld` for `Int`).
    package static func string(_ format: String, _ arguments: CVarArg...) -> String {
        let previous = cLocale.handle.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = withVaList(arguments) { list in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, format, list) }
            }
            guard written >= 0 else { return "?" }
            if Int(written) < capacity {
                return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(written) + 1
        }
    }

    /// The numeric "C" locale, made once and never freed (`uselocale` sets it for the calling
    /// thread only, around one call). nil if the C library cannot make it: the thread's locale.
    private static let cLocale = LocaleHandle(handle: newlocale(LC_NUMERIC_MASK, "C", nil))

    private struct LocaleHandle: @unchecked Sendable {   // immutable after creation
        let handle: locale_t?
    }
}
