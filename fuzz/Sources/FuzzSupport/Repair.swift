/// Making a mutated file pass the checks it did not mean to test: the tensor CRCs, the
/// section CRCs, the header, and the content digest in TAIL (§11), computed here from the
/// spec, not by NNMFormat.
extension NNMImage {
    /// Recomputes each tensor's `raw_crc` from its decoded blocks (where they decode).
    mutating func repairTensorCRCs() {
        guard let tensIndex = index(of: "TENS"), let weightsIndex = index(of: "WGHT"),
              var table = TensorTable(sections[tensIndex].payload) else { return }
        let weights = sections[weightsIndex].payload
        for index in table.entries.indices {
            if let raw = table.entries[index].rawBytes(in: weights) { table.entries[index].rawCRC = crc32Of(raw) }
        }
        sections[tensIndex].payload = table.serialized()
    }

    /// The content digest of §11, or nil when a tensor does not decode.
    func contentDigest() -> [UInt8]? {
        var stream: [UInt8] = []
        let weights = index(of: "WGHT").map { sections[$0].payload } ?? []
        for section in sections {
            switch section.typeName {
            case "WGHT", "TAIL":
                continue
            case "TENS":
                guard let table = TensorTable(section.payload) else { return nil }
                stream += Array("TENS".utf8)
                stream.appendLittleEndian(UInt32(table.entries.count))
                for entry in table.entries {
                    guard let raw = entry.rawBytes(in: weights) else { return nil }
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

    /// Writes the true content digest into TAIL when it can be computed.
    mutating func repairDigest() {
        guard let tail = index(of: "TAIL"), sections[tail].payload.count == 32, let digest = contentDigest() else { return }
        sections[tail].payload = digest
    }
}
