/// Where a resumed run began a new *segment* of a model's history — other data or other
/// hyperparameters, or an optimizer started afresh — as its file records it
/// (spec/training.md §8): `train.segment.K.epoch` (int, the segment's first epoch, 1-based over
/// the whole history) and `train.segment.K.change` (string, what changed), K = 1, 2, … in the
/// order the runs happened. The first run is segment 0 and is not recorded; an exact
/// continuation (nothing changed, the optimizer state taken up) records nothing, so its file is
/// the one an uninterrupted run writes.
///
/// In NNMFormat, beside the interruption keys, because `nnm-inspect` reads them.
extension ModelFile {
    public static let segmentKeyPrefix = "train.segment."

    public struct Segment: Sendable, Equatable {
        /// 1-based, over the whole history.
        public var firstEpoch: Int
        /// What changed at this epoch, in words (`dataset circles → moons; lr 0.01 → 0.001`).
        public var change: String

        public init(firstEpoch: Int, change: String) {
            self.firstEpoch = firstEpoch
            self.change = change
        }
    }

    /// The two entries of segment `index` (1-based).
    public static func segmentMetadata(_ segment: Segment, index: Int) -> [String: MetadataValue] {
        ["\(segmentKeyPrefix)\(index).epoch": .int(Int64(segment.firstEpoch)),
         "\(segmentKeyPrefix)\(index).change": .string(segment.change)]
    }

    /// The segments `metadata` records, by index; an entry whose index is not plain decimal
    /// (1 … 9999), whose epoch is missing, not an `int` or below 1, is ignored (a file is
    /// untrusted). A missing change reads as "".
    public static func segments(from metadata: [String: MetadataValue]) -> [Segment] {
        var found: [Int: Segment] = [:]
        for (key, value) in metadata where key.hasPrefix(segmentKeyPrefix) && key.hasSuffix(".epoch") {
            let middle = key.dropFirst(segmentKeyPrefix.count).dropLast(".epoch".count)
            guard (1...4).contains(middle.count), middle.allSatisfy(\.isASCII), middle.allSatisfy(\.isNumber),
                  middle.first != "0", let index = Int(middle),
                  case .int(let epoch) = value, (1...Int64(Int32.max)).contains(epoch) else { continue }
            var change = ""
            if case .string(let text)? = metadata["\(segmentKeyPrefix)\(index).change"] { change = text }
            found[index] = Segment(firstEpoch: Int(epoch), change: change)
        }
        return found.keys.sorted().compactMap { found[$0] }
    }
}
