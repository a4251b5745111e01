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
/// Each step is its own function, in file order; `parse` reads as the table of contents.
enum Decoder {
    static func parse(_ input: some PositionalInput, source: BlobSource) throws -> ModelFile {
        let header = try readHeader(input)
        var walk = try SectionWalk.walk(input, header: header)
        let tables = try criticalTables(walk)
        let tensors = try placeTensors(tables.entries, in: tables.weights, source: source)
        var model = ModelFile(version: header.version, layers: tables.layers, tensors: tensors)
        try readAncillarySections(walk.payloads, into: &model, warnings: &walk.warnings)
        try ModelFile(version: header.version, layers: tables.layers, tensors: tensors).validate()
        model.readInfo = ReadInfo(fileVersion: header.version, fileLength: input.length, storedDigest: tables.digest,
                                  sections: walk.sections, warnings: walk.warnings, source: source)
        return model
    }

    /// What the fixed 32-byte header says, checked (spec §4).
    struct Header {
        var version: FormatVersion
        var declaredSections: UInt32
    }

    /// Signature, version, flags, declared length and section count, header CRC.
    static func readHeader(_ input: some PositionalInput) throws -> Header {
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
        return Header(version: FormatVersion(major: major, minor: minor), declaredSections: declaredSections)
    }

    /// The critical tables, parsed: layers (validated), tensor entries, WGHT's place, digest.
    struct Tables {
        var layers: [LayerRecord]
        var entries: [TensorTableEntry]
        var weights: (offset: Int, length: UInt64)
        var digest: [UInt8]
    }

    static func criticalTables(_ walk: SectionWalk) throws -> Tables {
        guard let layerSection = walk.payloads[.layers], let tensorSection = walk.payloads[.tensors],
              let tail = walk.payloads[.tail], let weights = walk.weights else {
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
        return Tables(layers: layers, entries: entries, weights: weights, digest: tail.payload)
    }

    /// Blobs must tile the WGHT payload exactly, in table order; each becomes a lazy tensor.
    static func placeTensors(_ entries: [TensorTableEntry], in weights: (offset: Int, length: UInt64),
                             source: BlobSource) throws -> [Tensor] {
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
        return tensors
    }

    /// Metadata, history and recipe: a damaged one is dropped with a warning (PNG policy).
    static func readAncillarySections(_ payloads: [SectionType: (offset: Int, payload: [UInt8])],
                                      into model: inout ModelFile, warnings: inout [ReadWarning]) throws {
        func read(_ type: SectionType, _ body: (inout ByteReader) throws -> Void) throws {
            guard let s = payloads[type] else { return }
            var r = ByteReader(s.payload[...], base: s.offset + 12, context: type.description)
            do { try body(&r) } catch let error as NNMFormatError {
                warnings.append(.droppedDamagedSection(type: type, offset: s.offset, error: error))
            }
        }
        try read(.metadata) { r in
            model.metadata = try SectionParsers.keyValues(&r)
            try r.requireEnd()
            // Canonical encoding (spec §8): no metadata is written as no `meta` section.
            if model.metadata.isEmpty { throw r.malformed("metadata has no entries (omit the section instead)", at: r.base) }
        }
        try read(.history) { r in model.history = try SectionParsers.history(&r) }
        try read(.recipe) { r in model.dataset = try SectionParsers.recipe(&r) }
        let tensors = model.tensors.map { (name: $0.name, elements: $0.elementCount) }
        try read(.trainingState) { r in model.trainingState = try TrainingStateCodec.parse(&r, tensors: tensors) }
        let parameterCount = tensors.reduce(0) { $0 + $1.elements }
        try read(.weightSnapshots) { r in
            model.weightSnapshots = try WeightSnapshotsCodec.parse(&r, parameterCount: parameterCount)
        }
    }
}
