@testable import NNMFormat

/// Vectors of the `trst` training-state section (spec §10a, format 1.1): valid files with an
/// Adam, a momentum, an SGD and a part-done-epoch state, and one invalid file per rule of the
/// check order. Invalid ones are built from a valid file by editing the payload and
/// recomputing the digest, so each breaks exactly one rule (a dropped ancillary section:
/// reading warns, full verification fails with the rule's error).
extension VectorCatalog {
    /// The minimal model with its tensors' Adam moments.
    static func withState(_ optimizer: TrainingState.Optimizer, batchesDone: UInt32 = 0, weights: Bool = false) -> ModelFile {
        var model = minimal
        var buffers: [TrainingState.Buffer] = []
        for (index, tensor) in model.tensors.enumerated() {
            let n = tensor.elementCount
            let scale = Float(index + 1)
            if weights { buffers.append(.init(tensor: tensor.name, slot: .weights, values: (0..<n).map { 0.75 - Float($0) * scale })) }
            if optimizer != .sgd { buffers.append(.init(tensor: tensor.name, slot: .firstMoment, values: (0..<n).map { Float($0) * 0.125 - 0.0625 * scale })) }
            if optimizer == .adam { buffers.append(.init(tensor: tensor.name, slot: .secondMoment, values: (0..<n).map { Float($0 + 1) * 0.001 * scale })) }
        }
        let partial = batchesDone > 0
        model.trainingState = TrainingState(
            optimizer: optimizer, stepCount: 45 + UInt64(batchesDone), planEpochs: 20, planEpochsDone: 15,
            batchesPerEpoch: 3, batchesDone: batchesDone,
            shuffleState: [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0x0F0F_0F0F_F0F0_F0F0, 42],
            partialLossSum: partial ? 9.5 : 0, partialCorrect: partial ? 60 : 0, partialSamples: partial ? 64 : 0,
            buffers: buffers)
        return model
    }

    /// The `trst` payload of `withState(.adam)` changed by `edit`, digest recomputed.
    static func editedState(_ base: ModelFile, _ edit: (inout [UInt8]) -> Void) throws -> [UInt8] {
        var raw = RawFile(try base.encoded())
        guard let s = raw.index("trst") else { return [] }
        edit(&raw.sections[s].payload)
        try raw.recomputeDigest(tensors: base.tensors)
        return raw.assemble()
    }

    static func trainingStateVectors() throws -> [Vector] {
        var v: [Vector] = []
        func valid(_ file: String, _ note: String, _ bytes: [UInt8]) { v.append(Vector(file: file, expect: "valid", note: note, bytes: bytes)) }
        func bad(_ file: String, _ code: String, _ note: String, _ bytes: [UInt8]) {
            v.append(Vector(file: file, expect: "verify-error " + code, note: note, bytes: bytes))
        }
        let adam = withState(.adam)
        valid("state-adam.nnm", "1.1: trst with Adam's two moments per tensor, at an epoch boundary (epoch 15 of a 20-epoch plan)", try adam.encoded())
        valid("state-momentum.nnm", "1.1: trst with momentum velocities", try withState(.momentum).encoded())
        valid("state-sgd-no-buffers.nnm", "1.1: trst of SGD: no buffers (buffer_count 0)", try withState(.sgd).encoded())
        valid("state-adam-mid-epoch-weights.nnm", "1.1: trst stopped after batch 2 of 3 of epoch 16, with the weights training continues from (slot 0)",
              try withState(.adam, batchesDone: 2, weights: true).encoded())
        // Offsets inside the payload (§10a): optimizer 0, step_count 1, plan_epochs 9, plan_epochs_done 13,
        // batches_per_epoch 17, batches_done 21, shuffle 25…56, partial 57…80, buffer_count 81, buffers 85.
        let nameLength = "layers.0.weight".utf8.count
        let firstSlot = 85 + 2 + nameLength, firstCount = firstSlot + 1, firstValue = firstCount + 4
        bad("state-truncated-head.nnm", "truncated", "trst payload of 40 bytes: the fixed fields need 85",
            try editedState(adam) { $0.removeSubrange(40...) })
        bad("state-truncated-values.nnm", "truncated", "trst payload cut inside the last buffer's values",
            try editedState(adam) { $0.removeLast(2) })
        bad("state-unknown-optimizer.nnm", "malformed", "trst optimizer id 9", try editedState(adam) { $0[0] = 9 })
        bad("state-plan-zero.nnm", "malformed", "trst plan_epochs 0", try editedState(adam) { putLE(0, &$0, 9, 4) })
        bad("state-plan-too-long.nnm", "limitExceeded", "trst plan_epochs 2^22 + 1", try editedState(adam) { putLE((1 << 22) + 1, &$0, 9, 4) })
        bad("state-done-beyond-plan.nnm", "malformed", "trst plan_epochs_done 21 of a plan of 20", try editedState(adam) { putLE(21, &$0, 13, 4) })
        bad("state-batches-done-too-many.nnm", "malformed", "trst batches_done 3 of an epoch of 3 batches", try editedState(adam) { putLE(3, &$0, 21, 4) })
        bad("state-steps-below-position.nnm", "malformed", "trst step_count 44 below the schedule's position 45", try editedState(adam) { putLE(44, &$0, 1, 8) })
        bad("state-shuffle-zero.nnm", "malformed", "trst shuffle state all zero", try editedState(adam) { for k in 25..<57 { $0[k] = 0 } })
        bad("state-partial-at-boundary.nnm", "malformed", "trst partial_samples 5 with batches_done 0", try editedState(adam) { putLE(5, &$0, 73, 8) })
        bad("state-too-many-buffers.nnm", "limitExceeded", "trst buffer_count 6145", try editedState(adam) { putLE(6145, &$0, 81, 4) })
        bad("state-unknown-tensor.nnm", "malformed", "trst buffer names 'layers.0.weighT', not a tensor of the file",
            try editedState(adam) { $0[85 + 2 + nameLength - 1] = UInt8(ascii: "T") })
        bad("state-slot-not-kept.nnm", "malformed", "momentum state with a slot 2 buffer (Adam's second moment)",
            try editedState(adam) { $0[0] = TrainingState.Optimizer.momentum.rawValue })
        bad("state-buffers-out-of-order.nnm", "malformed", "trst first buffer in slot 2, the next in slot 2 again",
            try editedState(adam) { $0[firstSlot] = 2 })
        bad("state-wrong-size.nnm", "malformed", "trst buffer of 3 elements for the 2-element tensor layers.0.weight",
            try editedState(adam) { putLE(3, &$0, firstCount, 4) })
        bad("state-nan-moment.nnm", "malformed", "trst buffer value NaN", try editedState(adam) { putLE(0x7FC0_0000, &$0, firstValue, 4) })
        bad("state-trailing-bytes.nnm", "malformed", "trst payload with 4 bytes after the last buffer", try editedState(adam) { $0 += [0, 0, 0, 0] })
        var full = Fixtures.full
        full.trainingState = withState(.sgd).trainingState
        var raw = RawFile(try full.encoded())
        if let s = raw.index("trst"), let m = raw.index("meta") {
            raw.sections.insert(raw.sections.remove(at: s), at: m)
        }
        v.append(Vector(file: "state-before-meta.nnm", expect: "read-error sectionOrder",
                        note: "trst (stage 5) before meta (stage 2): out of the canonical order (a 1.0 reader accepts it as unknown ancillary)",
                        bytes: raw.assemble()))
        return v
    }
}
