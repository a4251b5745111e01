/// Fresh `meta`, `hist` and `rcpe` payloads (§8–§10), mostly valid, with the edge cases the
/// rules name: unsorted, duplicate and canonically equivalent keys, bool values ∉ {0, 1},
/// invalid UTF-8, counts at and beyond the limits, fractions that do not leave data to train on.
enum AncillaryBuilder {
    /// Keys and names, including canonically equivalent pairs (é, Å / Ångström sign, Hangul)
    /// and code points assigned only in recent Unicode versions.
    static let names: [String] = [
        "a", "b", "train_loss", "val_loss", "train.lr", "eval.test_accuracy", "nnm.producer",
        "data.class_names.0", "data.class_names.1", "e\u{301}", "\u{E9}", "A\u{30A}", "\u{C5}", "\u{212B}",
        "\u{1100}\u{1161}", "\u{AC00}", "\u{16D67}\u{16D67}", "\u{16D68}", "\u{1F600}", "x",
    ]

    static func string(_ random: inout FuzzRandom) -> [UInt8] {
        switch random.below(8) {
        case 0: return [0xFF]
        case 1: return [0xED, 0xA0, 0x80]  // a surrogate
        case 2: return [0xC0, 0x80]        // overlong NUL
        case 3: return []
        default: return Array(random.pick(names).utf8)
        }
    }

    static func kvlist(_ random: inout FuzzRandom) -> [UInt8] {
        var keys = (0..<random.pick([0, 1, 1, 2, 2, 3, 4])).map { _ in string(&random) }
        if random.chance(3, in: 4) { keys.sort { $0.lexicographicallyPrecedes($1) } }
        var out: [UInt8] = []
        out.appendLittleEndian(random.chance(1, in: 8) ? UInt32(truncatingIfNeeded: random.interesting()) : UInt32(keys.count))
        for key in keys {
            out.appendLittleEndian(UInt16(truncatingIfNeeded: key.count))
            out += key
            let type = UInt8(random.pick([1, 1, 2, 3, 4, 5, 6, 0, 7]))
            out.append(type)
            switch type {
            case 1: out.append(random.pick([0, 1, 2]))
            case 2, 3: out.appendLittleEndian(random.chance(1, in: 2) ? random.next() : UInt64(random.floatBits()) << 32)
            case 4:
                let text = string(&random)
                out.appendLittleEndian(random.chance(1, in: 8) ? UInt32(truncatingIfNeeded: random.interesting()) : UInt32(text.count))
                out += text
            case 5, 6:
                let count = random.below(4)
                out.appendLittleEndian(random.chance(1, in: 8) ? UInt32(truncatingIfNeeded: random.interesting()) : UInt32(count))
                for _ in 0..<count { out.appendLittleEndian(random.next()) }
            default: break
            }
        }
        return out
    }

    static func history(_ random: inout FuzzRandom) -> [UInt8] {
        let series = random.pick([0, 1, 1, 2, 3])
        let epochs = random.pick([0, 1, 2, 5])
        var out: [UInt8] = []
        out.appendLittleEndian(random.chance(1, in: 8) ? UInt32(truncatingIfNeeded: random.interesting()) : UInt32(series))
        out.appendLittleEndian(random.chance(1, in: 8) ? UInt32(truncatingIfNeeded: random.interesting()) : UInt32(epochs))
        for _ in 0..<series {
            let name = string(&random)
            out.appendLittleEndian(UInt16(truncatingIfNeeded: name.count))
            out += name
        }
        for _ in 0..<(series * epochs) { out.appendLittleEndian(random.floatBits()) }
        return out
    }

    static func recipe(_ random: inout FuzzRandom) -> [UInt8] {
        var out: [UInt8] = []
        let generator = random.chance(1, in: 8) ? string(&random)
            : Array(random.pick(["circles", "moons", "xor", "spiral", "blobs", "csv", "idx", "digits"]).utf8)
        out.appendLittleEndian(UInt16(truncatingIfNeeded: generator.count))
        out += generator
        out.appendLittleEndian(random.next())
        let fractions: [Double] = [0, 0.1, 0.2, 0.5, 0.75, 1, -0.0, -0.1, .infinity, .nan, 0.9999999999999999]
        out.appendLittleEndian(random.pick(fractions).bitPattern)
        out.appendLittleEndian(random.pick(fractions).bitPattern)
        return out + kvlist(&random)
    }
}

extension NNMImage {
    /// Replaces (or inserts, at its canonical place before WGHT) a freshly built ancillary section.
    mutating func replaceAncillarySection(_ random: inout FuzzRandom) -> Bool {
        let type = random.pick(["meta", "hist", "rcpe"])
        var payload: [UInt8]
        switch type {
        case "meta": payload = AncillaryBuilder.kvlist(&random)
        case "hist": payload = AncillaryBuilder.history(&random)
        default: payload = AncillaryBuilder.recipe(&random)
        }
        if random.chance(1, in: 8), !payload.isEmpty { payload.removeLast(random.below(payload.count) + 1) }
        let section = Section(type: Array(type.utf8), payload: payload)
        if let existing = index(of: type) {
            sections[existing] = section
            return true
        }
        let stage = ["meta": 2, "hist": 3, "rcpe": 4][type] ?? 2
        let order = ["LAYR": 0, "TENS": 1, "meta": 2, "hist": 3, "rcpe": 4, "WGHT": 5, "TAIL": 6]
        let at = sections.firstIndex { (order[$0.typeName] ?? 5) > stage } ?? sections.count
        sections.insert(section, at: at)
        return true
    }
}
