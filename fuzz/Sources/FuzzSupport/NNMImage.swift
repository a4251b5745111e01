/// A `.nnm` file cut into its parts (spec/nnm-format.md §2): the 32-byte header and the
/// sections, each with its own stored CRC. Parsing is lenient (it needs only the framing to
/// tile the file), so mutated files that the reader would refuse can still be mutated further.
public struct NNMImage {
    public struct Section {
        public var type: [UInt8]
        public var payload: [UInt8]
        /// The CRC as stored; kept on write unless the CRCs are repaired.
        public var storedCRC: UInt32

        public init(type: [UInt8], payload: [UInt8], storedCRC: UInt32 = 0) {
            self.type = type
            self.payload = payload
            self.storedCRC = storedCRC
        }

        public var typeName: String { String(decoding: type, as: UTF8.self) }
        var computedCRC: UInt32 {
            var head = type
            head.appendLittleEndian(UInt64(payload.count))
            return crc32Of(head + payload)
        }
    }

    public static let signature: [UInt8] = [0x8E, 0x4E, 0x4E, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A]

    public var header: [UInt8]
    public var sections: [Section]

    /// Nil unless the bytes start with a 32-byte header and the sections tile the rest.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 32 else { return nil }
        header = Array(bytes[0..<32])
        sections = []
        var reader = LittleEndianReader(bytes, at: 32)
        while reader.remaining > 0 {
            guard sections.count < 80, let type = reader.take(4), let length = reader.u64(),
                  length <= UInt64(reader.remaining), let payload = reader.take(Int(length)),
                  let crc = reader.u32() else { return nil }
            sections.append(Section(type: Array(type), payload: Array(payload), storedCRC: crc))
        }
    }

    public func index(of type: String) -> Int? { sections.firstIndex { $0.typeName == type } }

    /// The file's bytes. `repairCRCs`: every section CRC recomputed (else each keeps its stored
    /// one); `fixHeader`: `file_length` and `section_count` made true and the header CRC
    /// recomputed (else the header is written as it is).
    public func serialized(repairCRCs: Bool, fixHeader: Bool) -> [UInt8] {
        var body: [UInt8] = []
        for section in sections {
            body += section.type
            body.appendLittleEndian(UInt64(section.payload.count))
            body += section.payload
            body.appendLittleEndian(repairCRCs ? section.computedCRC : section.storedCRC)
        }
        var head = header
        if fixHeader {
            head.storeLittleEndian(UInt64(32 + body.count), at: 16)
            head.storeLittleEndian(UInt32(sections.count), at: 24)
            head.storeLittleEndian(crc32Of(head[0..<28]), at: 28)
        }
        return head + body
    }
}
