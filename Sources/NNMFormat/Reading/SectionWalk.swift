/// The walk over a file's sections (spec §5): each section's framing checked, its place in the
/// canonical order checked, and the payload of every table section read and its CRC-32
/// checked. WGHT is only located (its blobs are read lazily, per tensor).
struct SectionWalk {
    /// Every section in file order.
    var sections: [SectionInfo] = []
    /// The payloads of the known sections other than WGHT, with their offsets.
    var payloads: [SectionType: (offset: Int, payload: [UInt8])] = [:]
    /// Where WGHT is: section offset and payload length.
    var weights: (offset: Int, length: UInt64)? = nil
    /// Skipped unknown and dropped damaged ancillary sections, a newer minor version.
    var warnings: [ReadWarning] = []
    /// The canonical stage of the last known section (-1 before LAYR).
    private var lastStage = -1

    /// The canonical position of a known section type; unknown ancillary sections may appear
    /// anywhere after TENS and before WGHT.
    static func stage(of type: SectionType) -> Int? { SectionType.known.firstIndex(of: type) }
    static let tensorsStage = 1
    static let weightsStage = SectionType.known.firstIndex(of: .weights) ?? 6
    static let tailStage = SectionType.known.firstIndex(of: .tail) ?? 7

    static func walk(_ input: some PositionalInput, header: Decoder.Header) throws -> SectionWalk {
        var walk = SectionWalk()
        if header.version.minor > FormatVersion.current.minor { walk.warnings.append(.newerMinorVersion(header.version)) }
        var position = UInt64(NNMConstants.headerLength)
        while position < input.length {
            position = try walk.readSection(input, at: position)
        }
        if walk.lastStage != SectionWalk.stage(of: .tail) {
            throw NNMFormatError.sectionOrder(section: "TAIL", offset: Int(position),
                                              reason: "is missing (the file must end with WGHT then TAIL)")
        }
        guard UInt32(walk.sections.count) == header.declaredSections else {
            throw NNMFormatError.sectionCountMismatch(declared: header.declaredSections, actual: UInt32(walk.sections.count))
        }
        return walk
    }

    /// Reads the section at `position`; returns the position of the next one.
    private mutating func readSection(_ input: some PositionalInput, at position: UInt64) throws -> UInt64 {
        let offset = Int(position)
        guard UInt64(sections.count) < FormatLimits.maxSections else {
            throw NNMFormatError.limitExceeded(what: "number of sections", value: UInt64(sections.count) + 1,
                                               limit: FormatLimits.maxSections, offset: offset)
        }
        let (head, type, length) = try SectionWalk.readHead(input, at: position)
        let stage = SectionWalk.stage(of: type)
        sections.append(SectionInfo(type: type, offset: offset, payloadLength: length,
                                    isCritical: !type.isAncillary, isKnown: stage != nil))
        try checkOrder(type, stage: stage, offset: offset)
        let next = position + UInt64(NNMConstants.sectionHeadLength + NNMConstants.sectionTailLength) + length
        if type == .weights {
            weights = (offset, length)
        } else {
            try readPayload(input, head: head, type: type, length: length, offset: offset, isKnown: stage != nil)
        }
        return next
    }

    /// The 12-byte section head: a four-letter type code and a payload length that fits.
    private static func readHead(_ input: some PositionalInput, at position: UInt64) throws
        -> (head: [UInt8], type: SectionType, length: UInt64) {
        let offset = Int(position)
        let framing = UInt64(NNMConstants.sectionHeadLength + NNMConstants.sectionTailLength)
        guard input.length - position >= framing else {
            throw NNMFormatError.truncated(context: "section header", offset: offset, needed: framing,
                                           available: input.length - position)
        }
        let head = try input.read(at: position, count: NNMConstants.sectionHeadLength)
        let type = SectionType(code: Array(head[0..<4]))
        guard type.code.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw NNMFormatError.invalidSectionType(type: type.description, offset: offset)
        }
        var hr = ByteReader(head[4...], base: offset + 4, context: "section \(type)")
        let length = try hr.u64("payload length")
        let available = input.length - position - framing
        guard length <= available else {
            throw NNMFormatError.truncated(context: "section \(type) payload", offset: offset + 12,
                                           needed: length, available: available)
        }
        return (head, type, length)
    }

    /// The order rules: known sections once each in canonical order, LAYR first, TENS right
    /// after it, TAIL right after WGHT; unknown ancillary sections between TENS and WGHT;
    /// an unknown critical section refused.
    private mutating func checkOrder(_ type: SectionType, stage: Int?, offset: Int) throws {
        func refuse(_ reason: String) -> NNMFormatError { .sectionOrder(section: type.description, offset: offset, reason: reason) }
        guard let stage else {
            if !type.isAncillary { throw NNMFormatError.unknownCriticalSection(type: type.description, offset: offset) }
            if lastStage < Self.tensorsStage || lastStage >= Self.weightsStage { throw refuse("ancillary sections must come after TENS and before WGHT") }
            return
        }
        if stage == lastStage { throw refuse("appears twice") }
        if stage < lastStage { throw refuse("is out of the canonical order") }
        if stage != 0 && lastStage < 0 { throw refuse("LAYR must be the first section") }
        if stage >= 2 && lastStage < 1 { throw refuse("TENS must directly follow LAYR") }
        if stage == Self.tailStage && lastStage != Self.weightsStage { throw refuse("WGHT must come before TAIL") }
        lastStage = stage
    }

    /// Reads a table section's payload and checks its CRC-32 (over type, length and payload).
    /// A damaged ancillary section is dropped with a warning; an unknown one is skipped.
    private mutating func readPayload(_ input: some PositionalInput, head: [UInt8], type: SectionType, length: UInt64,
                                      offset: Int, isKnown: Bool) throws {
        guard length <= FormatLimits.maxTablePayload else {
            throw NNMFormatError.limitExceeded(what: "section \(type) payload length", value: length,
                                               limit: FormatLimits.maxTablePayload, offset: offset + 4)
        }
        let body = try input.read(at: UInt64(offset + NNMConstants.sectionHeadLength), count: Int(length) + 4)
        let payload = Array(body[0..<Int(length)])
        var tr = ByteReader(body[Int(length)...], base: offset + 12 + Int(length), context: "section \(type)")
        let stored = try tr.u32("CRC-32")
        let computed = CRC32.of(payload, continuing: CRC32.of(head))
        if stored != computed {
            let error = NNMFormatError.sectionChecksumMismatch(section: type.description, offset: offset)
            if !type.isAncillary { throw error }
            warnings.append(.droppedDamagedSection(type: type, offset: offset, error: error))
            return
        }
        guard isKnown else {
            warnings.append(.skippedUnknownSection(type: type, offset: offset))
            return
        }
        payloads[type] = (offset, payload)
    }
}
