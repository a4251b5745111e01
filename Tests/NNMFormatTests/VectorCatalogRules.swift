@testable import NNMFormat

/// Vectors for the rules the independent reader's review found untested (spec §3–§14):
/// impostors, transfer damage, codec-none rules, exact inflation, zero values, canonical forms.
extension VectorCatalog {
    /// Where the fields of one TENS entry start inside the TENS payload.
    struct EntryFields {
        var start: Int, filter: Int, dims: Int, offset: Int, stored: Int, raw: Int, blocks: Int, end: Int
    }

    /// Walks a trusted (canonical) TENS payload.
    static func entries(_ payload: [UInt8]) -> [EntryFields] {
        var out: [EntryFields] = []
        var p = 4
        for _ in 0..<Int(le(payload, 0, 4)) {
            let n = Int(le(payload, p, 2))
            let rank = Int(payload[p + 2 + n + 1])
            let dims = p + 2 + n + 4
            let offset = dims + 4 * rank
            let blockCount = Int(le(payload, offset + 28, 4))
            let end = offset + 32 + 4 * blockCount
            out.append(EntryFields(start: p, filter: p + 2 + n + 3, dims: dims, offset: offset, stored: offset + 8,
                                   raw: offset + 16, blocks: offset + 32, end: end))
            p = end
        }
        return out
    }

    /// Replaces the single stored block of tensor `index` by `block`, fixing its block length,
    /// stored length, the offsets after it and the WGHT payload, so that only the block is wrong.
    static func replacingBlock(of file: [UInt8], tensor index: Int, with block: [UInt8]) -> [UInt8] {
        var raw = RawFile(file)
        guard let t = raw.index("TENS"), let w = raw.index("WGHT") else { return file }
        var table = raw.sections[t].payload
        let fields = entries(table)
        let oldStart = Int(le(table, fields[index].offset, 8))
        let oldLength = Int(le(table, fields[index].stored, 8))
        putLE(UInt64(block.count), &table, fields[index].stored, 8)
        putLE(UInt64(block.count), &table, fields[index].blocks, 4)
        for later in fields[(index + 1)...] {
            putLE(le(table, later.offset, 8) + UInt64(block.count) - UInt64(oldLength), &table, later.offset, 8)
        }
        raw.sections[t].payload = table
        raw.sections[w].payload.replaceSubrange(oldStart..<(oldStart + oldLength), with: block)
        return raw.assemble()
    }

    /// Every v1 layer kind with tensors large and regular enough that zlib pays under the default options.
    static var everyKindCompressible: ModelFile {
        Fixtures.quantized(Fixtures.model(Fixtures.everyKindLayers(inputs: 16, hidden: 32, classes: 3), seed: 5), steps: 4)
    }

    static func ruleVectors(minimalBytes: [UInt8]) throws -> [Vector] {
        var v: [Vector] = []
        func valid(_ file: String, _ note: String, _ bytes: [UInt8]) { v.append(Vector(file: file, expect: "valid", note: note, bytes: bytes)) }
        func bad(_ file: String, _ code: String, _ note: String, _ bytes: [UInt8], verify: Bool = false) {
            v.append(Vector(file: file, expect: (verify ? "verify-error " : "read-error ") + code, note: note, bytes: bytes))
        }

        // Valid: a model whose layers own no tensors; every kind with real compression.
        let tensorless = ModelFile(layers: [LayerRecord(kind: .relu, inputs: 3, outputs: 3)], tensors: [])
        valid("zero-tensors.nnm", "one ReLU layer: tensor_count 0, empty WGHT payload", try tensorless.encoded())
        valid("every-kind-zlib.nnm", "all 8 layer kinds, default options, tensors really compressed (zlib + shuffle4)",
              try everyKindCompressible.encoded())

        // Signature.
        var crlf: [UInt8] = []
        for byte in minimalBytes { if byte == 0x0A { crlf.append(0x0D) }; crlf.append(byte) }
        bad("signature-lf-to-crlf.nnm", "transferDamaged", "every LF converted to CR LF", crlf)
        bad("zip.nnm", "notNNM", "a zip archive", [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40))
        bad("gzip.nnm", "notNNM", "gzip data", [0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0, count: 40))
        bad("png.nnm", "notNNM", "a PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 40))
        bad("signature-short-damaged.nnm", "notNNM", "7 bytes: the CR LF -> LF damaged signature (short files are never transferDamaged)",
            [0x8E, 0x4E, 0x4E, 0x4D, 0x0A, 0x1A, 0x0A])

        // Sections.
        var raw = RawFile(minimalBytes)
        raw.sections.insert((Array("XTRA".utf8), [1, 2, 3]), at: 0)
        bad("unknown-critical-first.nnm", "unknownCriticalSection", "critical section 'XTRA' before LAYR (unknownCriticalSection wins over order)", raw.assemble())
        raw = RawFile(minimalBytes)
        for _ in 0..<61 { raw.sections.insert((Array("xtRa".utf8), []), at: 2) }
        bad("sections-65.nnm", "limitExceeded", "65 sections (61 empty ancillary); header says 64 (the walk stops at the 65th)", raw.assemble(sectionCount: 64))
        raw = RawFile(minimalBytes)
        if let t = raw.index("TAIL") { raw.sections[t].payload.removeLast() }
        bad("tail-31-bytes.nnm", "malformed", "TAIL payload of 31 bytes", raw.assemble())

        // Layers.
        raw = RawFile(minimalBytes)
        putLE(0, &raw.sections[0].payload, 4 + 12 + 4, 4); putLE(0, &raw.sections[0].payload, 4 + 12 + 8, 4)
        bad("width-0.nnm", "malformed", "Sigmoid layer 0 -> 0 (a width of 0 is malformed while parsing, before the chain rule)", raw.assemble())
        let leaky = ModelFile(layers: [LayerRecord(kind: .leakyReLU(slope: 0.5), inputs: 2, outputs: 2)], tensors: [])
        raw = RawFile(try leaky.encoded())
        putLE(UInt64(Float.infinity.bitPattern), &raw.sections[0].payload, 4 + 12, 4)
        bad("leaky-slope-infinite.nnm", "inconsistentModel", "LeakyReLU slope +infinity", raw.assemble())

        // Tensor table.
        raw = RawFile(minimalBytes)
        let e = entries(raw.sections[1].payload)
        raw.sections[1].payload[e[0].filter] = 1
        bad("none-with-shuffle.nnm", "malformed", "codec none with filter shuffle4", raw.assemble())
        raw = RawFile(minimalBytes)
        putLE(12, &raw.sections[1].payload, e[0].blocks, 4); putLE(12, &raw.sections[1].payload, e[0].stored, 8)
        bad("none-block-length.nnm", "malformed", "codec none block length 12 for 8 raw bytes (stored_length matches it; tiling then breaks too: rule 2j comes first)", raw.assemble())
        raw = RawFile(minimalBytes)
        raw.sections[1].payload = [1, 0, 0, 0] + Array(raw.sections[1].payload[e[0].start..<e[0].end])
        if let w = raw.index("WGHT") { raw.sections[w].payload.removeLast(4) }
        bad("tensor-count-1.nnm", "inconsistentModel", "Linear owns 2 tensors, the table lists 1 (WGHT shortened to match)", raw.assemble())
        bad("total-raw-2-30.nnm", "limitExceeded", "Linear 16384 -> 16384: 2^30 weight bytes plus the bias exceed 2^30 in total (WGHT does not tile: rule 2h comes first)", try totalRawVector())

        // Exact inflation (zlib without filter, so the stored block is zlib of the raw bytes).
        let plain = try compressible.encoded(options: WriteOptions(codec: .zlib, shuffle: false))
        let plainModel = try ModelFile(bytes: plain)
        guard let index = plainModel.tensors.firstIndex(where: { if case .encoded(let b) = $0.storage { b.codec == .zlib } else { false } })
        else { return v }
        let rawBytes = try plainModel.tensors[index].values().withUnsafeBytes { Array($0) }
        let short = try Array(rawBytes.dropLast(4)).withUnsafeBytes { try ZlibBlock.deflate($0) }
        let long = try (rawBytes + [0, 0, 0, 0]).withUnsafeBytes { try ZlibBlock.deflate($0) }
        let exact = try rawBytes.withUnsafeBytes { try ZlibBlock.deflate($0) }
        bad("zlib-too-short.nnm", "blobCorrupt", "a zlib block inflating to 4 bytes fewer than its raw length", replacingBlock(of: plain, tensor: index, with: short), verify: true)
        bad("zlib-too-long.nnm", "blobCorrupt", "a zlib block inflating to 4 bytes more than its raw length", replacingBlock(of: plain, tensor: index, with: long), verify: true)
        bad("zlib-trailing.nnm", "blobCorrupt", "one byte after the end of the zlib stream, inside the block", replacingBlock(of: plain, tensor: index, with: exact + [0]), verify: true)
        var adler = exact
        adler[adler.count - 1] ^= 0x01
        bad("zlib-adler.nnm", "blobCorrupt", "Adler-32 trailer of a zlib block wrong", replacingBlock(of: plain, tensor: index, with: adler), verify: true)

        // Ancillary sections: dropped on read, the cause reported by verification.
        var meta = Fixtures.small
        meta.metadata = ["a": .bool(true), "b": .string("ok")]
        let metaBytes = try meta.encoded()
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") { raw.sections[m].payload[4 + 2 + 1 + 1] = 2 }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-bool-2.nnm", "malformed", "bool value 2", raw.assemble(), verify: true)
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") { raw.sections[m].payload[4 + 2 + 1 + 1 + 1 + 2 + 1 + 1 + 4] = 0xFF }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-invalid-utf8.nnm", "malformed", "string value with byte 0xFF", raw.assemble(), verify: true)
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") { raw.sections[m].payload = [0, 0, 0, 0] }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-empty.nnm", "malformed", "meta with 0 entries (canonical: no meta section)", raw.assemble(), verify: true)
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") {
            // "e" + U+0301 (65 CC 81) sorts before U+00E9 (C3 A9) bytewise; the two are canonically equivalent.
            var w = ByteWriter()
            w.u32(2)
            for key in [[0x65, 0xCC, 0x81], [0xC3, 0xA9]] as [[UInt8]] { w.u16(UInt16(key.count)); w.raw(key); w.u8(2); w.u64(1) }
            raw.sections[m].payload = w.bytes
        }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-equivalent-keys.nnm", "malformed", "keys 'e\\u0301' and '\\u00e9' (canonically equivalent)", raw.assemble(), verify: true)
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") {
            // Kirat Rai: U+16D68 decomposes to U+16D67 U+16D67 since Unicode 16.0, so the two keys are
            // equivalent under the spec's Unicode 17.0 (and distinct to a reader with older data).
            var w = ByteWriter()
            w.u32(2)
            for key in [[0xF0, 0x96, 0xB5, 0xA7, 0xF0, 0x96, 0xB5, 0xA7], [0xF0, 0x96, 0xB5, 0xA8]] as [[UInt8]] {
                w.u16(UInt16(key.count)); w.raw(key); w.u8(2); w.u64(1)
            }
            raw.sections[m].payload = w.bytes
        }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-kirat-rai-equivalent.nnm", "malformed", "keys U+16D67 U+16D67 and U+16D68: canonically equivalent in Unicode 17.0, not in 14.0 (§8 pins 17.0)", raw.assemble(), verify: true)
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") { putLE(4097, &raw.sections[m].payload, 0, 4) }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-4097-entries.nnm", "limitExceeded", "entry_count 4097 in the ancillary meta: dropped on read", raw.assemble(), verify: true)
        var hist = Fixtures.small
        hist.history = TrainingHistory(series: [HistorySeries(name: "loss_a", values: [1, 2]), HistorySeries(name: "loss_b", values: [3, 4])])
        let histBytes = try hist.encoded()
        raw = RawFile(histBytes)
        if let h = raw.index("hist") { raw.sections[h].payload[8 + 8 + 2 + 5] = UInt8(ascii: "a") }
        try raw.recomputeDigest(tensors: hist.tensors)
        bad("hist-duplicate-name.nnm", "malformed", "history series 'loss_a' twice", raw.assemble(), verify: true)
        raw = RawFile(histBytes)
        if let h = raw.index("hist") { raw.sections[h].payload = [0, 0, 0, 0, 0, 0, 0, 0] }
        try raw.recomputeDigest(tensors: hist.tensors)
        bad("hist-no-series.nnm", "malformed", "hist with 0 series (canonical: no hist section)", raw.assemble(), verify: true)
        raw = RawFile(try Fixtures.full.encoded())
        if let m = raw.index("meta") { raw.sections[m].payload[6] = 0x7A }
        try raw.recomputeDigest(tensors: Fixtures.full.tensors)
        bad("two-dropped.nnm", "malformed", "meta keys unsorted and hist CRC wrong: verification reports the first dropped section in file order",
            raw.assemble(corruptCRCOf: "hist"), verify: true)
        var recipe = Fixtures.small
        recipe.dataset = DatasetRecipe(generator: "xor", parameters: [:], seed: 1, validationFraction: 0.5, testFraction: 0.25)
        raw = RawFile(try recipe.encoded())
        if let r = raw.index("rcpe") { putLE(Double(0.75).bitPattern, &raw.sections[r].payload, 2 + 3 + 8 + 8, 8) }
        try raw.recomputeDigest(tensors: recipe.tensors)
        bad("rcpe-fractions.nnm", "malformed", "validation 0.5 + test 0.75 >= 1", raw.assemble(), verify: true)
        return v + (try shortPayloadVectors(minimalBytes: minimalBytes, metaBytes: metaBytes, meta: meta,
                                            histBytes: histBytes, hist: hist, recipe: recipe))
    }

    /// Vectors the spec's text implies (§5, §12 "payloads too short for their first field", §3
    /// impostors): each breaks one rule a reader could otherwise get subtly wrong.
    static func shortPayloadVectors(minimalBytes: [UInt8], metaBytes: [UInt8], meta: ModelFile,
                                    histBytes: [UInt8], hist: ModelFile, recipe: ModelFile) throws -> [Vector] {
        var v: [Vector] = []
        func bad(_ file: String, _ code: String, _ note: String, _ bytes: [UInt8], verify: Bool = false) {
            v.append(Vector(file: file, expect: (verify ? "verify-error " : "read-error ") + code, note: note, bytes: bytes))
        }
        var raw = RawFile(minimalBytes)
        raw.sections[0].payload = [1, 0, 0]
        bad("layr-3-bytes.nnm", "truncated", "LAYR payload of 3 bytes: layer_count cannot be read (truncated, not malformed)", raw.assemble())
        raw = RawFile(minimalBytes)
        raw.sections[1].payload = [2, 0, 0]
        bad("tens-3-bytes.nnm", "truncated", "TENS payload of 3 bytes: tensor_count cannot be read", raw.assemble())
        raw = RawFile(metaBytes)
        if let m = raw.index("meta") { raw.sections[m].payload = [] }
        try raw.recomputeDigest(tensors: meta.tensors)
        bad("meta-empty-payload.nnm", "truncated", "meta payload of 0 bytes: entry_count needs its 4 bytes (truncated, not malformed)", raw.assemble(), verify: true)
        raw = RawFile(histBytes)
        if let h = raw.index("hist") { raw.sections[h].payload = [2, 0, 0, 0] }
        try raw.recomputeDigest(tensors: hist.tensors)
        bad("hist-4-bytes.nnm", "truncated", "hist payload of 4 bytes: both counts are read before either is checked", raw.assemble(), verify: true)
        raw = RawFile(try recipe.encoded())
        if let r = raw.index("rcpe") { raw.sections[r].payload = [3] }
        try raw.recomputeDigest(tensors: recipe.tensors)
        bad("rcpe-1-byte.nnm", "truncated", "rcpe payload of 1 byte: the generator name's length cannot be read", raw.assemble(), verify: true)
        raw = RawFile(minimalBytes)
        raw.minor = 1
        raw.sections.insert((Array("xtRa".utf8), Array("future ancillary data".utf8)), at: 2)
        try raw.recomputeDigest(tensors: VectorCatalog.minimal.tensors)
        bad("unknown-ancillary-crc.nnm", "sectionChecksumMismatch", "an unknown ancillary section 'xtRa' with a wrong CRC: skipped on read, reported by verification", raw.assemble(corruptCRCOf: "xtRa"), verify: true)
        let header = Array("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)
        var safetensors: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { safetensors += $0 }
        bad("safetensors.nnm", "notNNM", "a safetensors file (u64 header length, then '{')", safetensors + header + [0, 0, 0x80, 0x3F])
        bad("json.nnm", "notNNM", "a JSON document", Array("{\"layers\": []}\n".utf8))
        return v
    }

    /// Linear 16384 → 16384: the weight alone is 2^30 raw bytes (at the limit); with the bias the
    /// total exceeds 2^30. Only the table is real: the check fires before any blob is looked at.
    static func totalRawVector() throws -> [UInt8] {
        let n = 16_384
        var w = ByteWriter()
        w.u32(2)
        var offset: UInt64 = 0
        for (name, shape) in [("layers.0.weight", [n, n]), ("layers.0.bias", [n])] {
            let rawLength = UInt64(shape.reduce(1, *)) * 4
            let blocks = Int((rawLength + 1_048_575) / 1_048_576)
            w.shortString(name)
            w.u8(1); w.u8(UInt8(shape.count)); w.u8(1); w.u8(1)
            for d in shape { w.u32(UInt32(d)) }
            w.u64(offset)
            w.u64(UInt64(blocks) * 1024)
            w.u64(rawLength)
            w.u32(0)
            w.u32(UInt32(blocks))
            for _ in 0..<blocks { w.u32(1024) }
            offset += UInt64(blocks) * 1024
        }
        var raw = RawFile(try minimal.encoded())
        putLE(1, &raw.sections[0].payload, 0, 4)
        raw.sections[0].payload = Array(raw.sections[0].payload[0..<16])
        putLE(UInt64(n), &raw.sections[0].payload, 8, 4); putLE(UInt64(n), &raw.sections[0].payload, 12, 4)
        raw.sections[1].payload = w.bytes
        return raw.assemble()
    }
}
