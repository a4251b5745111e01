@testable import NNMFormat

/// Vectors of format 1.1 (spec §6, §15): the Rescale layer (kind 9) a regression model ends in.
extension VectorCatalog {
    /// Standardize 2 → Linear 2→3 → ReLU → Linear 3→1 → Rescale 1: a regression network whose
    /// last layer maps standardized predictions to the target's units (`y = x · 2.5 − 1.25`).
    static var regression: ModelFile {
        var m = Fixtures.model([
            LayerRecord(kind: .standardize, inputs: 2, outputs: 2),
            LayerRecord(kind: .linear, inputs: 2, outputs: 3),
            LayerRecord(kind: .relu, inputs: 3, outputs: 3),
            LayerRecord(kind: .linear, inputs: 3, outputs: 1),
            LayerRecord(kind: .rescale, inputs: 1, outputs: 1),
        ], seed: 9)
        m.tensors[m.tensors.count - 2] = Tensor(name: "layers.4.scale", shape: [1], values: [2.5])
        m.tensors[m.tensors.count - 1] = Tensor(name: "layers.4.shift", shape: [1], values: [-1.25])
        return m
    }

    static func rescaleVectors() throws -> [Vector] {
        var v: [Vector] = []
        func valid(_ file: String, _ note: String, _ bytes: [UInt8]) { v.append(Vector(file: file, expect: "valid", note: note, bytes: bytes)) }
        func bad(_ file: String, _ code: String, _ note: String, _ bytes: [UInt8]) {
            v.append(Vector(file: file, expect: "read-error " + code, note: note, bytes: bytes))
        }
        let bytes = try regression.encoded()
        valid("rescale.nnm", "format 1.1: a regression network ending in Rescale (kind 9, tensors scale and shift, y = x*2.5 - 1.25); header minor 1", bytes)
        // LAYR payload: count (4), then 12 bytes per layer (none has parameters); layer 4 at 4 + 48.
        let rescaleEntry = 4 + 4 * 12
        // RawFile does not parse the header: each edited copy says 1.1 again, as the original.
        func copy() -> RawFile { var r = RawFile(bytes); r.minor = 1; return r }
        var raw = RawFile(bytes)
        raw.minor = 0
        valid("rescale-minor-0.nnm", "a Rescale layer under a 1.0 header: readers decide by the layer kind, never by minor (§15); not canonical", raw.assemble())
        raw = copy()
        putLE(1, &raw.sections[0].payload, rescaleEntry + 2, 2)
        raw.sections[0].payload.insert(contentsOf: [0, 0, 0x80, 0x3F], at: rescaleEntry + 12)
        bad("rescale-param-count.nnm", "malformed", "Rescale with param_count 1 (it has none)", raw.assemble())
        raw = copy()
        putLE(2, &raw.sections[0].payload, rescaleEntry + 8, 4)
        bad("rescale-width-change.nnm", "inconsistentModel", "Rescale 1 -> 2 (it keeps the width)", raw.assemble())
        // The two names have the same length: exchange them in the TENS payload.
        raw = copy()
        let scale = Array("layers.4.scale".utf8), shift = Array("layers.4.shift".utf8)
        var table = raw.sections[1].payload
        if let s = firstIndex(of: scale, in: table), let t = firstIndex(of: shift, in: table) {
            table.replaceSubrange(s..<(s + scale.count), with: shift)
            table.replaceSubrange(t..<(t + shift.count), with: scale)
        }
        raw.sections[1].payload = table
        bad("rescale-shift-before-scale.nnm", "inconsistentModel", "layers.4.shift listed before layers.4.scale (canonical order: scale, shift)", raw.assemble())
        return v
    }

    /// Where `needle` first starts in `haystack`.
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
