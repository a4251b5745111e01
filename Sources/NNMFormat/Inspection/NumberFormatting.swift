/// Number formatting for reports, without Foundation.
enum NumberText {
    /// `%.<digits>g` (``PrintfText``: the C library's "C"-locale formatting of doubles).
    static func general(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return PrintfText.string("%.\(digits)g", value)
    }

    /// 12345678 → "12,345,678".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// 17 → "17 B", 4553 → "4.45 KiB".
    static func bytes(_ value: UInt64) -> String {
        if value < 1024 { return "\(value) B" }
        let units = ["KiB", "MiB", "GiB"]
        var v = Double(value) / 1024
        var unit = 0
        while v >= 1024 && unit < units.count - 1 { v /= 1024; unit += 1 }
        return general(v, digits: 3) + " " + units[unit]
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    static func padRight(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
