/// Values at the edges of the format's ranges and limits (§12), and around them.
let interestingIntegers: [UInt64] = [
    0, 1, 2, 3, 4, 7, 8, 12, 16, 17, 31, 32, 33, 46, 63, 64, 65, 255, 256, 1023, 1024, 1025, 2048, 2049,
    4096, 4097, 65535, 65536, 1 << 20, (1 << 20) + 1, 1 << 22, (1 << 22) + 1, 1 << 24, (1 << 24) + 1,
    1 << 28, (1 << 28) + 1, 1 << 30, (1 << 30) + 1, 1 << 31, 0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 32,
    0x7FFF_FFFF_FFFF_FFFF, UInt64.max, UInt64.max - 15,
]

/// f32 bit patterns a model's numbers can hold: specials, extremes, ordinary values.
let interestingFloatBits: [UInt32] = [
    0, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F80_0001,
    0xFFC0_0001, 0x0000_0001, 0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x4B80_0000, 0x3400_0000,
]

extension FuzzRandom {
    mutating func interesting() -> UInt64 {
        chance(1, in: 4) ? next() >> UInt64(below(64)) : pick(interestingIntegers)
    }

    mutating func floatBits() -> UInt32 { chance(1, in: 3) ? UInt32(truncatingIfNeeded: next()) : pick(interestingFloatBits) }

    /// An index into a non-empty range, or nil.
    mutating func index(in count: Int) -> Int? { count > 0 ? below(count) : nil }
}

extension NNMImage {
    /// A section other than TAIL (usually), or nil when there is none.
    func randomSection(_ random: inout FuzzRandom) -> Int? {
        let candidates = sections.indices.filter { sections[$0].typeName != "TAIL" || random.chance(1, in: 8) }
        return candidates.isEmpty ? nil : random.pick(candidates)
    }

    mutating func mutatePayloadBytes(_ random: inout FuzzRandom, maxSize: Int) -> Bool {
        guard let index = randomSection(&random) else { return false }
        let payload = sections[index].payload
        let room = min(max(maxSize, 0), 4096)
        sections[index].payload = genericMutation(payload, maxSize: payload.count + room)
        return true
    }

    /// One aligned or unaligned integer of 1, 2, 4 or 8 bytes overwritten with an edge value.
    mutating func mutatePayloadInteger(_ random: inout FuzzRandom) -> Bool {
        guard let index = randomSection(&random) else { return false }
        let width = random.pick([1, 2, 4, 8])
        let count = sections[index].payload.count
        guard count >= width else { return false }
        let offset = random.chance(1, in: 2) ? 0 : random.below(count - width + 1)
        let value = random.interesting()
        switch width {
        case 1: sections[index].payload.storeLittleEndian(UInt8(truncatingIfNeeded: value), at: offset)
        case 2: sections[index].payload.storeLittleEndian(UInt16(truncatingIfNeeded: value), at: offset)
        case 4: sections[index].payload.storeLittleEndian(UInt32(truncatingIfNeeded: value), at: offset)
        default: sections[index].payload.storeLittleEndian(value, at: offset)
        }
        return true
    }

    /// Deletes, duplicates or swaps sections, inserts one of any type, or changes a type byte.
    mutating func mutateSectionList(_ random: inout FuzzRandom) -> Bool {
        guard let index = random.index(in: sections.count) else { return false }
        switch random.below(5) {
        case 0: sections.remove(at: index)
        case 1: sections.insert(sections[index], at: random.below(sections.count + 1))
        case 2:
            let other = random.below(sections.count)
            sections.swapAt(index, other)
        case 3:
            let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
            let known = ["LAYR", "TENS", "meta", "hist", "rcpe", "WGHT", "TAIL", "xtRa", "XTRA", "zzzz"]
            let type = random.chance(1, in: 2) ? Array(random.pick(known).utf8) : (0..<4).map { _ in random.pick(letters) }
            let payload = (0..<random.below(24)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            sections.insert(Section(type: type, payload: payload), at: random.below(sections.count + 1))
        default:
            let byte = random.below(4)
            sections[index].type[byte] = random.chance(1, in: 2)
                ? sections[index].type[byte] ^ 0x20 : UInt8(truncatingIfNeeded: random.interesting())
        }
        return true
    }

    mutating func mutateHeaderField(_ random: inout FuzzRandom) -> Bool {
        let value = random.interesting()
        let field = random.below(6)
        switch field {
        case 0: header.storeLittleEndian(UInt16(truncatingIfNeeded: value), at: 8)
        case 1: header.storeLittleEndian(UInt16(truncatingIfNeeded: value), at: 10)
        case 2: header.storeLittleEndian(UInt32(truncatingIfNeeded: value), at: 12)
        case 3: header.storeLittleEndian(value, at: 16)
        case 4: header.storeLittleEndian(UInt32(truncatingIfNeeded: value), at: 24)
        default: header[random.below(8)] = UInt8(truncatingIfNeeded: random.next())
        }
        // The header is written as it is: keep the other framing fields true.
        let length = sections.reduce(32) { $0 + 16 + $1.payload.count }
        if field != 3 { header.storeLittleEndian(UInt64(length), at: 16) }
        if field != 4 { header.storeLittleEndian(UInt32(sections.count), at: 24) }
        return true
    }
}
