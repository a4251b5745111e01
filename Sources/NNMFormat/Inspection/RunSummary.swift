/// One training run as a row: how it was set up (architecture, data, `train.*` metadata) and
/// how it ended (final history values, `eval.*`). `nnm-inspect --table` prints these rows;
/// `nnm-render compare` labels each run by the settings that differ between runs.
public struct RunSummary: Sendable {
    public var path: String
    /// Settings in a fixed order: `layers`, `activations`, `dataset`, then `train.*` keys sorted.
    public var settings: [(key: String, value: String)]
    /// Final figures: `epochs`, the history's final values, then `eval.*` keys sorted.
    public var results: [(key: String, value: String)]
    /// The `dataset` setting as a legend says it: a data file by its name, without the size,
    /// digest and path that identify it (a label of 120 characters ran off the picture).
    var datasetLabel: String?

    /// Metadata keys that describe what happened rather than what was asked for.
    static let outcomeKeys: Set<String> = ["train.epochs_run", "train.interrupted_epoch", "train.interrupted_batch"]

    public init(_ file: ModelFile, path: String) {
        self.path = path
        var settings: [(String, String)] = [("layers", RunSummary.widths(file.layers)),
                                            ("activations", RunSummary.activations(file.layers))]
        if let d = file.dataset {
            let params = d.parameters.keys.sorted().compactMap { k in d.parameters[k].map { "\(k)=\(RunSummary.text($0))" } }
            settings.append(("dataset", d.generator + (params.isEmpty ? "" : "(" + params.joined(separator: ",") + ")")))
            let identifying = ["_bytes", "_sha256", "_path"]
            let shown = params.filter { p in !identifying.contains { p.split(separator: "=").first?.hasSuffix($0) ?? false } }
            datasetLabel = d.generator + (shown.isEmpty ? "" : "(" + shown.joined(separator: ",") + ")")
            settings.append(("data.seed", String(d.seed)))
        }
        for key in file.metadata.keys.sorted() where key.hasPrefix("train.") && !RunSummary.outcomeKeys.contains(key) {
            if let v = file.metadata[key] { settings.append((key, RunSummary.text(v))) }
        }
        self.settings = settings
        var results: [(String, String)] = [("epochs", String(file.history?.epochCount ?? 0))]
        for series in file.history?.series ?? [] {
            guard let last = series.values.last(where: { $0.isFinite }) else { continue }
            let isAccuracy = series.name.hasSuffix("accuracy")
            results.append((series.name, isAccuracy ? MetricText.accuracy(Double(last)) : MetricText.loss(Double(last))))
        }
        for key in file.metadata.keys.sorted() where key.hasPrefix("eval.") {
            if case .double(let d) = file.metadata[key] {
                results.append((key, key.hasSuffix("accuracy") ? MetricText.accuracy(d) : MetricText.loss(d)))
            }
        }
        self.results = results
    }

    /// "2-16-16-1": the input width and every Linear layer's output width.
    static func widths(_ layers: [LayerRecord]) -> String {
        guard let first = layers.first else { return "-" }
        return ([first.inputs] + layers.filter { $0.kind == .linear }.map(\.outputs)).map(String.init).joined(separator: "-")
    }

    /// "relu,sigmoid": the kinds of the layers that are not Linear, in order.
    static func activations(_ layers: [LayerRecord]) -> String {
        let names = layers.compactMap { layer -> String? in
            switch layer.kind {
            case .linear: return nil
            case .relu: return "relu"
            case .leakyReLU(let slope): return "leaky_relu(\(slope))"
            case .sigmoid: return "sigmoid"
            case .tanh: return "tanh"
            case .softmax: return "softmax"
            case .identity: return "identity"
            case .standardize: return "standardize"
            case .rescale: return "rescale"
            }
        }
        // Repeats collapsed ("relu,relu,sigmoid" → "relu,sigmoid"), so a deeper network with the
        // same activations does not differ here as well as in `layers`.
        let distinct = names.enumerated().filter { $0.offset == 0 || names[$0.offset - 1] != $0.element }.map(\.element)
        return distinct.isEmpty ? "-" : distinct.joined(separator: ",")
    }

    /// A metadata value in a few characters: numbers in their shortest form, strings bare.
    static func text(_ v: MetadataValue) -> String {
        switch v {
        case .string(let s): return escapeForDisplay(s)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : d.description
        default: return v.displayText
        }
    }

    /// The settings whose values are not the same in every run (a key missing from a run counts
    /// as a value), in the order they first appear.
    public static func differingSettings(_ runs: [RunSummary]) -> [String] {
        var order: [String] = []
        for run in runs { for (k, _) in run.settings where !order.contains(k) { order.append(k) } }
        return order.filter { key in Set(runs.map { run in run.settings.first { $0.key == key }?.value ?? "—" }).count > 1 }
    }

    /// A legend label per run: "lr=0.05, hidden…" from the settings that differ (their
    /// `train.` prefix dropped), or the file names when none differ.
    public static func labels(_ runs: [RunSummary]) -> [String] {
        let keys = differingSettings(runs)
        let names = runs.map { String($0.path.split(separator: "/").last ?? Substring($0.path)) }
        guard !keys.isEmpty else { return names }
        // Data files told apart only by what the short form leaves out keep the long form.
        let full = runs.map { run in run.settings.first { $0.key == "dataset" }?.value }
        let shortDatasets = Set(runs.map(\.datasetLabel)).count == Set(full).count
        return runs.map { run in
            keys.map { key in
                let short = key.hasPrefix("train.") ? String(key.dropFirst(6)) : key
                let value = key == "dataset" && shortDatasets ? run.datasetLabel : run.settings.first { $0.key == key }?.value
                return "\(short)=\(value ?? "—")"
            }.joined(separator: ", ")
        }
    }
}
