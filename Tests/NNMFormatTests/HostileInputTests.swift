import Foundation
import Testing
@testable import NNMFormat

/// The reader against damaged and hostile bytes: it must throw a typed error (or, for damaged
/// ancillary data, warn) — never crash, hang or allocate beyond the limits.
@Suite struct HostileInputTests {
    static func samples() throws -> [(String, [UInt8])] {
        [("full", try Fixtures.full.encoded()), ("zlib", try VectorCatalog.compressible.encoded())]
    }

    @Test func truncationAtEveryOffsetIsAnError() throws {
        for (name, bytes) in try Self.samples() {
            for length in 0..<bytes.count {
                let code = errorCode { _ = try ModelFile(bytes: Array(bytes[0..<length])) }
                #expect(code != "no error" && !code.hasPrefix("foreign"), "\(name) cut at \(length): \(code)")
            }
        }
    }

    /// A mutated file must fail to read, fail full verification, or (never seen, but allowed)
    /// decode to exactly the same content.
    static func detectedOrHarmless(_ mutated: [UInt8], original: ModelFile) -> Bool {
        guard let model = try? ModelFile(bytes: mutated) else { return true }
        if (try? model.verify()) == nil { return true }
        return (try? sameContent(model, original)) == true
    }

    @Test func everySingleByteChangeIsDetectedOrHarmless() throws {
        for (name, bytes) in try Self.samples() {
            let original = try ModelFile(bytes: bytes)
            var undetected: [Int] = []
            for offset in 0..<bytes.count {
                var variants: [UInt8] = (0..<8).map { bytes[offset] ^ (1 << $0) }
                variants += [0x00, 0xFF]
                for v in variants where v != bytes[offset] {
                    var m = bytes
                    m[offset] = v
                    if !Self.detectedOrHarmless(m, original: original) { undetected.append(offset) }
                }
            }
            #expect(undetected.isEmpty, "\(name): undetected changes at offsets \(undetected.prefix(10))")
        }
    }

    @Test func shapeOf2To40ElementsIsRefusedFromTheTable() throws {
        let bytes = try #require(VectorTests.readFile(VectorTests.directory + "/shape-2-40-elements.nnm"))
        #expect(throws: NNMFormatError.self) { try ModelFile(bytes: bytes) }
        #expect(errorCode { _ = try ModelFile(bytes: bytes) } == "limitExceeded")
    }

    @Test func decompressionBombIsRefusedBeforeInflating() throws {
        let bytes = try VectorCatalog.bomb()
        #expect(bytes.count < 400)
        #expect(errorCode { _ = try ModelFile(bytes: bytes) } == "limitExceeded")
    }

    @Test func declaredSizesBeyondTheFileAreRefused() throws {
        let bytes = try VectorCatalog.minimal.encoded()
        var raw = RawFile(bytes)
        // A WGHT section that claims 1 GiB more than the file holds.
        var b = raw.assemble()
        let wghtAt = 32 + 16 + raw.sections[0].payload.count + 16 + raw.sections[1].payload.count
        putLE(1 << 30, &b, wghtAt + 4, 8)
        #expect(errorCode { _ = try ModelFile(bytes: b) } == "truncated")
        // A string length of 2^32-1 inside metadata.
        var full = RawFile(try Fixtures.full.encoded())
        let meta = try #require(full.index("meta"))
        full.sections[meta].payload.replaceSubrange(0..<4, with: [1, 0, 0, 0])
        full.sections[meta].payload.replaceSubrange(4..<6, with: [0xFF, 0xFF])
        let model = try ModelFile(bytes: full.assemble())
        #expect(model.metadata.isEmpty)
        guard case .droppedDamagedSection(let type, _, let error)? = model.readInfo?.warnings.first else {
            Issue.record("expected a dropped meta section"); return
        }
        #expect(type == .metadata && error.code == "limitExceeded")
        raw = RawFile(bytes)
        _ = raw
    }

    @Test func unknownAncillarySectionIsSkipped() throws {
        let path = VectorTests.directory + "/newer-minor-unknown-ancillary.nnm"
        let model = try ModelFile(contentsOf: path)
        #expect(model.version == FormatVersion(major: 1, minor: 1))
        #expect(model.readInfo?.warnings.contains(.skippedUnknownSection(type: .other(Array("xtRa".utf8)), offset: 220)) == true)
        #expect(try sameContent(model, VectorCatalog.minimal))
        _ = try model.verify()
    }

    @Test func unknownMajorVersionIsRefusedWithBothVersionsNamed() throws {
        var raw = RawFile(try VectorCatalog.minimal.encoded())
        raw.major = 2
        raw.minor = 3
        do {
            _ = try ModelFile(bytes: raw.assemble())
            Issue.record("a 2.3 file was accepted")
        } catch let error as NNMFormatError {
            #expect(error == .unsupportedVersion(major: 2, minor: 3))
            #expect(error.description.contains("2.3") && error.description.contains("1.x"))
        }
    }

    @Test func damagedHistoryStillLoadsTheModel() throws {
        let model = try ModelFile(contentsOf: VectorTests.directory + "/hist-crc.nnm")
        #expect(model.history == nil)
        #expect(model.dataset != nil && !model.metadata.isEmpty)
        #expect(try model.tensors[0].values().count == 10)
        #expect(errorCode { _ = try model.verify() } == "sectionChecksumMismatch")
    }

    @Test func impostorsAreNamed() throws {
        let cases: [([UInt8], String)] = [
            (Array("version https://git-lfs.github.com/spec/v1\n".utf8), "Git LFS"),
            ([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0], "zip"),
            ([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0], "gzip"),
            (Array("GGUF\u{3}\0\0\0\0".utf8), "GGUF"),
            ([0x93] + Array("NUMPY\u{1}\0v\0".utf8), "NumPy"),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], "PNG"),
            ([0x10, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":1}".utf8), "safetensors"),
        ]
        for (bytes, word) in cases {
            do { _ = try ModelFile(bytes: bytes); Issue.record("accepted \(word)") }
            catch let e as NNMFormatError { #expect(e.code == "notNNM" && e.description.contains(word), "\(e)") }
        }
    }

    @Test func writerRefusesInconsistentModels() throws {
        var broken = Fixtures.small
        broken.layers[2] = LayerRecord(kind: .linear, inputs: 4, outputs: 2)
        #expect(errorCode { _ = try broken.encoded() } == "inconsistentModel")
        var missing = Fixtures.small
        missing.tensors.removeLast()
        #expect(errorCode { _ = try missing.encoded() } == "inconsistentModel")
        var shaped = Fixtures.small
        shaped.tensors[0] = Tensor(name: "layers.0.weight", shape: [2, 5], values: [Float](repeating: 0, count: 10))
        #expect(errorCode { _ = try shaped.encoded() } == "inconsistentModel")
        var relu = Fixtures.small
        relu.layers[1] = LayerRecord(kind: .relu, inputs: 5, outputs: 4)
        #expect(errorCode { _ = try relu.encoded() } == "inconsistentModel")
    }
}

@Suite struct RandomMutationTests {
    /// Deterministic random damage: several bytes at once, and extreme integers (0, 2^32−1,
    /// 2^64−1) written at every offset — the values that make size arithmetic overflow.
    @Test func randomDamageNeverGoesUnnoticed() throws {
        let bytes = try Fixtures.full.encoded()
        let original = try ModelFile(bytes: bytes)
        var rng = Fixtures.LCG(state: 99)
        func random(_ n: Int) -> Int { Int((rng.next() + 1.7) / 3.4 * Float(n)) % n }
        for _ in 0..<3000 {
            var m = bytes
            for _ in 0...random(4) { m[random(m.count)] = UInt8(random(256)) }
            #expect(HostileInputTests.detectedOrHarmless(m, original: original))
        }
        for offset in 0..<(bytes.count - 8) {
            for (value, width) in [(UInt64(0xFFFF_FFFF), 4), (UInt64.max, 8), (0, 4), (0x8000_0000, 4)] {
                var m = bytes
                putLE(value, &m, offset, width)
                #expect(HostileInputTests.detectedOrHarmless(m, original: original), "offset \(offset)")
            }
        }
    }

    /// The same extreme values with every CRC recomputed, so that the parsers (not the
    /// checksums) must catch them: each table field of each section set to 0, 2^32−1, 2^64−1.
    @Test func extremeValuesBehindValidChecksumsAreRefusedOrHarmless() throws {
        let bytes = try Fixtures.full.encoded()
        let original = try ModelFile(bytes: bytes)
        let raw = RawFile(bytes)
        for s in raw.sections.indices where raw.sections[s].type != Array("TAIL".utf8) {
            let payload = raw.sections[s].payload
            for offset in 0..<max(0, payload.count - 3) {
                for (value, width) in [(UInt64(0xFFFF_FFFF), 4), (UInt64.max, min(8, payload.count - offset)), (0, 4), (1 << 20, 4)] {
                    var r = raw
                    putLE(value, &r.sections[s].payload, offset, width)
                    #expect(HostileInputTests.detectedOrHarmless(r.assemble(), original: original))
                }
            }
        }
    }

    /// A directory is the common wrong path: the error says "Is a directory", not a vague
    /// "not a regular file … Invalid argument".
    @Test func aDirectoryIsReportedAsOne() throws {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: NNMFormatError.io(path: directory, operation: "read", errno: EISDIR)) {
            try ModelFile(contentsOf: directory)
        }
    }
}
