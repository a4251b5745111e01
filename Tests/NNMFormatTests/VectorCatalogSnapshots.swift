@testable import NNMFormat

/// Vectors of the `snap` weight-snapshot section (spec §10b, format 1.1): two valid files (three
/// snapshots of the minimal model; one snapshot beside a training state) and one invalid file
/// per rule of the check order, each made from the valid one by editing the payload and
/// recomputing the digest, so it breaks exactly one rule (reading warns and drops the section,
/// full verification fails with the rule's error).
extension VectorCatalog {
    /// The minimal model (3 parameters) with snapshots at epochs 1, 4 and 20.
    static func withSnapshots(epochs: [Int] = [1, 4, 20]) -> ModelFile {
        var model = minimal
        model.weightSnapshots = WeightSnapshots(epochs.enumerated().map { k, epoch in
            let step = Float(k + 1) * 0.125
            return .init(epoch: epoch, values: [0.5 - step, -0.25 + step, 0.125 * Float(k)])
        })
        return model
    }

    /// The `snap` payload of `base` changed by `edit`, digest recomputed.
    static func editedSnapshots(_ base: ModelFile, _ edit: (inout [UInt8]) -> Void) throws -> [UInt8] {
        var raw = RawFile(try base.encoded())
        guard let s = raw.index("snap") else { return [] }
        edit(&raw.sections[s].payload)
        try raw.recomputeDigest(tensors: base.tensors)
        return raw.assemble()
    }

    static func snapshotVectors() throws -> [Vector] {
        var v: [Vector] = []
        func bad(_ file: String, _ code: String, _ note: String, _ bytes: [UInt8]) {
            v.append(Vector(file: file, expect: "verify-error " + code, note: note, bytes: bytes))
        }
        let three = withSnapshots()
        v.append(Vector(file: "snap-three.nnm", expect: "valid",
                        note: "1.1: snap with the 3 parameters of the minimal model at epochs 1, 4 and 20", bytes: try three.encoded()))
        var withState = VectorCatalog.withState(.sgd)
        withState.weightSnapshots = withSnapshots(epochs: [20]).weightSnapshots
        v.append(Vector(file: "snap-after-state.nnm", expect: "valid",
                        note: "1.1: trst (stage 5) then snap (stage 6) with one snapshot at epoch 20", bytes: try withState.encoded()))
        // Offsets inside the payload (§10b): snapshot_count 0, values_per_snapshot 4, then per
        // snapshot 16 bytes: epoch, 3 values (the first snapshot's epoch at 8, values at 12).
        bad("snap-truncated-counts.nnm", "truncated", "snap payload of 6 bytes: both counts need 8",
            try editedSnapshots(three) { $0.removeSubrange(6...) })
        bad("snap-count-zero.nnm", "malformed", "snap snapshot_count 0 (no snapshots are written as no section)",
            try editedSnapshots(three) { $0 = [0, 0, 0, 0, 3, 0, 0, 0] })
        bad("snap-count-65.nnm", "limitExceeded", "snap snapshot_count 65 (at most 64)",
            try editedSnapshots(three) { putLE(65, &$0, 0, 4) })
        bad("snap-values-per-snapshot.nnm", "malformed", "snap values_per_snapshot 2, the tensors hold 3",
            try editedSnapshots(three) { putLE(2, &$0, 4, 4) })
        bad("snap-truncated-values.nnm", "truncated", "snap payload cut inside the last snapshot's values",
            try editedSnapshots(three) { $0.removeLast(2) })
        bad("snap-epoch-zero.nnm", "malformed", "snap first snapshot at epoch 0", try editedSnapshots(three) { putLE(0, &$0, 8, 4) })
        bad("snap-epoch-too-late.nnm", "limitExceeded", "snap last snapshot at epoch 2^22 + 1",
            try editedSnapshots(three) { putLE((1 << 22) + 1, &$0, 8 + 2 * 16, 4) })
        bad("snap-epochs-not-increasing.nnm", "malformed", "snap second snapshot at epoch 1, as the first",
            try editedSnapshots(three) { putLE(1, &$0, 8 + 16, 4) })
        bad("snap-nan-value.nnm", "malformed", "snap value NaN", try editedSnapshots(three) { putLE(0x7FC0_0000, &$0, 12, 4) })
        bad("snap-trailing-bytes.nnm", "malformed", "snap payload with 4 bytes after the last snapshot",
            try editedSnapshots(three) { $0 += [0, 0, 0, 0] })
        var raw = RawFile(try withState.encoded())
        if let s = raw.index("snap"), let t = raw.index("trst") {
            raw.sections.insert(raw.sections.remove(at: s), at: t)
        }
        v.append(Vector(file: "snap-before-state.nnm", expect: "read-error sectionOrder",
                        note: "snap (stage 6) before trst (stage 5): out of the canonical order (a reader that knows neither accepts it)",
                        bytes: raw.assemble()))
        return v
    }
}
