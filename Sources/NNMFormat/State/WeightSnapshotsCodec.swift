/// The `snap` payload (spec/nnm-format.md §10b) both ways. The parser checks the rules in the
/// spec's order, so that every invalid payload has exactly one error; the writer refuses
/// snapshots that break them (every reader would drop them).
enum WeightSnapshotsCodec {
    static func payload(_ snapshots: WeightSnapshots) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(truncatingIfNeeded: snapshots.snapshots.count))
        w.u32(UInt32(truncatingIfNeeded: snapshots.snapshots.first?.values.count ?? 0))
        for snapshot in snapshots.snapshots {
            w.u32(UInt32(truncatingIfNeeded: snapshot.epoch))
            for v in snapshot.values { w.f32(v) }
        }
        return w.bytes
    }

    /// Parses a `snap` payload of a file whose tensors hold `parameterCount` values in all.
    static func parse(_ r: inout ByteReader, parameterCount: Int) throws -> WeightSnapshots {
        let count = UInt64(try r.u32("snapshot count"))
        let perSnapshot = UInt64(try r.u32("values per snapshot"))
        guard count >= 1 else { throw r.malformed("snapshot count is 0 (omit the section instead)", at: r.base) }
        try r.limit(count, UInt64(WeightSnapshots.maxSnapshots), "snap snapshot count", at: r.base)
        guard perSnapshot == UInt64(parameterCount) else {
            throw r.malformed("\(perSnapshot) values per snapshot, the tensors hold \(parameterCount)", at: r.base + 4)
        }
        try r.requireRoom(count: count, elementSize: 4 + 4 * perSnapshot, "snapshots")
        var snapshots: [WeightSnapshots.Snapshot] = []
        for i in 0..<Int(count) {
            let at = r.offset
            let epoch = UInt64(try r.u32("snapshot \(i) epoch"))
            guard epoch >= 1 else { throw r.malformed("snapshot \(i) has epoch 0", at: at) }
            try r.limit(epoch, FormatLimits.maxHistoryEpochs, "snap snapshot \(i) epoch", at: at)
            if let previous = snapshots.last, Int(epoch) <= previous.epoch {
                throw r.malformed("snapshot \(i) has epoch \(epoch), not after \(previous.epoch)", at: at)
            }
            var values: [Float] = []
            values.reserveCapacity(parameterCount)
            for _ in 0..<parameterCount { values.append(try r.f32("snapshot \(i) value")) }
            guard values.allSatisfy(\.isFinite) else {
                throw r.malformed("snapshot \(i) (epoch \(epoch)) holds a NaN or infinity", at: at)
            }
            snapshots.append(.init(epoch: Int(epoch), values: values))
        }
        try r.requireEnd()
        return WeightSnapshots(snapshots)
    }
}

extension ModelFile {
    /// Throws unless `weightSnapshots` (if any) are ones every reader accepts: the writer's
    /// side of §10b, checked by parsing the payload it would write.
    func validateWeightSnapshots() throws {
        guard let weightSnapshots else { return }
        let parameterCount = tensors.reduce(0) { $0 + $1.elementCount }
        guard weightSnapshots.snapshots.allSatisfy({ $0.values.count == parameterCount }) else {
            throw NNMFormatError.inconsistentModel(
                reason: "a weight snapshot does not hold the \(parameterCount) values of the file's tensors")
        }
        let length = WeightSnapshots.payloadLength(count: weightSnapshots.snapshots.count, parameterCount: parameterCount)
        guard UInt64(length) <= FormatLimits.maxTablePayload else {
            throw NNMFormatError.limitExceeded(what: "snap payload length", value: UInt64(length),
                                               limit: FormatLimits.maxTablePayload, offset: 0)
        }
        let payload = WeightSnapshotsCodec.payload(weightSnapshots)
        var reader = ByteReader(payload[...], base: 0, context: "snap")
        do {
            _ = try WeightSnapshotsCodec.parse(&reader, parameterCount: parameterCount)
        } catch let error as NNMFormatError {
            throw NNMFormatError.inconsistentModel(reason: "the weight snapshots would be dropped by a reader: \(error)")
        }
    }

    /// The snapshots as tensors shaped like the file's: snapshot `k`'s values of tensor `t`.
    /// Empty without snapshots.
    public func snapshotTensors() -> [(epoch: Int, tensors: [Tensor])] {
        guard let weightSnapshots else { return [] }
        return weightSnapshots.snapshots.map { snapshot in
            var start = 0
            let tensors = self.tensors.map { tensor in
                let end = min(snapshot.values.count, start + tensor.elementCount)
                defer { start = end }
                return Tensor(name: tensor.name, shape: tensor.shape, values: Array(snapshot.values[start..<end]))
            }
            return (snapshot.epoch, tensors)
        }
    }
}
