/// Making a mutated file pass the checks it did not mean to test: the tensor CRCs, the
/// section CRCs, the header, and the content digest in TAIL (§11), computed here from the
/// spec, not by NNMFormat.
extension NNMImage {
    /// Recomputes each tensor's `raw_crc` from its decoded blocks (where they decode), then
    /// writes the true content digest into TAIL when it can be computed. `tensorsChanged`:
    /// whether the mutation touched the tensor table or WGHT (else the tensor CRCs are as they
    /// were, and decoding every tensor twice would only cost time).
    mutating func repairChecksums(tensorsChanged: Bool) {
        guard let tensIndex = index(of: "TENS"), let weightsIndex = index(of: "WGHT"),
              var table = TensorTable(sections[tensIndex].payload) else { return }
        let weights = sections[weightsIndex].payload
        let raws = table.entries.map { $0.rawBytes(in: weights) }
        if tensorsChanged {
            for (index, raw) in raws.enumerated() {
                if let raw { table.entries[index].rawCRC = crc32Of(raw) }
            }
            sections[tensIndex].payload = table.serialized()
        }
        guard let tail = index(of: "TAIL"), sections[tail].payload.count == 32,
              let digest = contentDigest(table: table, raws: raws) else { return }
        sections[tail].payload = digest
    }

    /// The content digest of §11, or nil when a tensor does not decode.
    func contentDigest(table: TensorTable, raws: [[UInt8]?]) -> [UInt8]? {
        var stream: [UInt8] = []
        for section in sections {
            switch section.typeName {
            case "WGHT", "TAIL":
                continue
            case "TENS":
                stream += Array("TENS".utf8)
                stream.appendLittleEndian(UInt32(table.entries.count))
                for (entry, raw) in zip(table.entries, raws) {
                    guard let raw else { return nil }
                    stream.appendLittleEndian(UInt16(truncatingIfNeeded: entry.name.count))
                    stream += entry.name + [entry.dtype, entry.rank]
                    for dim in entry.dims { stream.appendLittleEndian(dim) }
                    stream.appendLittleEndian(entry.rawLength)
                    stream += raw
                }
            default:
                stream += section.type
                stream.appendLittleEndian(UInt64(section.payload.count))
                stream += section.payload
            }
        }
        return sha256(stream)
    }

}
