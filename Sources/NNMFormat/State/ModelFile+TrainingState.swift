extension ModelFile {
    /// The `minor` the writer puts in the header: the lowest that names everything written.
    /// Version 1.1 added three things (spec §15): the `rescale` layer kind, the `trst` and the
    /// `snap` sections; a file with any of them is written as 1.1, every other file keeps 1.0 (and the
    /// bytes it had before 1.1), so an older tool is told in the header only when it must be.
    var writtenMinorVersion: UInt16 {
        let usesRescale = layers.contains { $0.kind == .rescale }
        return usesRescale || trainingState != nil || weightSnapshots != nil ? FormatVersion.current.minor : FormatVersion.v1_0.minor
    }

    /// The version the header declares: `writtenMinorVersion` under the one major.
    var writtenVersion: FormatVersion {
        FormatVersion(major: FormatVersion.current.major, minor: writtenMinorVersion)
    }

    /// Throws unless `trainingState` (if any) is one every reader accepts: the writer's side of
    /// §10a, checked by parsing the payload it would write.
    func validateTrainingState() throws {
        guard let trainingState else { return }
        let payload = TrainingStateCodec.payload(trainingState)
        guard UInt64(payload.count) <= FormatLimits.maxTablePayload else {
            throw NNMFormatError.limitExceeded(what: "trst payload length", value: UInt64(payload.count),
                                               limit: FormatLimits.maxTablePayload, offset: 0)
        }
        var reader = ByteReader(payload[...], base: 0, context: "trst")
        do {
            _ = try TrainingStateCodec.parse(&reader, tensors: tensors.map { (name: $0.name, elements: $0.elementCount) })
        } catch let error as NNMFormatError {
            throw NNMFormatError.inconsistentModel(reason: "the training state would be dropped by a reader: \(error)")
        }
    }

    /// The bytes the `trst` payload of `state` takes (for deciding whether it fits, §12).
    public static func trainingStatePayloadLength(_ state: TrainingState) -> Int {
        TrainingState.headLength + 4 + state.buffers.reduce(0) { $0 + 2 + $1.tensor.utf8.count + 5 + 4 * $1.values.count }
    }
}
