extension ModelFile {
    /// The canonical `.nnm` bytes of this model (spec §3–§11). Validates first; tensors still
    /// encoded from a file are decoded (and checked) on the way.
    public func encoded(options: WriteOptions = .canonical) throws -> [UInt8] {
        try validate()
        let values = try tensors.map { try $0.values() }
        let encodedTensors = try values.map { try TensorEncoding.encode($0, options: options) }

        // Tensor table entries: blocks tile the WGHT payload in table order.
        var entries: [TensorTableEntry] = []
        var offset: UInt64 = 0
        for (tensor, enc) in zip(tensors, encodedTensors) {
            let entry = TensorTableEntry(
                name: tensor.name, shape: tensor.shape, codec: enc.codec, filter: enc.filter, offset: offset,
                rawLength: UInt64(enc.rawLength), rawCRC: enc.rawCRC,
                blockStoredLengths: enc.blocks.map { UInt32($0.count) })
            offset += entry.storedLength
            entries.append(entry)
        }

        var sections: [([UInt8], [UInt8])] = [
            (SectionType.layers, SectionPayloads.layers(layers)),
            (SectionType.tensors, SectionPayloads.tensors(entries)),
        ]
        if !metadata.isEmpty { sections.append((SectionType.metadata, SectionPayloads.metadata(metadata))) }
        if let history, !history.series.isEmpty { sections.append((SectionType.history, SectionPayloads.history(history))) }
        if let dataset { sections.append((SectionType.recipe, SectionPayloads.recipe(dataset))) }
        for (type, payload) in sections where UInt64(payload.count) > FormatLimits.maxTablePayload {
            throw NNMFormatError.limitExceeded(what: "\(SectionType.name(type)) payload length", value: UInt64(payload.count),
                                               limit: FormatLimits.maxTablePayload, offset: 0)
        }

        // Content digest over decoded content, in section order.
        var digester = try ContentDigester()
        for (type, payload) in sections {
            if type == SectionType.tensors {
                digester.beginTensors(count: tensors.count)
                for (tensor, v) in zip(tensors, values) {
                    TensorEncoding.withRawBytes(v) { digester.addTensor(name: tensor.name, shape: tensor.shape, raw: $0) }
                }
            } else {
                digester.addSection(type: type, payload: payload[...])
            }
        }
        let digest = try digester.finish()

        // Assemble: header, sections, WGHT, TAIL.
        let weightsLength = Int(offset)
        var total = NNMConstants.headerLength
        for (_, payload) in sections { total += framed(payload.count) }
        total += framed(weightsLength) + framed(NNMConstants.digestLength)
        guard UInt64(total) <= FormatLimits.maxFileLength else {
            throw NNMFormatError.limitExceeded(what: "file length", value: UInt64(total),
                                               limit: FormatLimits.maxFileLength, offset: 0)
        }

        var out = [UInt8]()
        out.reserveCapacity(total)
        var header = ByteWriter()
        header.raw(NNMConstants.signature)
        header.u16(FormatVersion.current.major)
        header.u16(FormatVersion.current.minor)
        header.u32(0)
        header.u64(UInt64(total))
        header.u32(UInt32(sections.count + 2))
        header.u32(CRC32.of(header.bytes))
        out += header.bytes
        for (type, payload) in sections { appendSection(type: type, payload: payload, to: &out) }

        // WGHT is written in place to avoid a second copy of the blobs.
        let weightsStart = out.count
        var head = ByteWriter()
        head.raw(SectionType.weights)
        head.u64(UInt64(weightsLength))
        out += head.bytes
        for enc in encodedTensors { for block in enc.blocks { out += block } }
        let weightsCRC = out.withUnsafeBytes { CRC32.update(0, UnsafeRawBufferPointer(rebasing: $0[weightsStart...])) }
        var crc = ByteWriter()
        crc.u32(weightsCRC)
        out += crc.bytes

        appendSection(type: SectionType.tail, payload: digest, to: &out)
        return out
    }

    /// The SHA-256 content digest this model has when written (spec §11): identical for every
    /// codec and zlib build, and equal to the digest stored in the file's `TAIL` section.
    public func contentDigest() throws -> [UInt8] {
        let bytes = try encoded(options: WriteOptions(codec: .none, shuffle: false))
        return Array(bytes[(bytes.count - 4 - NNMConstants.digestLength)..<(bytes.count - 4)])
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
