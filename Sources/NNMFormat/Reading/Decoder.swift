extension ModelFile {
    /// Reads a `.nnm` file from a path, touching only the header and tables: the cost is
    /// O(tables), not O(file). Tensor values are read and decoded (and their CRC-32 checked)
    /// when `Tensor.values()` is first called. Call `verify()` to check everything.
    public init(contentsOf path: String) throws {
        let file = try FileInput(path: path)
        self = try Decoder.parse(file, source: .file(path: path))
    }

    /// Reads a `.nnm` file from a path (same as `init(contentsOf:)`).
    public static func read(from path: String) throws -> ModelFile { try ModelFile(contentsOf: path) }

    /// Reads a `.nnm` file held in memory. Tensors decode lazily from the shared bytes.
    public init(bytes: [UInt8]) throws {
        self = try Decoder.parse(MemoryInput(bytes: bytes), source: .memory(bytes))
    }
}

/// The reader: signature, header, section walk, tables, ancillary sections (spec §3–§10).
enum Decoder {
    /// Canonical position of each known section type; unknown ancillary sections may appear
    /// anywhere after TENS and before WGHT.
    static let stages: [[UInt8]: Int] = [
        SectionType.layers: 0, SectionType.tensors: 1, SectionType.metadata: 2,
        SectionType.history: 3, SectionType.recipe: 4, SectionType.weights: 5, SectionType.tail: 6,
    ]

    static func parse(_ input: some PositionalInput, source: BlobSource) throws -> ModelFile {
        let actualLength = input.length
        let prefix = try input.read(at: 0, count: Int(min(actualLength, UInt64(NNMConstants.headerLength))))
        try Signature.check(prefix, fileLength: actualLength)
        guard prefix.count == NNMConstants.headerLength else {
            throw NNMFormatError.truncated(context: "header", offset: 0, needed: UInt64(NNMConstants.headerLength),
                                           available: UInt64(prefix.count))
        }
        var h = ByteReader(prefix[8...], base: 8, context: "header")
        let major = try h.u16("major version")
        let minor = try h.u16("minor version")
        guard major == FormatVersion.current.major else {
            throw NNMFormatError.unsupportedVersion(major: major, minor: minor)
        }
        let flags = try h.u32("flags")
        let declaredLength = try h.u64("file length")
        let declaredSections = try h.u32("section count")
        let storedCRC = try h.u32("header CRC-32")
        let computedCRC = CRC32.of(prefix[0..<28])
        guard storedCRC == computedCRC else {
            throw NNMFormatError.headerChecksumMismatch(stored: storedCRC, computed: computedCRC)
        }
        guard flags == 0 else { throw NNMFormatError.unsupportedFlags(flags) }
        try h.limit(declaredLength, FormatLimits.maxFileLength, "declared file length", at: 16)
        guard declaredLength == actualLength else {
            throw NNMFormatError.fileLengthMismatch(declared: declaredLength, actual: actualLength)
        }
        try h.limit(UInt64(declaredSections), FormatLimits.maxSections, "section count", at: 24)

        let version = FormatVersion(major: major, minor: minor)
        var warnings: [ReadWarning] = []
        if minor > FormatVersion.current.minor { warnings.append(.newerMinorVersion(version)) }

        // Walk the sections.
        var sections: [SectionInfo] = []
        var payloads: [[UInt8]: (offset: Int, payload: [UInt8])] = [:]
        var weights: (offset: Int, length: UInt64)? = nil
        var lastStage = -1
        var position = UInt64(NNMConstants.headerLength)
        while position < actualLength {
            let offset = Int(position)
            guard UInt64(sections.count) < FormatLimits.maxSections else {
                throw NNMFormatError.limitExceeded(what: "number of sections", value: UInt64(sections.count) + 1,
                                                   limit: FormatLimits.maxSections, offset: offset)
            }
            let framing = UInt64(NNMConstants.sectionHeadLength + NNMConstants.sectionTailLength)
            guard actualLength - position >= framing else {
                throw NNMFormatError.truncated(context: "section header", offset: offset, needed: framing,
                                               available: actualLength - position)
            }
            let head = try input.read(at: position, count: NNMConstants.sectionHeadLength)
            let type = Array(head[0..<4])
            let typeName = SectionType.name(type)
            guard type.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw NNMFormatError.invalidSectionType(type: typeName, offset: offset)
            }
            var hr = ByteReader(head[4...], base: offset + 4, context: "section \(typeName)")
            let length = try hr.u64("payload length")
            let available = actualLength - position - framing
            guard length <= available else {
                throw NNMFormatError.truncated(context: "section \(typeName) payload", offset: offset + 12,
                                               needed: length, available: available)
            }
            let stage = stages[type]
            let critical = !SectionType.isAncillary(type)
            sections.append(SectionInfo(type: typeName, offset: offset, payloadLength: length,
                                        isCritical: critical, isKnown: stage != nil))
            position += framing + length

            // Order rules.
            if let stage {
                if stage == lastStage {
                    throw NNMFormatError.sectionOrder(section: typeName, offset: offset, reason: "appears twice")
                }
                if stage < lastStage {
                    throw NNMFormatError.sectionOrder(section: typeName, offset: offset, reason: "is out of the canonical order")
                }
                if stage != 0 && lastStage < 0 {
                    throw NNMFormatError.sectionOrder(section: typeName, offset: offset, reason: "LAYR must be the first section")
                }
                if stage >= 2 && lastStage < 1 {
                    throw NNMFormatError.sectionOrder(section: typeName, offset: offset, reason: "TENS must directly follow LAYR")
                }
                if stage == 6 && lastStage != 5 {
                    throw NNMFormatError.sectionOrder(section: typeName, offset: offset, reason: "WGHT must come before TAIL")
                }
                lastStage = stage
            } else if critical {
                throw NNMFormatError.unknownCriticalSection(type: typeName, offset: offset)
            } else if lastStage < 1 || lastStage > 4 {
                throw NNMFormatError.sectionOrder(section: typeName, offset: offset,
                                                  reason: "ancillary sections must come after TENS and before WGHT")
            }

            if type == SectionType.weights {
                weights = (offset, length)
                continue
            }
            let payloadLimitWhat = "section \(typeName) payload length"
            try hr.limit(length, FormatLimits.maxTablePayload, payloadLimitWhat, at: offset + 4)
            let body = try input.read(at: UInt64(offset + NNMConstants.sectionHeadLength), count: Int(length) + 4)
            let payload = Array(body[0..<Int(length)])
            var tr = ByteReader(body[Int(length)...], base: offset + 12 + Int(length), context: "section \(typeName)")
            let stored = try tr.u32("CRC-32")
            let computed = CRC32.of(payload, continuing: CRC32.of(head))
            if stored != computed {
                let error = NNMFormatError.sectionChecksumMismatch(section: typeName, offset: offset)
                if critical { throw error }
                warnings.append(.droppedDamagedSection(type: typeName, offset: offset, error: error))
                continue
            }
            if stage == nil {
                warnings.append(.skippedUnknownSection(type: typeName, offset: offset))
                continue
            }
            payloads[type] = (offset, payload)
        }
        if lastStage != 6 {
            throw NNMFormatError.sectionOrder(section: "TAIL", offset: Int(position),
                                              reason: "is missing (the file must end with WGHT then TAIL)")
        }
        guard UInt32(sections.count) == declaredSections else {
            throw NNMFormatError.sectionCountMismatch(declared: declaredSections, actual: UInt32(sections.count))
        }

        // Critical tables.
        guard let layerSection = payloads[SectionType.layers], let tensorSection = payloads[SectionType.tensors],
              let tail = payloads[SectionType.tail], let weights else {
            throw NNMFormatError.sectionOrder(section: "LAYR", offset: NNMConstants.headerLength, reason: "a required section is missing")
        }
        var lr = ByteReader(layerSection.payload[...], base: layerSection.offset + 12, context: "LAYR")
        let layers = try SectionParsers.layers(&lr)
        try ModelFile.validateLayers(layers)
        var trr = ByteReader(tensorSection.payload[...], base: tensorSection.offset + 12, context: "TENS")
        let entries = try SectionParsers.tensors(&trr)
        guard tail.payload.count == NNMConstants.digestLength else {
            throw NNMFormatError.malformed(section: "TAIL", offset: tail.offset + 4,
                                           reason: "payload is \(tail.payload.count) bytes, the SHA-256 digest needs 32")
        }

        // Blobs must tile the WGHT payload exactly, in table order.
        let weightsPayload = UInt64(weights.offset + NNMConstants.sectionHeadLength)
        var expectedOffset: UInt64 = 0
        var tensors: [Tensor] = []
        for e in entries {
            guard e.offset == expectedOffset else {
                throw NNMFormatError.tensorLayout(tensor: e.name, reason: "offset \(e.offset) in WGHT, expected \(expectedOffset) (blobs are contiguous, in table order)")
            }
            expectedOffset += e.storedLength
            guard expectedOffset <= weights.length else {
                throw NNMFormatError.tensorLayout(tensor: e.name, reason: "ends at \(expectedOffset), beyond the \(weights.length)-byte WGHT payload")
            }
            let blob = EncodedBlob(source: source, tensorName: e.name, codec: e.codec, filter: e.filter,
                                   fileOffset: weightsPayload + e.offset, blockStoredLengths: e.blockStoredLengths,
                                   storedLength: e.storedLength, rawLength: e.rawLength, rawCRC32: e.rawCRC)
            tensors.append(Tensor(name: e.name, shape: e.shape, storage: .encoded(blob)))
        }
        guard expectedOffset == weights.length else {
            throw NNMFormatError.tensorLayout(tensor: entries.last?.name ?? "(none)",
                                              reason: "tensors cover \(expectedOffset) bytes, the WGHT payload has \(weights.length)")
        }

        // Ancillary sections: a damaged one is dropped with a warning (PNG policy).
        var model = ModelFile(version: version, layers: layers, tensors: tensors)
        if let s = payloads[SectionType.metadata] {
            var r = ByteReader(s.payload[...], base: s.offset + 12, context: "meta")
            do {
                model.metadata = try SectionParsers.keyValues(&r)
                try r.requireEnd()
                // Canonical encoding (spec §8): no metadata is written as no `meta` section.
                if model.metadata.isEmpty { throw r.malformed("metadata has no entries (omit the section instead)", at: s.offset + 12) }
            }
            catch let error as NNMFormatError { warnings.append(.droppedDamagedSection(type: "meta", offset: s.offset, error: error)) }
        }
        if let s = payloads[SectionType.history] {
            var r = ByteReader(s.payload[...], base: s.offset + 12, context: "hist")
            do { model.history = try SectionParsers.history(&r) }
            catch let error as NNMFormatError { warnings.append(.droppedDamagedSection(type: "hist", offset: s.offset, error: error)) }
        }
        if let s = payloads[SectionType.recipe] {
            var r = ByteReader(s.payload[...], base: s.offset + 12, context: "rcpe")
            do { model.dataset = try SectionParsers.recipe(&r) }
            catch let error as NNMFormatError { warnings.append(.droppedDamagedSection(type: "rcpe", offset: s.offset, error: error)) }
        }
        try ModelFile(version: version, layers: layers, tensors: tensors).validate()

        model.readInfo = ReadInfo(fileVersion: version, fileLength: actualLength, storedDigest: tail.payload,
                                  sections: sections, warnings: warnings, source: source)
        return model
    }
}
