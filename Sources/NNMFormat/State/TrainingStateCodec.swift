/// The `trst` payload (spec/nnm-format.md §10a) both ways. The parser checks the rules in the
/// spec's order, so that every invalid payload has exactly one error; the writer refuses a
/// state that breaks them (it would be dropped by every reader).
enum TrainingStateCodec {
    static func payload(_ state: TrainingState) -> [UInt8] {
        var w = ByteWriter()
        w.u8(state.optimizer.rawValue)
        w.u64(state.stepCount)
        w.u32(state.planEpochs)
        w.u32(state.planEpochsDone)
        w.u32(state.batchesPerEpoch)
        w.u32(state.batchesDone)
        for word in state.shuffleState { w.u64(word) }
        w.f64(state.partialLossSum)
        w.u64(state.partialCorrect)
        w.u64(state.partialSamples)
        w.u32(UInt32(truncatingIfNeeded: state.buffers.count))
        for buffer in state.buffers {
            w.shortString(buffer.tensor)
            w.u8(buffer.slot.rawValue)
            w.u32(UInt32(truncatingIfNeeded: buffer.values.count))
            for v in buffer.values { w.f32(v) }
        }
        return w.bytes
    }

    /// Parses a `trst` payload; `tensors` are the file's tensor names and element counts.
    static func parse(_ r: inout ByteReader, tensors: [(name: String, elements: Int)]) throws -> TrainingState {
        var state = try head(&r)
        try checkHead(state, r: r)
        let countAt = r.offset
        let count = UInt64(try r.u32("buffer count"))
        try r.limit(count, TrainingState.maxBuffers, "trst buffer count", at: countAt)
        try r.requireRoom(count: count, elementSize: 12, "buffers")
        var previous: (index: Int, slot: TrainingState.Slot)?
        for i in 0..<Int(count) {
            let buffer = try self.buffer(&r, index: i, optimizer: state.optimizer, tensors: tensors, previous: &previous)
            state.buffers.append(buffer)
        }
        try r.requireEnd()
        return state
    }

    /// The fixed fields, all read before any is checked (a short payload is `truncated`).
    private static func head(_ r: inout ByteReader) throws -> TrainingState {
        let optimizerID = try r.u8("optimizer")
        let steps = try r.u64("step count")
        let planEpochs = try r.u32("plan epochs")
        let planDone = try r.u32("plan epochs done")
        let batches = try r.u32("batches per epoch")
        let batchesDone = try r.u32("batches done")
        var shuffle: [UInt64] = []
        for k in 0..<4 { shuffle.append(try r.u64("shuffle state word \(k)")) }
        let lossSum = try r.f64("partial loss sum")
        let correct = try r.u64("partial correct")
        let samples = try r.u64("partial samples")
        guard let optimizer = TrainingState.Optimizer(rawValue: optimizerID) else {
            throw r.malformed("unknown optimizer id \(optimizerID)", at: r.base)
        }
        return TrainingState(
            optimizer: optimizer, stepCount: steps, planEpochs: planEpochs, planEpochsDone: planDone,
            batchesPerEpoch: batches, batchesDone: batchesDone, shuffleState: shuffle,
            partialLossSum: lossSum, partialCorrect: correct, partialSamples: samples, buffers: [])
    }

    /// The head's rules, in the spec's order (the optimizer id was checked on reading).
    static func checkHead(_ s: TrainingState, r: ByteReader) throws {
        let at = r.base
        guard s.planEpochs >= 1 else { throw r.malformed("plan epochs is 0", at: at + 9) }
        try r.limit(UInt64(s.planEpochs), FormatLimits.maxHistoryEpochs, "trst plan epochs", at: at + 9)
        guard s.batchesPerEpoch >= 1 else { throw r.malformed("batches per epoch is 0", at: at + 17) }
        let midEpoch = s.batchesDone > 0
        guard s.planEpochsDone <= s.planEpochs, !midEpoch || s.planEpochsDone < s.planEpochs else {
            throw r.malformed("\(s.planEpochsDone) epochs done (mid-epoch: \(midEpoch)) of a plan of \(s.planEpochs)", at: at + 13)
        }
        guard s.batchesDone < s.batchesPerEpoch else {
            throw r.malformed("\(s.batchesDone) batches done of an epoch of \(s.batchesPerEpoch)", at: at + 21)
        }
        guard s.stepCount >= s.scheduleStep else {
            throw r.malformed("step count \(s.stepCount) is below the schedule's step \(s.scheduleStep)", at: at + 1)
        }
        guard s.shuffleState.contains(where: { $0 != 0 }) else {
            throw r.malformed("the shuffle generator's state is all zero", at: at + 25)
        }
        let partialOK = midEpoch
            ? s.partialLossSum.isFinite && s.partialCorrect <= s.partialSamples
            : s.partialLossSum.bitPattern == 0 && s.partialCorrect == 0 && s.partialSamples == 0
        guard partialOK else {
            throw r.malformed("the partial epoch sums do not fit \(s.batchesDone) batches done", at: at + 57)
        }
    }

    private static func buffer(
        _ r: inout ByteReader, index i: Int, optimizer: TrainingState.Optimizer,
        tensors: [(name: String, elements: Int)], previous: inout (index: Int, slot: TrainingState.Slot)?
    ) throws -> TrainingState.Buffer {
        let at = r.offset
        let name = try r.string(short: true, maxBytes: FormatLimits.maxNameBytes, "buffer \(i) tensor name")
        let slotID = try r.u8("buffer \(i) slot")
        let count = try r.u32("buffer \(i) element count")
        let shown = escapeForDisplay(name)
        // Byte-wise, as names are compared throughout the format (§1), not canonically.
        guard let index = tensors.firstIndex(where: { $0.name.utf8.elementsEqual(name.utf8) }) else {
            throw r.malformed("buffer \(i) names '\(shown)', which is not a tensor of the file", at: at)
        }
        guard let slot = TrainingState.Slot(rawValue: slotID), optimizer.slots.contains(slot) else {
            throw r.malformed("buffer \(i) has slot \(slotID), which \(optimizer) does not keep", at: at + 2 + name.utf8.count)
        }
        if let previous, (previous.index, previous.slot.rawValue) >= (index, slot.rawValue) {
            throw r.malformed("buffer \(i) ('\(shown)', slot \(slotID)) is not after the one before it", at: at)
        }
        previous = (index, slot)
        guard Int(count) == tensors[index].elements else {
            throw r.malformed("buffer \(i) has \(count) elements, tensor '\(shown)' has \(tensors[index].elements)", at: at + 3 + name.utf8.count)
        }
        try r.requireRoom(count: UInt64(count), elementSize: 4, "buffer \(i) values")
        var values: [Float] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<Int(count) { values.append(try r.f32("buffer \(i) value")) }
        guard values.allSatisfy(\.isFinite) else {
            throw r.malformed("buffer \(i) ('\(shown)') holds a NaN or infinity", at: at)
        }
        return TrainingState.Buffer(tensor: name, slot: slot, values: values)
    }
}
