/// The model's weights at chosen epochs of its training run (the `snap` ancillary section,
/// format 1.1, spec/nnm-format.md §10b): what `nnm-render evolution` draws, so that a reader
/// sees how the decision boundary and the weight distributions moved while the network learnt.
///
/// Each snapshot is the complete parameter set — every tensor of the file's tensor table, in
/// table order, each in its element order — as it stood at the end of that epoch. A model is
/// complete without it; inference never reads it.
public struct WeightSnapshots: Sendable, Hashable {
    /// The parameters at the end of one epoch.
    public struct Snapshot: Sendable, Hashable {
        /// The 1-based epoch of the file's history at whose end the weights were taken.
        public var epoch: Int
        /// Every tensor's values, concatenated in tensor-table order.
        public var values: [Float]
        public init(epoch: Int, values: [Float]) {
            self.epoch = epoch
            self.values = values
        }
    }

    /// By strictly increasing epoch.
    public var snapshots: [Snapshot]

    public init(_ snapshots: [Snapshot]) { self.snapshots = snapshots }

    /// The epochs recorded, in order.
    public var epochs: [Int] { snapshots.map(\.epoch) }

    /// Most snapshots in one file: enough for a grid of small multiples, few enough that the
    /// section of a 60 000-parameter network still fits its 16 MiB (spec §10b).
    public static let maxSnapshots = 64

    /// The `snap` payload's length for `count` snapshots of `parameterCount` values each.
    public static func payloadLength(count: Int, parameterCount: Int) -> Int {
        8 + count * (4 + 4 * parameterCount)
    }

    /// The most snapshots of a model with `parameterCount` parameters that fit one section
    /// (at most ``maxSnapshots``).
    public static func mostThatFit(parameterCount: Int) -> Int {
        let each = 4 + 4 * parameterCount
        return min(maxSnapshots, max(0, (Int(FormatLimits.maxTablePayload) - 8) / each))
    }
}
