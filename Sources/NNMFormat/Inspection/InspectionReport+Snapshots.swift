/// What the inspector says about the weight snapshots (the `snap` section, spec §10b).
extension ModelFile {
    /// `  snapshots: 8, at epochs 1, 2, 4, 9, 20, 45, 100, 200 (nnm-render evolution draws them)`.
    var snapshotLine: String? {
        guard let epochs = weightSnapshots?.epochs, !epochs.isEmpty else { return nil }
        let list = epochs.map(String.init).joined(separator: ", ")
        return "  snapshots: \(epochs.count), at epoch\(epochs.count == 1 ? "" : "s") \(list) (nnm-render evolution draws them)"
    }

    /// The snapshots for `--json`: `null`, or their count and epochs.
    var snapshotJSON: JSONValue {
        guard let epochs = weightSnapshots?.epochs else { return .null }
        return .object(["count": .int(Int64(epochs.count)), "epochs": .array(epochs.map { .int(Int64($0)) })])
    }
}
