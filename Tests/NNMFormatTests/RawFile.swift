@testable import NNMFormat

/// A test-side view of a canonical file as header fields + sections, to build damaged or
/// extended files with every CRC recomputed (so that each vector has exactly one defect).
struct RawFile {
    var major: UInt16 = 1
    var minor: UInt16 = 0
    var flags: UInt32 = 0
    var sections: [(type: [UInt8], payload: [UInt8])] = []

    /// Splits canonical bytes (trusted: written by our writer).
    init(_ bytes: [UInt8]) {
        minor = UInt16(le(bytes, 10, 2))
        var p = 32
        while p < bytes.count {
            let type = Array(bytes[p..<(p + 4)])
            let length = Int(le(bytes, p + 4, 8))
            sections.append((type, Array(bytes[(p + 12)..<(p + 12 + length)])))
            p += 16 + length
        }
    }

    func index(_ type: String) -> Int? { sections.firstIndex { $0.type == Array(type.utf8) } }

    /// Reassembles with correct CRCs; overrides let a vector lie in exactly one field.
    func assemble(sectionCount: UInt32? = nil, fileLength: UInt64? = nil, corruptCRCOf: String? = nil) -> [UInt8] {
        var body: [UInt8] = []
        for (type, payload) in sections {
            var head = ByteWriter()
            head.raw(type)
            head.u64(UInt64(payload.count))
            var crc = CRC32.of(payload, continuing: CRC32.of(head.bytes))
            if String(decoding: type, as: UTF8.self) == corruptCRCOf { crc ^= 0x0000_0100 }
            body += head.bytes + payload
            var tail = ByteWriter()
            tail.u32(crc)
            body += tail.bytes
        }
        var h = ByteWriter()
        h.raw(NNMConstants.signature)
        h.u16(major)
        h.u16(minor)
        h.u32(flags)
        h.u64(fileLength ?? UInt64(32 + body.count))
        h.u32(sectionCount ?? UInt32(sections.count))
        h.u32(CRC32.of(h.bytes))
        return h.bytes + body
    }

    /// Recomputes the TAIL digest from the sections and the model's decoded tensors.
    mutating func recomputeDigest(tensors: [Tensor]) throws {
        var d = try ContentDigester()
        for (type, payload) in sections {
            switch String(decoding: type, as: UTF8.self) {
            case "WGHT", "TAIL": continue
            case "TENS":
                d.beginTensors(count: tensors.count)
                for t in tensors {
                    let v = try t.values()
                    v.withUnsafeBytes { d.addTensor(name: t.name, shape: t.shape, raw: $0) }
                }
            default: d.addSection(type: type, payload: payload[...])
            }
        }
        let digest = try d.finish()
        if let i = index("TAIL") { sections[i].payload = digest }
    }
}

func le(_ b: [UInt8], _ at: Int, _ n: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<n { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
    return v
}

func putLE(_ v: UInt64, _ b: inout [UInt8], _ at: Int, _ n: Int) {
    for i in 0..<n { b[at + i] = UInt8((v >> (8 * UInt64(i))) & 0xFF) }
}
