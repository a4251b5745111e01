extension ModelFile {
    /// The minor version 1.1 introduced the `trst` section (spec §15): a file that has one is
    /// written as 1.1, every other file keeps 1.0 (and its bytes).
    public static let trainingStateMinorVersion: UInt16 = 1
    /// The newest minor version this reader understands in full (no "newer file" warning).
    public static let newestKnownMinorVersion = max(FormatVersion.current.minor, trainingStateMinorVersion)

    /// The `minor` the writer puts in the header: the lowest that names everything written.
    var writtenMinorVersion: UInt16 {
        trainingState == nil ? FormatVersion.current.minor : max(FormatVersion.current.minor, Self.trainingStateMinorVersion)
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
