/// The outcome of a full check of a file read from disk or bytes.
public struct VerificationReport: Sendable {
    /// The SHA-256 content digest, recomputed from the decoded content (equal to the stored one).
    public var digest: [UInt8]
    public var tensorsChecked: Int
    public var sectionsChecked: Int
}

extension ModelFile {
    /// Checks everything: the WGHT section's CRC-32, every tensor (inflate exactly, CRC-32 of the
    /// raw bytes) and the SHA-256 content digest; fails if a damaged ancillary section was
    /// dropped while reading. Throws the first problem found.
    ///
    /// Only for a model that was read (`readInfo != nil`); a model built in memory has nothing
    /// to verify.
    public func verify() throws -> VerificationReport {
        guard let info = readInfo else {
            throw NNMFormatError.inconsistentModel(reason: "verify() needs a model read from a file or bytes")
        }
        // The first dropped section in file order (spec §14), whichever check dropped it: CRC
        // failures are found during the walk, payload failures after it.
        let dropped = info.warnings.compactMap { warning -> (offset: Int, error: NNMFormatError)? in
            if case .droppedDamagedSection(_, let offset, let error) = warning { return (offset, error) }
            return nil
        }
        if let first = dropped.min(by: { $0.offset < $1.offset }) { throw first.error }
        var digester = try ContentDigester()
        var checked = 0
        for section in info.sections {
            switch section.type {
            case .weights:
                try checkSectionCRC(section, source: info.source)
            case .tail:
                continue
            case .tensors:
                digester.beginTensors(count: tensors.count)
                for tensor in tensors {
                    let values = try tensor.values()
                    TensorEncoding.withRawBytes(values) { digester.addTensor(name: tensor.name, shape: tensor.shape, raw: $0) }
                }
            default:
                let start = UInt64(section.offset + NNMConstants.sectionHeadLength)
                try info.source.withBytes(at: start, count: Int(section.payloadLength), context: "section \(section.type)") { raw in
                    digester.addSection(type: section.type.code, payload: Array(raw)[...])
                }
            }
            checked += 1
        }
        let digest = try digester.finish()
        guard digest == info.storedDigest else {
            throw NNMFormatError.digestMismatch(stored: hexString(info.storedDigest), computed: hexString(digest))
        }
        return VerificationReport(digest: digest, tensorsChecked: tensors.count, sectionsChecked: checked + 1)
    }

    /// The same model with every tensor decoded in memory (checking each tensor's CRC-32).
    public func decodingAllTensors() throws -> ModelFile {
        var copy = self
        copy.tensors = try tensors.map { try $0.decoded() }
        return copy
    }
}

private func checkSectionCRC(_ section: SectionInfo, source: BlobSource) throws {
    let total = NNMConstants.sectionHeadLength + Int(section.payloadLength)
    try source.withBytes(at: UInt64(section.offset), count: total + 4, context: "section \(section.type)") { raw in
        let computed = CRC32.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<total]))
        var r = ByteReader(Array(raw[total...])[...], base: section.offset + total, context: "section \(section.type)")
        let stored = try r.u32("CRC-32")
        guard stored == computed else {
            throw NNMFormatError.sectionChecksumMismatch(section: section.type.description, offset: section.offset)
        }
    }
}
