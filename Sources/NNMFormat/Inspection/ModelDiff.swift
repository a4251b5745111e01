/// What differs between two model files, as `nnm-inspect --diff` reports it: architecture,
/// every tensor (largest |Δ| and how many elements changed), recipe, settings and metadata,
/// and whether one training history continues the other.
public struct ModelDiff: Sendable {
    public struct TensorChange: Sendable {
        public var name: String
        /// nil when the shapes differ (or the tensor is in one file only).
        public var maxAbsDelta: Double?
        public var changed: Int
        public var count: Int
        public var note: String?
    }

    public var layersDiffer: Bool
    public var layers: (a: String, b: String)
    public var tensors: [TensorChange]
    public var recipeDiffers: Bool
    /// Metadata keys whose values differ (or exist in one file only): key, value in A, value in B.
    public var metadata: [(key: String, a: String, b: String)]
    /// "identical", "B continues A (…)", "A continues B (…)", "different", "none".
    public var history: String
    public var historyDiffers: Bool

    public var identical: Bool {
        !layersDiffer && tensors.allSatisfy { $0.changed == 0 && $0.note == nil } && !recipeDiffers
            && metadata.isEmpty && !historyDiffers
    }

    public init(_ a: ModelFile, _ b: ModelFile) throws {
        let describe: ([LayerRecord]) -> String = { "\(RunSummary.widths($0)) (\(RunSummary.activations($0)))" }
        layers = (describe(a.layers), describe(b.layers))
        layersDiffer = a.layers != b.layers
        tensors = try ModelDiff.compareTensors(a.tensors, b.tensors)
        recipeDiffers = a.dataset != b.dataset
        var keys = Set(a.metadata.keys).union(b.metadata.keys).sorted()
        keys.removeAll { a.metadata[$0] == b.metadata[$0] }
        metadata = keys.map { ($0, a.metadata[$0]?.displayText ?? "—", b.metadata[$0]?.displayText ?? "—") }
        (history, historyDiffers) = ModelDiff.relation(a.history, b.history)
    }

    static func compareTensors(_ a: [Tensor], _ b: [Tensor]) throws -> [TensorChange] {
        var out: [TensorChange] = []
        for ta in a {
            guard let tb = b.first(where: { $0.name == ta.name }) else {
                out.append(TensorChange(name: ta.name, maxAbsDelta: nil, changed: ta.elementCount, count: ta.elementCount, note: "only in A"))
                continue
            }
            guard ta.shape == tb.shape else {
                out.append(TensorChange(name: ta.name, maxAbsDelta: nil, changed: ta.elementCount, count: ta.elementCount,
                                        note: "shape \(ta.shape) vs \(tb.shape)"))
                continue
            }
            let va = try ta.values(), vb = try tb.values()
            var maxDelta = 0.0, changed = 0
            for (x, y) in zip(va, vb) where x.bitPattern != y.bitPattern {
                changed += 1
                let d = abs(Double(x) - Double(y))
                maxDelta = d.isNaN ? .infinity : max(maxDelta, d)
            }
            out.append(TensorChange(name: ta.name, maxAbsDelta: maxDelta, changed: changed, count: va.count, note: nil))
        }
        for tb in b where !a.contains(where: { $0.name == tb.name }) {
            out.append(TensorChange(name: tb.name, maxAbsDelta: nil, changed: tb.elementCount, count: tb.elementCount, note: "only in B"))
        }
        return out
    }

    /// Whether one history is the start of the other, series by series and bit for bit.
    static func relation(_ a: TrainingHistory?, _ b: TrainingHistory?) -> (String, Bool) {
        guard let a, let b else { return a == nil && b == nil ? ("none in either", false) : ("in one file only", true) }
        if a == b { return ("identical (\(a.epochCount) epochs)", false) }
        func starts(_ long: TrainingHistory, with short: TrainingHistory) -> Bool {
            guard long.epochCount > short.epochCount, short.series.count > 0 else { return false }
            return short.series.allSatisfy { s in
                guard let l = long[s.name] else { return false }
                return zip(s.values, l).allSatisfy { $0.bitPattern == $1.bitPattern }
            }
        }
        if starts(b, with: a) {
            return ("B continues A: its first \(a.epochCount) epochs are A's, then \(b.epochCount - a.epochCount) more", true)
        }
        if starts(a, with: b) {
            return ("A continues B: its first \(b.epochCount) epochs are B's, then \(a.epochCount - b.epochCount) more", true)
        }
        return ("different (\(a.epochCount) and \(b.epochCount) epochs; neither continues the other)", true)
    }
}
