/// The limits every v1 reader enforces, checked before anything is allocated.
///
/// A conforming reader must accept every file within these limits (so files stay portable) and
/// refuse every file beyond them with `NNMFormatError.limitExceeded`.
public enum FormatLimits {
    public static let maxFileLength: UInt64 = 1 << 31
    public static let maxSections: UInt64 = 64
    /// Payload of any section other than `WGHT`.
    public static let maxTablePayload: UInt64 = 1 << 24
    public static let maxLayers: UInt64 = 1024
    public static let maxLayerParameters: UInt64 = 16
    public static let maxWidth: UInt64 = 1 << 24
    public static let maxTensors: UInt64 = 2048
    public static let maxRank: UInt64 = 4
    public static let maxTensorElements: UInt64 = 1 << 28
    public static let maxTotalRawBytes: UInt64 = 1 << 30
    public static let maxNameBytes: UInt64 = 255
    public static let maxMetadataEntries: UInt64 = 4096
    public static let maxStringBytes: UInt64 = 1 << 20
    public static let maxArrayElements: UInt64 = 1 << 20
    public static let maxHistorySeries: UInt64 = 64
    public static let maxHistoryEpochs: UInt64 = 1 << 22
}
