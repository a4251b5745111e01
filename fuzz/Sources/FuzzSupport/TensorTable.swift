/// One entry of the `TENS` table (§7), every field kept so that any of them can be changed.
struct TensorEntry {
    var name: [UInt8]
    var dtype: UInt8, rank: UInt8, codec: UInt8, filter: UInt8
    var dims: [UInt32]
    var offset: UInt64, storedLength: UInt64, rawLength: UInt64
    var rawCRC: UInt32
    var blockCount: UInt32
    var blockLengths: [UInt32]

    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(UInt16(truncatingIfNeeded: name.count))
        out += name
        out += [dtype, rank, codec, filter]
        for dim in dims { out.appendLittleEndian(dim) }
        out.appendLittleEndian(offset)
        out.appendLittleEndian(storedLength)
        out.appendLittleEndian(rawLength)
        out.appendLittleEndian(rawCRC)
        out.appendLittleEndian(blockCount)
        for length in blockLengths { out.appendLittleEndian(length) }
        return out
    }
}

/// The whole `TENS` payload, parsed leniently (nil when it does not even frame).
struct TensorTable {
    var entries: [TensorEntry]

    init(entries: [TensorEntry]) { self.entries = entries }

    init?(_ payload: [UInt8]) {
        var r = LittleEndianReader(payload)
        guard let count = r.u32(), count <= 4096 else { return nil }
        entries = []
        for _ in 0..<count {
            guard let nameLength = r.u16(), let name = r.take(Int(nameLength)),
                  let dtype = r.u8(), let rank = r.u8(), let codec = r.u8(), let filter = r.u8(), rank <= 8
            else { return nil }
            var dims: [UInt32] = []
            for _ in 0..<rank { guard let dim = r.u32() else { return nil }; dims.append(dim) }
            guard let offset = r.u64(), let stored = r.u64(), let raw = r.u64(), let crc = r.u32(),
                  let blockCount = r.u32(), Int(blockCount) <= r.remaining / 4 else { return nil }
            var lengths: [UInt32] = []
            for _ in 0..<blockCount { guard let length = r.u32() else { return nil }; lengths.append(length) }
            entries.append(TensorEntry(name: Array(name), dtype: dtype, rank: rank, codec: codec, filter: filter,
                                       dims: dims, offset: offset, storedLength: stored, rawLength: raw,
                                       rawCRC: crc, blockCount: blockCount, blockLengths: lengths))
        }
        guard r.remaining == 0 else { return nil }
    }

    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(UInt32(entries.count))
        for entry in entries { out += entry.serialized() }
        return out
    }
}

extension TensorEntry {
    /// The decoded raw bytes of this tensor from the WGHT payload, or nil when its fields or
    /// blocks do not decode exactly (then nothing that depends on them can be repaired).
    func rawBytes(in weights: [UInt8]) -> [UInt8]? {
        guard dtype == 1, rawLength <= 1 << 24, offset <= UInt64(weights.count),
              storedLength <= UInt64(weights.count) - offset,
              blockLengths.count == (Int(rawLength) + BlockCodec.blockSize - 1) / BlockCodec.blockSize
        else { return nil }
        var raw: [UInt8] = []
        var position = Int(offset)
        var left = Int(rawLength)
        for length in blockLengths {
            let blockRaw = min(left, BlockCodec.blockSize)
            guard position + Int(length) <= Int(offset + storedLength) else { return nil }
            let stored = weights[position..<(position + Int(length))]
            var block: [UInt8]
            switch codec {
            case 0:
                guard filter == 0, Int(length) == blockRaw else { return nil }
                block = Array(stored)
            case 1:
                guard let inflated = BlockCodec.inflate(stored, rawLength: blockRaw) else { return nil }
                block = filter == 1 ? BlockCodec.unshuffle(inflated) : inflated
                guard filter <= 1 else { return nil }
            default:
                return nil
            }
            raw += block
            position += Int(length)
            left -= blockRaw
        }
        return left == 0 ? raw : nil
    }

    /// This entry re-encoded from `raw` with codec/filter; returns the stored bytes and updates
    /// the lengths, block lengths and raw CRC (the offset is the caller's).
    mutating func encode(_ raw: [UInt8], codec newCodec: UInt8, shuffle: Bool) -> [UInt8] {
        codec = newCodec
        filter = newCodec == 1 && shuffle ? 1 : 0
        rawLength = UInt64(raw.count)
        rawCRC = crc32Of(raw)
        var stored: [UInt8] = []
        blockLengths = []
        var start = 0
        while start < raw.count {
            let block = Array(raw[start..<min(start + BlockCodec.blockSize, raw.count)])
            let encoded = newCodec == 1 ? BlockCodec.deflate(filter == 1 ? BlockCodec.shuffle(block) : block) : block
            stored += encoded
            blockLengths.append(UInt32(encoded.count))
            start += BlockCodec.blockSize
        }
        blockCount = UInt32(blockLengths.count)
        storedLength = UInt64(stored.count)
        return stored
    }
}
