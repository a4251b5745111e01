extension Dataset {
    /// The dataset as CSV text: a header (`featureNames`, or `x1`, `x2`, …, then `label`) and one
    /// row per sample, features as the shortest decimals that read back to the same float32,
    /// the label as its class name (or index). `parseCSV` reads it back bit for bit, and other
    /// tools (pandas, scikit-learn) can train on exactly the points NNM trained on.
    public func csvText() -> String {
        let names = featureNames ?? (1...max(1, featureCount)).prefix(featureCount).map { "x\($0)" }
        var lines = [(names + ["label"]).map(Self.csvField).joined(separator: ",")]
        lines.reserveCapacity(sampleCount + 1)
        for row in 0..<sampleCount {
            let label = classNames.flatMap { $0.indices.contains(labels[row]) ? $0[labels[row]] : nil }
                ?? String(labels[row])
            let cells = features.row(row).map { "\($0)" } + [Self.csvField(label)]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A field quoted when it holds a comma, a quote, a line break or outer spaces.
    static func csvField(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " " || text.isEmpty
        guard needsQuotes else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
