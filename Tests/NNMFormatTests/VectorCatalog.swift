@testable import NNMFormat

/// Every file of `spec/vectors/`, built deterministically from code. `expect` is `valid`,
/// `read-error <code>` (reading must fail with that error) or `verify-error <code>` (reading
/// succeeds, full verification fails with that error).
struct Vector {
    var file: String
    var expect: String
    var note: String
    var bytes: [UInt8]
}

enum VectorCatalog {
    /// Linear 2→1 + Sigmoid: the worked example of the spec (§17).
    static var minimal: ModelFile {
        ModelFile(layers: [LayerRecord(kind: .linear, inputs: 2, outputs: 1), LayerRecord(kind: .sigmoid, inputs: 1, outputs: 1)],
                  tensors: [Tensor(name: "layers.0.weight", shape: [1, 2], values: [0.5, -0.25]),
                            Tensor(name: "layers.0.bias", shape: [1], values: [0.125])])
    }

    /// Weights on a coarse grid so that zlib pays even for small tensors.
    static var compressible: ModelFile {
        Fixtures.quantized(Fixtures.model([
            LayerRecord(kind: .standardize, inputs: 8, outputs: 8),
            LayerRecord(kind: .linear, inputs: 8, outputs: 32),
            LayerRecord(kind: .relu, inputs: 32, outputs: 32),
            LayerRecord(kind: .linear, inputs: 32, outputs: 4),
            LayerRecord(kind: .softmax, inputs: 4, outputs: 4),
        ], seed: 3), steps: 8)
    }

    /// A weight of 262 145 floats: two blocks (1 MiB + 4 bytes), highly compressible.
    static var multiBlock: ModelFile {
        let n = 262_145
        return ModelFile(layers: [LayerRecord(kind: .linear, inputs: 1, outputs: n), LayerRecord(kind: .relu, inputs: n, outputs: n)],
                         tensors: [Tensor(name: "layers.0.weight", shape: [n, 1], values: (0..<n).map { Float($0 / 65_536) * 0.25 }),
                                   Tensor(name: "layers.0.bias", shape: [n], values: (0..<n).map { Float($0 / 100_000) - 1 })])
    }

    static func build() throws -> [Vector] {
        var v: [Vector] = []
        func valid(_ file: String, _ note: String, _ bytes: [UInt8]) { v.append(Vector(file: file, expect: "valid", note: note, bytes: bytes)) }
        func bad(_ file: String, _ code: String, _ note: String, _ bytes: [UInt8], verify: Bool = false) {
            v.append(Vector(file: file, expect: (verify ? "verify-error " : "read-error ") + code, note: note, bytes: bytes))
        }

        // Valid files.
        let minimalBytes = try minimal.encoded()
        valid("minimal.nnm", "Linear 2->1 + Sigmoid, tensors stored raw (zlib would grow them); the spec's hex dump", minimalBytes)
        valid("every-kind-none.nnm", "all 8 layer kinds, codec none", try Fixtures.everyKind.encoded(options: WriteOptions(codec: .none)))
        valid("every-kind-default.nnm", "all 8 layer kinds, default options; every tensor is too small for zlib to pay, so the bytes equal every-kind-none (§13 fallback)", try Fixtures.everyKind.encoded())
        valid("zlib-shuffle.nnm", "codec zlib + shuffle4 filter", try compressible.encoded())
        valid("zlib-plain.nnm", "codec zlib without filter", try compressible.encoded(options: WriteOptions(codec: .zlib, shuffle: false)))
        valid("full.nnm", "metadata (every value type), history (with a NaN), dataset recipe", try Fixtures.full.encoded())
        valid("history-only.nnm", "history without metadata or recipe", try { var m = Fixtures.small; m.history = Fixtures.history; return try m.encoded() }())
        valid("multi-block.nnm", "a tensor of 262145 floats stored as two zlib blocks", try multiBlock.encoded())
        var newer = RawFile(minimalBytes)
        newer.minor = 1
        newer.sections.insert((Array("xtRa".utf8), Array("future ancillary data".utf8)), at: 2)
        try newer.recomputeDigest(tensors: minimal.tensors)
        valid("newer-minor-unknown-ancillary.nnm", "minor 1 with an unknown ancillary section 'xtRa' (skipped; covered by the digest)", newer.assemble())

        // Not .nnm at all.
        bad("empty.nnm", "notNNM", "empty file", [])
        bad("git-lfs-pointer.nnm", "notNNM", "a Git LFS pointer", Array("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n".utf8))
        bad("html.nnm", "notNNM", "an HTML error page", Array("<!DOCTYPE html><html><body>404</body></html>\n".utf8))
        bad("signature-crlf-to-lf.nnm", "transferDamaged", "CR LF converted to LF", Array(minimalBytes[0..<4]) + Array(minimalBytes[5...]))
        bad("signature-bit7-stripped.nnm", "transferDamaged", "bit 7 of byte 0 cleared", [0x0E] + Array(minimalBytes[1...]))
        bad("signature-only.nnm", "truncated", "only 5 bytes of the signature", Array(minimalBytes[0..<5]))
        bad("header-truncated.nnm", "truncated", "cut inside the header", Array(minimalBytes[0..<20]))

        // Header.
        var raw = RawFile(minimalBytes)
        raw.major = 2
        bad("major-2.nnm", "unsupportedVersion", "major version 2", raw.assemble())
        raw = RawFile(minimalBytes); raw.flags = 1
        bad("flags-set.nnm", "unsupportedFlags", "flags = 1", raw.assemble())
        var b = minimalBytes; b[10] ^= 0x01
        bad("header-crc.nnm", "headerChecksumMismatch", "minor changed, header CRC not updated", b)
        bad("truncated-body.nnm", "fileLengthMismatch", "cut in the middle", Array(minimalBytes[0..<(minimalBytes.count / 2)]))
        bad("appended-bytes.nnm", "fileLengthMismatch", "a PNG signature appended after TAIL", minimalBytes + [0x89, 0x50, 0x4E, 0x47])
        raw = RawFile(minimalBytes)
        bad("section-count.nnm", "sectionCountMismatch", "header says 5 sections, file has 4", raw.assemble(sectionCount: 5))
        bad("declared-length-huge.nnm", "limitExceeded", "file_length 2^40", raw.assemble(fileLength: 1 << 40))

        // Sections.
        bad("layr-crc.nnm", "sectionChecksumMismatch", "LAYR CRC wrong", raw.assemble(corruptCRCOf: "LAYR"))
        bad("tail-crc.nnm", "sectionChecksumMismatch", "TAIL CRC wrong", raw.assemble(corruptCRCOf: "TAIL"))
        bad("wght-crc.nnm", "sectionChecksumMismatch", "WGHT CRC wrong (tensors intact)", raw.assemble(corruptCRCOf: "WGHT"), verify: true)
        raw = RawFile(minimalBytes); raw.sections.insert((Array("XTRA".utf8), [1, 2, 3]), at: 2)
        bad("unknown-critical.nnm", "unknownCriticalSection", "critical section 'XTRA'", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections.insert((Array("x1ra".utf8), [1, 2, 3]), at: 2)
        bad("invalid-section-type.nnm", "invalidSectionType", "type 'x1ra' has a digit", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections.insert(raw.sections[1], at: 2)
        bad("duplicate-tens.nnm", "sectionOrder", "TENS twice", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections.removeLast()
        bad("missing-tail.nnm", "sectionOrder", "no TAIL", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections.swapAt(0, 1)
        bad("tens-before-layr.nnm", "sectionOrder", "TENS first", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections.insert((Array("xtra".utf8), []), at: 0)
        bad("ancillary-before-layr.nnm", "sectionOrder", "ancillary section before LAYR", raw.assemble())
        b = minimalBytes; putLE(UInt64.max, &b, 36, 8)
        bad("section-length-max.nnm", "truncated", "LAYR length 2^64-1", b)

        // Layer table.
        raw = RawFile(minimalBytes); putLE(99, &raw.sections[0].payload, 4, 2)
        bad("unknown-layer-kind.nnm", "unknownLayerKind", "layer 0 kind id 99", raw.assemble())
        raw = RawFile(minimalBytes); putLE(0xFFFF_FFFF, &raw.sections[0].payload, 0, 4)
        bad("layer-count-huge.nnm", "limitExceeded", "layer_count 2^32-1 (the limit is checked before the count-fits check)", raw.assemble())
        raw = RawFile(minimalBytes); putLE(3, &raw.sections[0].payload, 0, 4)
        bad("layer-count-beyond-payload.nnm", "truncated", "3 layers declared, 2 present", raw.assemble())
        raw = RawFile(minimalBytes); putLE(2, &raw.sections[0].payload, 4 + 12 + 8, 4); putLE(2, &raw.sections[0].payload, 4 + 12 + 4, 4)
        bad("broken-chain.nnm", "inconsistentModel", "Sigmoid 2->2 after Linear 2->1", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections[0].payload += [0]
        bad("layr-trailing-byte.nnm", "malformed", "one byte after the last layer", raw.assemble())

        // Tensor table: entry 0 of `minimal` starts at 4; its name is 2+15 bytes.
        let e0 = 4 + 17
        raw = RawFile(minimalBytes); raw.sections[1].payload[e0] = 2
        bad("dtype-unknown.nnm", "unsupportedTensorEncoding", "dtype 2", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections[1].payload[e0 + 2] = 7
        bad("codec-unknown.nnm", "unsupportedTensorEncoding", "codec 7", raw.assemble())
        raw = RawFile(minimalBytes); putLE(1 << 20, &raw.sections[1].payload, e0 + 4, 4); putLE(1 << 20, &raw.sections[1].payload, e0 + 8, 4)
        bad("shape-2-40-elements.nnm", "limitExceeded", "weight shape [2^20, 2^20] (2^40 elements; raw_length and the tensor set are then wrong too: rule 2f comes first)", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections[1].payload[e0 + 1] = 200
        bad("rank-huge.nnm", "limitExceeded", "rank 200 (checked before any dimension is read)", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections[1].payload[4 + 2] = 0xFF
        bad("name-invalid-utf8.nnm", "malformed", "tensor name with byte 0xFF (UTF-8, rule 2a, comes before the tensor-set rule)", raw.assemble())
        raw = RawFile(minimalBytes); raw.sections[1].payload[4 + 2 + 6] = 0x1B
        bad("name-mismatch.nnm", "inconsistentModel", "tensor name with an ESC byte instead of the canonical name", raw.assemble())
        raw = RawFile(minimalBytes); putLE(4, &raw.sections[1].payload, e0 + 12, 8)
        bad("offset-gap.nnm", "tensorLayout", "first tensor at offset 4 instead of 0", raw.assemble())
        let e1 = e0 + 4 + 8 + 8 + 8 + 8 + 4 + 4 + 4
        raw = RawFile(minimalBytes); putLE(0, &raw.sections[1].payload, e1 + 2 + 13 + 4 + 4, 8)
        bad("offset-overlap.nnm", "tensorLayout", "bias aliases the weight bytes (offset 0)", raw.assemble())
        raw = RawFile(minimalBytes); putLE(0xDEAD_BEEF, &raw.sections[1].payload, e0 + 12 + 24, 4)
        bad("tensor-crc.nnm", "tensorChecksumMismatch", "raw CRC of layers.0.weight wrong", raw.assemble(), verify: true)

        // Blobs (from the zlib vector; the WGHT CRC is recomputed so only the blob is wrong).
        let zBytes = try compressible.encoded()
        let zModel = try ModelFile(bytes: zBytes)
        let weightsStart = (zModel.readInfo?.sections.first { $0.type == .weights }?.offset ?? 0) + 12
        let zlibStart = zModel.tensors.compactMap { t -> Int? in
            if case .encoded(let blob) = t.storage, blob.codec == .zlib { return Int(blob.fileOffset) - weightsStart }
            return nil
        }.first ?? 0
        raw = RawFile(zBytes)
        let w = raw.index("WGHT") ?? 0
        raw.sections[w].payload[zlibStart + 10] ^= 0x55
        bad("zlib-corrupt.nnm", "blobCorrupt", "a byte inside the first zlib stream changed", raw.assemble(), verify: true)
        raw = RawFile(zBytes)
        raw.sections[w].payload[zlibStart] = 0x78; raw.sections[w].payload[zlibStart + 1] = 0xBB  // FDICT set, header check valid (0x78BB % 31 == 0)
        bad("zlib-fdict.nnm", "blobCorrupt", "zlib header asks for a preset dictionary", raw.assemble(), verify: true)
        raw = RawFile(zBytes)
        raw.sections[w].payload[zlibStart] = 0x88; raw.sections[w].payload[zlibStart + 1] = 0x1C  // CINFO 8, header check valid (0x881C % 31 == 0)
        bad("zlib-cinfo-8.nnm", "blobCorrupt", "zlib header declares a 64 KiB window (CINFO 8)", raw.assemble(), verify: true)
        // Bomb: a one-block tensor declares 1 MiB raw from 10 stored bytes.
        bad("bomb.nnm", "limitExceeded", "zlib block of 10 bytes declaring 1 MiB raw (the 20 WGHT bytes are junk: never read)", try bomb())

        // Damaged ancillary sections: the model loads (warning), verification fails.
        let fullBytes = try Fixtures.full.encoded()
        raw = RawFile(fullBytes)
        bad("hist-crc.nnm", "sectionChecksumMismatch", "history CRC wrong: dropped with a warning on read", raw.assemble(corruptCRCOf: "hist"), verify: true)
        raw = RawFile(fullBytes)
        if let m = raw.index("meta") {
            // Swap the first two entries' order by renaming the first key to sort after the second.
            raw.sections[m].payload[6] = 0x7A
        }
        try raw.recomputeDigest(tensors: Fixtures.full.tensors)
        bad("meta-unsorted.nnm", "malformed", "metadata keys out of order: dropped with a warning on read (digest recomputed)", raw.assemble(), verify: true)
        raw = RawFile(fullBytes)
        b = fullBytes; b[b.count - 10] ^= 0x01
        raw = RawFile(b)
        bad("digest-wrong.nnm", "digestMismatch", "TAIL digest changed, CRC recomputed", raw.assemble(), verify: true)
        return v + (try ruleVectors(minimalBytes: minimalBytes)) + (try trainingStateVectors()) + (try snapshotVectors()) + (try rescaleVectors())
    }

    static func bomb() throws -> [UInt8] {
        let n = 262_144
        let m = ModelFile(layers: [LayerRecord(kind: .linear, inputs: 1, outputs: n)],
                          tensors: [Tensor(name: "layers.0.weight", shape: [n, 1], values: [Float](repeating: 0, count: n)),
                                    Tensor(name: "layers.0.bias", shape: [n], values: [Float](repeating: 0, count: n))])
        var raw = RawFile(try m.encoded())
        // Rewrite both tensors' block lengths to 10 and WGHT to 20 bytes of junk.
        var t = raw.sections[1].payload
        var p = 4
        var offset: UInt64 = 0
        for _ in 0..<2 {
            let nameLength = Int(le(t, p, 2))
            let rank = Int(t[p + 2 + nameLength + 1])
            let fields = p + 2 + nameLength + 4 + 4 * rank
            putLE(offset, &t, fields, 8)
            putLE(10, &t, fields + 8, 8)
            putLE(10, &t, fields + 8 + 8 + 8 + 4 + 4, 4)
            offset += 10
            p = fields + 8 + 8 + 8 + 4 + 4 + 4
        }
        raw.sections[1].payload = t
        raw.sections[raw.index("WGHT") ?? 2].payload = [0x78, 0x01] + [UInt8](repeating: 0, count: 18)
        return raw.assemble()
    }
}
