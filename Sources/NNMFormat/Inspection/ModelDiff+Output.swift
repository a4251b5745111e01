extension ModelDiff {
    /// The report as text, one section per aspect, paths named.
    public func text(pathA: String, pathB: String) -> String {
        var lines = ["A: \(escapeForDisplay(pathA))", "B: \(escapeForDisplay(pathB))", ""]
        lines.append("architecture  " + (layersDiffer ? "differs: A \(layers.a), B \(layers.b)" : "same: \(layers.a)"))
        lines.append("tensors")
        for t in tensors {
            if let note = t.note { lines.append("  \(escapeForDisplay(t.name))  \(note)"); continue }
            let delta = t.maxAbsDelta.map { $0 == 0 ? "0" : Float($0).description } ?? "—"
            lines.append("  \(escapeForDisplay(t.name))  " + (t.changed == 0 ? "same" : "max |Δ| \(delta), \(t.changed) of \(t.count) elements changed"))
        }
        lines.append("recipe        " + (recipeDiffers ? "differs" : "same"))
        lines.append("history       " + history)
        if metadata.isEmpty {
            lines.append("metadata      same")
        } else {
            lines.append("metadata      \(metadata.count) key\(metadata.count == 1 ? "" : "s") differ")
            let width = metadata.map(\.key.count).max() ?? 0
            for m in metadata {
                lines.append("  \(padded(escapeForDisplay(m.key), width))  A \(m.a)  B \(m.b)")
            }
        }
        lines.append("")
        lines.append(identical ? "identical" : "different")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON (schema `nnm-inspect-diff/1`).
    public func json(pathA: String, pathB: String) -> JSONValue {
        .object([
            "schema": .string("nnm-inspect-diff/1"),
            "a": .string(pathA), "b": .string(pathB),
            "identical": .bool(identical),
            "architecture": .object(["differs": .bool(layersDiffer), "a": .string(layers.a), "b": .string(layers.b)]),
            "tensors": .array(tensors.map { t in
                .object(["name": .string(t.name), "max_abs_delta": t.maxAbsDelta.map { .double($0) } ?? .null,
                         "changed": .int(Int64(t.changed)), "count": .int(Int64(t.count)),
                         "note": t.note.map { .string($0) } ?? .null])
            }),
            "recipe_differs": .bool(recipeDiffers),
            "history": .object(["relation": .string(history), "differs": .bool(historyDiffers)]),
            "metadata": .array(metadata.map { .object(["key": .string($0.key), "a": .string($0.a), "b": .string($0.b)]) }),
        ])
    }
}

/// `nnm-inspect --table`: one row per run, settings then results, as aligned text, CSV or a
/// Markdown table.
public enum RunTable {
    public enum Style: Sendable { case text, csv, markdown }

    public static func render(_ runs: [RunSummary], style: Style) -> String {
        var header = ["file"]
        for run in runs { for (k, _) in run.settings + run.results where !header.contains(k) { header.append(k) } }
        let rows = runs.map { run in
            header.map { key in key == "file" ? escapeForDisplay(run.path) : (run.settings + run.results).first { $0.key == key }?.value ?? "" }
        }
        switch style {
        case .csv:
            func cell(_ s: String) -> String {
                s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\"" : s
            }
            return ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            func cell(_ s: String) -> String { s.map { $0 == "|" ? "\\|" : String($0) }.joined() }
            let lines = ["| " + header.map(cell).joined(separator: " | ") + " |",
                         "|" + header.map { _ in "---|" }.joined()] + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
            return lines.joined(separator: "\n") + "\n"
        case .text:
            let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
            return ([header] + rows).map { row in
                var line = row.enumerated().map { padded($0.element, widths[$0.offset]) }.joined(separator: "  ")
                while line.last == " " { line.removeLast() }
                return line
            }.joined(separator: "\n") + "\n"
        }
    }
}

/// `s` followed by spaces up to `width` characters.
func padded(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
