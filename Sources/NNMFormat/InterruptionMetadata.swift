/// A run stopped by Ctrl-C, as its file records it (spec/training.md §8): two `int` entries,
/// `train.interrupted_epoch` (the epoch, 1-based over the whole history, in which training
/// stopped) and `train.interrupted_batch` (how many of that epoch's batches were trained).
///
/// In NNMFormat, beside the class names, because `nnm-inspect` reads it and depends on
/// NNMFormat alone; NNM's `MetadataKey` names the same keys.
extension ModelFile {
    public static let interruptedEpochKey = "train.interrupted_epoch"
    public static let interruptedBatchKey = "train.interrupted_batch"

    /// Where an interrupted run stopped.
    public struct Interruption: Sendable, Equatable {
        /// 1-based, counted over the whole history (the history's last epoch).
        public var epoch: Int
        /// Batches of that epoch trained before the stop (≥ 1).
        public var batch: Int

        public init(epoch: Int, batch: Int) {
            self.epoch = epoch
            self.batch = batch
        }

        /// The two metadata entries.
        public var metadata: [String: MetadataValue] {
            [interruptedEpochKey: .int(Int64(epoch)), interruptedBatchKey: .int(Int64(batch))]
        }
    }

    /// The interruption `metadata` records; nil for a run that was not interrupted, or when the
    /// entries are missing, not `int`s, or out of range (a file is untrusted).
    public static func interruption(from metadata: [String: MetadataValue]) -> Interruption? {
        guard case .int(let epoch)? = metadata[interruptedEpochKey],
              case .int(let batch)? = metadata[interruptedBatchKey],
              (1...Int64(Int32.max)).contains(epoch), (1...Int64(Int32.max)).contains(batch) else { return nil }
        return Interruption(epoch: Int(epoch), batch: Int(batch))
    }
}
