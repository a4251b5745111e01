extension ModelFile {
    /// The canonical `.nnm` bytes of this model (spec §3–§11). Validates first; tensors still
    /// encoded from a file are decoded (and checked) on the way.
    public func encoded(options: WriteOptions = .canonical) throws -> [UInt8] {
        try validate()
        let values = try tensors.map { try $0.values() }
        let encodedTensors = try values.map { try TensorEncoding.encode($0, options: options) }
        let entries = Encoder.tableEntries(tensors, encodedTensors)
        let sections = try tableSections(entries)
        let digest = try Encoder.contentDigest(sections, tensors: tensors, values: values)
        return try Encoder.assemble(sections, blobs: encodedTensors, digest: digest, version: writtenVersion)
    }

    /// The table sections, in canonical order: LAYR, TENS, then meta, hist and rcpe when there
    /// is something to say (an empty one is written as no section).
    func tableSections(_ entries: [TensorTableEntry]) throws -> [(type: SectionType, payload: [UInt8])] {
        var sections: [(type: SectionType, payload: [UInt8])] = [
            (.layers, SectionPayloads.layers(layers)),
            (.tensors, SectionPayloads.tensors(entries)),
        ]
        if !metadata.isEmpty { sections.append((.metadata, SectionPayloads.metadata(metadata))) }
        if let history, !history.series.isEmpty { sections.append((.history, SectionPayloads.history(history))) }
        if let dataset { sections.append((.recipe, SectionPayloads.recipe(dataset))) }
        if let trainingState { sections.append((.trainingState, TrainingStateCodec.payload(trainingState))) }
        if let weightSnapshots { sections.append((.weightSnapshots, WeightSnapshotsCodec.payload(weightSnapshots))) }
        for (type, payload) in sections where UInt64(payload.count) > FormatLimits.maxTablePayload {
            throw NNMFormatError.limitExceeded(what: "\(type) payload length", value: UInt64(payload.count),
                                               limit: FormatLimits.maxTablePayload, offset: 0)
        }
        return sections
    }

    /// The SHA-256 content digest this model has when written (spec §11): identical for every
    /// codec and zlib build, and equal to the digest stored in the file's `TAIL` section.
    public func contentDigest() throws -> [UInt8] {
        let bytes = try encoded(options: WriteOptions(codec: .none, shuffle: false))
        return Array(bytes[(bytes.count - 4 - NNMConstants.digestLength)..<(bytes.count - 4)])
    }
}

/// The writer's steps that do not need the model itself.
enum Encoder {
    /// Tensor table entries: blocks tile the WGHT payload in table order.
    static func tableEntries(_ tensors: [Tensor], _ encoded: [EncodedTensor]) -> [TensorTableEntry] {
        var entries: [TensorTableEntry] = []
        var offset: UInt64 = 0
        for (tensor, enc) in zip(tensors, encoded) {
            let entry = TensorTableEntry(
                name: tensor.name, shape: tensor.shape, codec: enc.codec, filter: enc.filter, offset: offset,
                rawLength: UInt64(enc.rawLength), rawCRC: enc.rawCRC,
                blockStoredLengths: enc.blocks.map { UInt32($0.count) })
            offset += entry.storedLength
            entries.append(entry)
        }
        return entries
    }

    /// The content digest over decoded content, in section order (spec §11).
    static func contentDigest(_ sections: [(type: SectionType, payload: [UInt8])], tensors: [Tensor],
                              values: [[Float]]) throws -> [UInt8] {
        var digester = try ContentDigester()
        for (type, payload) in sections {
            if type == .tensors {
                digester.beginTensors(count: tensors.count)
                for (tensor, v) in zip(tensors, values) {
                    TensorEncoding.withRawBytes(v) { digester.addTensor(name: tensor.name, shape: tensor.shape, raw: $0) }
                }
            } else {
                digester.addSection(type: type.code, payload: payload[...])
            }
        }
        return try digester.finish()
    }

    /// Header, table sections, WGHT, TAIL: the file.
    static func assemble(_ sections: [(type: SectionType, payload: [UInt8])], blobs: [EncodedTensor],
                         digest: [UInt8], version: FormatVersion) throws -> [UInt8] {
        let weightsLength = blobs.reduce(0) { $0 + $1.blocks.reduce(0) { $0 + $1.count } }
        var total = NNMConstants.headerLength
        for (_, payload) in sections { total += framed(payload.count) }
        total += framed(weightsLength) + framed(NNMConstants.digestLength)
        guard UInt64(total) <= FormatLimits.maxFileLength else {
            throw NNMFormatError.limitExceeded(what: "file length", value: UInt64(total),
                                               limit: FormatLimits.maxFileLength, offset: 0)
        }
        var out = [UInt8]()
        out.reserveCapacity(total)
        out += header(fileLength: total, sectionCount: sections.count + 2, version: version)
        for (type, payload) in sections { appendSection(type: type.code, payload: payload, to: &out) }
        appendWeights(blobs, length: weightsLength, to: &out)
        appendSection(type: SectionType.tail.code, payload: digest, to: &out)
        return out
    }

    /// The 32-byte header (spec §4).
    static func header(fileLength: Int, sectionCount: Int, version: FormatVersion) -> [UInt8] {
        var header = ByteWriter()
        header.raw(NNMConstants.signature)
        header.u16(version.major)
        header.u16(version.minor)
        header.u32(0)
        header.u64(UInt64(fileLength))
        header.u32(UInt32(sectionCount))
        header.u32(CRC32.of(header.bytes))
        return header.bytes
    }

    /// WGHT, written in place to avoid a second copy of the blobs.
    static func appendWeights(_ blobs: [EncodedTensor], length: Int, to out: inout [UInt8]) {
        let weightsStart = out.count
        var head = ByteWriter()
        head.raw(SectionType.weights.code)
        head.u64(UInt64(length))
        out += head.bytes
        for enc in blobs { for block in enc.blocks { out += block } }
        let weightsCRC = out.withUnsafeBytes { CRC32.update(0, UnsafeRawBufferPointer(rebasing: $0[weightsStart...])) }
        var crc = ByteWriter()
        crc.u32(weightsCRC)
        out += crc.bytes
    }
}

private func framed(_ payload: Int) -> Int {
    NNMConstants.sectionHeadLength + payload + NNMConstants.sectionTailLength
}

/// Appends type, u64 length, payload and the CRC-32 of all three.
func appendSection(type: [UInt8], payload: [UInt8], to out: inout [UInt8]) {
    var w = ByteWriter()
    w.raw(type)
    w.u64(UInt64(payload.count))
    let crc = CRC32.of(payload, continuing: CRC32.of(w.bytes))
    out += w.bytes
    out += payload
    w = ByteWriter()
    w.u32(crc)
    out += w.bytes
}
