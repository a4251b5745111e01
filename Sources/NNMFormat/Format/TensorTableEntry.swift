/// One entry of the tensor table (spec §7), as the writer lays it out and the reader returns
/// it after checking it against the limits and block rules. One type for both sides, so a
/// field added to the table is added once.
struct TensorTableEntry {
    var name: String
    var shape: [Int]
    var codec: BlobCodec
    var filter: BlobFilter
    /// Where the blob starts, from the start of the weights region.
    var offset: UInt64
    var rawLength: UInt64
    var rawCRC: UInt32
    var blockStoredLengths: [UInt32]
    /// The stored length the table records: always the sum of the block lengths (the reader
    /// refuses a file where they differ).
    var storedLength: UInt64 { blockStoredLengths.reduce(0) { $0 + UInt64($1) } }
}
