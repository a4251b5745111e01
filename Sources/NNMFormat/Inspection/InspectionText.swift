extension InspectionReport {
    /// The human-readable report: summary line, Keras-style layer table with totals, tensor
    /// statistics with histograms, training summary, metadata, warnings. Every string that
    /// comes from the file is escaped.
    public func text() -> String {
        var out = summaryLines()
        out += layerLines()
        out += tensorLines()
        out += trainingLines()
        if !model.metadata.isEmpty {
            out.append("")
            out.append("Metadata")
            out += metadataLines()
        }
        if let warnings = model.readInfo?.warnings, !warnings.isEmpty {
            out.append("")
            out.append("Warnings")
            for w in warnings { out.append("  " + escapeForDisplay(w.description)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One line per metadata entry, in byte order; the feature names (one entry per input,
    /// possibly thousands) are one line, since the Training section lists them.
    private func metadataLines() -> [String] {
        let featureNameCount = model.metadata.keys.filter { $0.hasPrefix(ModelFile.featureNameKeyPrefix) }.count
        var out: [String] = []
        for (key, value) in model.metadata.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            if key.hasPrefix(ModelFile.featureNameKeyPrefix), featureNameCount > 1 {
                if key == ModelFile.featureNameKey(0) {
                    out.append("  \(ModelFile.featureNameKeyPrefix)* = \(featureNameCount) entries (see Training)")
                }
                continue
            }
            out.append("  \(escapeForDisplay(key)) = \(value.displayText)")
        }
        return out
    }

    /// "30: a, b, c, d, e, … (25 more)": the first few feature names and how many there are.
    static func compactNames(_ names: [String], shown: Int = 8) -> String {
        let first = names.prefix(shown).map(escapeForDisplay).joined(separator: ", ")
        let rest = names.count - min(shown, names.count)
        return "\(names.count): " + first + (rest > 0 ? ", … (\(rest) more)" : "")
    }

    /// The summary line (path, version, size, tensors, integrity) and the digest.
    private func summaryLines() -> [String] {
        let info = model.readInfo
        let integrityText: String
        switch integrity {
        case .tablesChecked: integrityText = "header and tables OK (tensors not decoded)"
        case .tensorsChecked: integrityText = "header, tables and tensor CRCs OK (use --verify for the digest)"
        case .verified: integrityText = "verified: every CRC and the content digest match"
        }
        return [
            "\(escapeForDisplay(path)): .nnm \(model.version), \(NumberText.grouped(Int(info?.fileLength ?? 0))) bytes, "
                + "\(tensors.count) tensor\(tensors.count == 1 ? "" : "s") (\(tensors.isEmpty ? "none" : codecSummary)), \(integrityText)",
            "digest  sha256:\(hexString(info?.storedDigest ?? []))",
            "",
        ]
    }

    /// The Keras-style layer table with totals.
    private func layerLines() -> [String] {
        let header = ["#", "Layer", "Input → Output", "Params", "Stored", "Codec"]
        var rows: [[String]] = []
        for l in layers {
            var kind = l.kind.displayName
            if case .leakyReLU(let slope) = l.kind { kind += "(\(NumberText.general(Double(slope))))" }
            rows.append([String(l.index), kind, "\(l.inputs) → \(l.outputs)", NumberText.grouped(l.parameters),
                         l.parameters > 0 ? NumberText.bytes(l.storedBytes) : "", l.codecs.joined(separator: ",")])
        }
        var out = table(header: header, rows: rows, rightAligned: [0, 3, 4])
        out.append("Total params: \(NumberText.grouped(totalParameters)) (\(NumberText.bytes(totalRawBytes)) raw, "
                   + "\(NumberText.bytes(totalStoredBytes)) stored"
                   + (totalRawBytes > 0 ? ", \(NumberText.general(100 * Double(totalStoredBytes) / Double(totalRawBytes), digits: 3))% of raw)" : ")"))
        if let first = model.layers.first, let last = model.layers.last {
            out.append("Input width \(first.inputs), output width \(last.outputs), \(model.layers.count) layers")
        }
        return out
    }

    /// Per-tensor statistics with a histogram sparkline (when the tensors were decoded).
    private func tensorLines() -> [String] {
        guard tensors.contains(where: { $0.statistics != nil }) else { return [] }
        var out = ["", "Tensors"]
        let nameWidth = tensors.map { escapeForDisplay($0.name).count }.max() ?? 0
        for t in tensors {
            guard let s = t.statistics else { continue }
            let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
            var line = "  " + NumberText.padRight(escapeForDisplay(t.name), nameWidth) + "  " + NumberText.padRight(shape, 12)
            line += " min " + f(s.min.map(Double.init)) + "  max " + f(s.max.map(Double.init))
            line += "  mean " + f(s.mean) + "  std " + f(s.std)
            line += "  zeros \(s.zeros)  nan \(s.nans)  inf \(s.infinities)"
            out.append(line)
            if !s.histogram.isEmpty {
                out.append("  " + String(repeating: " ", count: nameWidth) + "  |" + s.sparkline + "|  "
                           + f(s.min.map(Double.init)) + " … " + f(s.max.map(Double.init)))
            }
        }
        return out
    }

    /// Whether a history series' best value is its smallest: losses and errors (`val_rmse`,
    /// `val_mae`); accuracies and R² are best at their largest.
    static func lowerIsBetter(_ name: String) -> Bool {
        ["loss", "mse", "rmse", "mae"].contains { name.hasSuffix($0) }
    }

    /// Dataset recipe, class names and the history's final and best values.
    private func trainingLines() -> [String] {
        let classNames = model.classNames
        let featureNames = model.featureNames
        let labelName = ModelFile.labelName(from: model.metadata)
        guard model.dataset != nil || model.history != nil || classNames != nil || featureNames != nil
                || model.trainingState != nil || model.weightSnapshots != nil
        else { return [] }
        var out = ["", "Training"]
        if let d = model.dataset {
            let parameters = d.parameters.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
                .map { "\(escapeForDisplay($0.key))=\($0.value.displayText)" }.joined(separator: ", ")
            out.append("  dataset: \(escapeForDisplay(d.generator))(\(parameters)), seed \(d.seed), "
                       + "validation \(NumberText.general(d.validationFraction)), test \(NumberText.general(d.testFraction))")
        }
        if let classNames {
            out.append("  classes: " + classNames.enumerated()
                .map { "\($0.offset) = \(escapeForDisplay($0.element))" }.joined(separator: ", "))
        }
        if let featureNames { out.append("  features: " + Self.compactNames(featureNames)) }
        if let labelName { out.append("  label column: " + escapeForDisplay(labelName)) }
        if let h = model.history {
            var epochs = "  epochs: \(h.epochCount)"
            if let stop = ModelFile.interruption(from: model.metadata) {
                epochs += " (interrupted by the user in epoch \(stop.epoch), after batch \(stop.batch))"
            }
            out.append(epochs)
            out += model.segmentLines
            for s in h.series {
                let text = Self.seriesValueText(name: s.name)
                let finalValue = s.values.last.map { text(Double($0)) } ?? "-"
                let finite = s.values.filter(\.isFinite)
                let best = Self.lowerIsBetter(s.name) ? finite.min() : finite.max()
                out.append("  " + NumberText.padRight(escapeForDisplay(s.name), 16) + " final \(finalValue)"
                           + (best.map { "  best \(text(Double($0)))" } ?? ""))
            }
        }
        if let line = model.trainingStateLine { out.append(line) }
        if let line = model.snapshotLine { out.append(line) }
        return out
    }

    /// Losses and accuracies as every tool writes them (``MetricText``); other series in general form.
    static func seriesValueText(name: String) -> (Double) -> String {
        if name.hasSuffix("loss") { return MetricText.loss }
        if name.hasSuffix("accuracy") { return MetricText.accuracy }
        return { NumberText.general($0) }
    }

    private func f(_ v: Double?) -> String { v.map { NumberText.general($0) } ?? "-" }

    private func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> [String] {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                rightAligned.contains(i) ? NumberText.padLeft(c, widths[i]) : NumberText.padRight(c, widths[i])
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return [line(header), rule] + rows.map(line) + [rule]
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
