extension InspectionReport {
    /// Version of the `--json` schema; bumped when a key changes meaning or disappears.
    public static let jsonSchema = "nnm-inspect/1"

    /// The report as JSON (schema `nnm-inspect/1`, documented in README): keys sorted, NaN and
    /// ±Infinity as strings, absent parts as null.
    public func json() -> JSONValue {
        let info = model.readInfo
        var file: [String: JSONValue] = [
            "path": .string(path),
            "bytes": .int(Int64(info?.fileLength ?? 0)),
            "version": .string(model.version.description),
            "digest": .string(hexString(info?.storedDigest ?? [])),
            "integrity": .string(integrity.rawValue),
        ]
        file["sections"] = .array((info?.sections ?? []).map { s in
            .object(["type": .string(s.type.description), "offset": .int(Int64(s.offset)), "length": .int(Int64(s.payloadLength)),
                     "critical": .bool(s.isCritical), "known": .bool(s.isKnown)])
        })
        let layerValues: [JSONValue] = layers.map { l in
            var o: [String: JSONValue] = [
                "index": .int(Int64(l.index)), "kind": .string(l.kind.displayName), "inputs": .int(Int64(l.inputs)),
                "outputs": .int(Int64(l.outputs)), "params": .int(Int64(l.parameters)), "stored_bytes": .int(Int64(l.storedBytes)),
            ]
            if case .leakyReLU(let slope) = l.kind { o["slope"] = .float(slope) }
            return .object(o)
        }
        let tensorValues: [JSONValue] = tensors.map { t in
            .object([
                "name": .string(t.name), "shape": .array(t.shape.map { .int(Int64($0)) }), "codec": .string(t.codec),
                "filter": .string(t.filter), "blocks": .int(Int64(t.blocks)), "raw_bytes": .int(Int64(t.rawBytes)),
                "stored_bytes": .int(Int64(t.storedBytes)), "stats": t.statistics?.json ?? .null,
            ])
        }
        var training: JSONValue = .null
        if let h = model.history {
            var series: [String: JSONValue] = [:]
            for s in h.series { series[s.name] = .array(s.values.map { .float($0) }) }
            training = .object(["epochs": .int(Int64(h.epochCount)), "series": .object(series),
                                "final": .object(Dictionary(uniqueKeysWithValues: h.series.map { ($0.name, $0.values.last.map { JSONValue.float($0) } ?? .null) }))])
        }
        var dataset: JSONValue = .null
        if let d = model.dataset {
            dataset = .object([
                "generator": .string(d.generator), "seed": .string(String(d.seed)),
                "validation_fraction": .double(d.validationFraction), "test_fraction": .double(d.testFraction),
                "parameters": .object(d.parameters.mapValues(\.json)),
            ])
        }
        return .object([
            "schema": .string(Self.jsonSchema),
            "file": .object(file),
            "layers": .array(layerValues),
            "totals": .object(["params": .int(Int64(totalParameters)), "raw_bytes": .int(Int64(totalRawBytes)),
                               "stored_bytes": .int(Int64(totalStoredBytes))]),
            "tensors": .array(tensorValues),
            "training": training,
            "segments": model.resumeJSON.segments,
            "training_state": model.resumeJSON.state,
            "snapshots": model.snapshotJSON,
            "dataset": dataset,
            "feature_names": model.featureNames.map { .array($0.map { .string($0) }) } ?? .null,
            "label_name": ModelFile.labelName(from: model.metadata).map { .string($0) } ?? .null,
            "metadata": .object(model.metadata.mapValues(\.json)),
            "warnings": .array((info?.warnings ?? []).map { .string($0.description) }),
        ])
    }
}
