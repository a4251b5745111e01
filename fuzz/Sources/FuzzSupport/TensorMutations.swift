extension NNMImage {
    mutating func withTensors(_ body: (inout TensorTable, inout [UInt8]) -> Bool) -> Bool {
        guard let tens = index(of: "TENS"), let wght = index(of: "WGHT"),
              var table = TensorTable(sections[tens].payload) else { return false }
        var weights = sections[wght].payload
        guard body(&table, &weights) else { return false }
        sections[tens].payload = table.serialized()
        sections[wght].payload = weights
        return true
    }

    /// One field of one tensor-table entry set to an edge value or nudged by one.
    mutating func mutateTensorField(_ random: inout FuzzRandom) -> Bool {
        withTensors { table, _ in
            guard let i = random.index(in: table.entries.count) else { return false }
            let value = random.interesting()
            func nudge(_ x: UInt64) -> UInt64 { random.chance(1, in: 2) ? x &+ 1 : x &- 1 }
            var e = table.entries[i]
            switch random.below(12) {
            case 0: e.name = NNMImage.mutatedName(e.name, others: table.entries.map(\.name), &random)
            case 1: e.dtype = UInt8(truncatingIfNeeded: random.pick([0, 1, 2, 255] as [UInt64]))
            case 2:
                e.rank = UInt8(truncatingIfNeeded: random.pick([0, 1, 2, 3, 4, 5, 200] as [UInt64]))
                e.dims = (0..<min(Int(e.rank), 8)).map { e.dims.indices.contains($0) ? e.dims[$0] : 1 }
            case 3: e.codec = UInt8(truncatingIfNeeded: random.pick([0, 1, 2, 7] as [UInt64]))
            case 4: e.filter = UInt8(truncatingIfNeeded: random.pick([0, 1, 2] as [UInt64]))
            case 5:
                guard let d = random.index(in: e.dims.count) else { return false }
                e.dims[d] = random.chance(1, in: 2) ? UInt32(truncatingIfNeeded: value) : UInt32(truncatingIfNeeded: nudge(UInt64(e.dims[d])))
            case 6: e.offset = random.chance(1, in: 2) ? value : nudge(e.offset)
            case 7: e.storedLength = random.chance(1, in: 2) ? value : nudge(e.storedLength)
            case 8: e.rawLength = random.chance(1, in: 2) ? value : nudge(e.rawLength)
            case 9: e.rawCRC = UInt32(truncatingIfNeeded: random.next())
            case 10: e.blockCount = random.chance(1, in: 2) ? UInt32(truncatingIfNeeded: value) : UInt32(truncatingIfNeeded: nudge(UInt64(e.blockCount)))
            default:
                guard let b = random.index(in: e.blockLengths.count) else { return false }
                e.blockLengths[b] = random.chance(1, in: 2) ? UInt32(truncatingIfNeeded: value) : UInt32(truncatingIfNeeded: nudge(UInt64(e.blockLengths[b])))
            }
            table.entries[i] = e
            return true
        }
    }

    /// Entries removed, duplicated or swapped (their blobs stay where they were).
    mutating func mutateTensorList(_ random: inout FuzzRandom) -> Bool {
        withTensors { table, _ in
            guard let i = random.index(in: table.entries.count) else { return false }
            switch random.below(3) {
            case 0: table.entries.remove(at: i)
            case 1: table.entries.insert(table.entries[i], at: random.below(table.entries.count + 1))
            default: table.entries.swapAt(i, random.below(table.entries.count))
            }
            return true
        }
    }

    /// A tensor decoded, some of its values changed (special floats, bit flips), and stored
    /// again with a codec and filter picked at random; later blobs move and their offsets follow.
    /// The file stays valid except for the digest (repaired half of the time).
    mutating func mutateTensorValues(_ random: inout FuzzRandom) -> Bool {
        withTensors { table, weights in
            guard let i = random.index(in: table.entries.count),
                  var raw = table.entries[i].rawBytes(in: weights) else { return false }
            let floats = raw.count / 4
            for _ in 0..<(1 + random.below(4)) where floats > 0 {
                let at = 4 * random.below(floats)
                let bits = random.chance(1, in: 2) ? random.floatBits()
                    : UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16 | UInt32(raw[at + 3]) << 24 ^ (1 << UInt32(random.below(32)))
                raw.storeLittleEndian(bits, at: at)
            }
            let old = table.entries[i]
            var entry = old
            let stored = entry.encode(raw, codec: UInt8(random.below(2)), shuffle: random.chance(1, in: 2))
            let start = Int(old.offset), end = start + Int(old.storedLength)
            weights.replaceSubrange(start..<end, with: stored)
            let delta = Int64(stored.count) - Int64(old.storedLength)
            for j in table.entries.indices where table.entries[j].offset > old.offset {
                table.entries[j].offset = UInt64(bitPattern: Int64(bitPattern: table.entries[j].offset) &+ delta)
            }
            table.entries[i] = entry
            return true
        }
    }

    /// Bytes inside one tensor's stored blocks changed in place (lengths kept, so the blobs
    /// still tile WGHT and the damage reaches inflate and the tensor CRC).
    mutating func mutateBlobBytes(_ random: inout FuzzRandom) -> Bool {
        withTensors { table, weights in
            guard let i = random.index(in: table.entries.count) else { return false }
            let e = table.entries[i]
            guard e.storedLength > 0, e.offset <= UInt64(weights.count), e.storedLength <= UInt64(weights.count) - e.offset
            else { return false }
            let start = Int(e.offset), end = start + Int(e.storedLength)
            if random.chance(1, in: 2) {
                let at = start + random.below(end - start)
                weights[at] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
            } else {
                let changed = genericMutation(Array(weights[start..<end]), maxSize: end - start)
                weights.replaceSubrange(start..<(start + changed.count), with: changed)
            }
            return true
        }
    }

    static func mutatedName(_ name: [UInt8], others: [[UInt8]], _ random: inout FuzzRandom) -> [UInt8] {
        switch random.below(6) {
        case 0: return random.pick(others)
        case 1: return name + [UInt8(truncatingIfNeeded: random.next())]
        case 2: return name.isEmpty ? [0xFF] : Array(name.dropLast()) + [random.pick([0xFF, 0xC0, 0x1B, 0x30, 0x00])]
        case 3: return []
        case 4: return [UInt8](repeating: 0x61, count: random.pick([255, 256, 65535]))
        default: return Array("layers.\(random.pick([0, 1, 2, 10, 1023]) as Int).\(random.pick(["weight", "bias", "mean", "scale"]))".utf8)
        }
    }
}
