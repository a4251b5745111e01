import NNMFiles
import Testing
import Glibc
@testable import NNMFormat

@Suite struct RoundTripTests {
    static let optionSets: [WriteOptions] = [
        WriteOptions(codec: .zlib, shuffle: true), WriteOptions(codec: .zlib, shuffle: false), WriteOptions(codec: .none),
    ]

    @Test(arguments: optionSets)
    func everyLayerKindRoundTrips(options: WriteOptions) throws {
        let model = Fixtures.everyKind
        let bytes = try model.encoded(options: options)
        let back = try ModelFile(bytes: bytes)
        #expect(try sameContent(model, back))
        #expect(try back.encoded(options: options) == bytes)
        let report = try back.verify()
        #expect(report.digest == back.readInfo?.storedDigest)
    }

    @Test func fullModelRoundTripsWithAncillarySections() throws {
        let model = Fixtures.full
        let bytes = try model.encoded()
        let back = try ModelFile(bytes: bytes)
        #expect(back.readInfo?.warnings == [])
        #expect(try sameContent(model, back))
        #expect(try back.encoded() == bytes)
        _ = try back.verify()
    }

    @Test func digestIsIndependentOfCodec() throws {
        let model = Fixtures.full
        let digests = try Self.optionSets.map { try ModelFile(bytes: model.encoded(options: $0)).verify().digest }
        #expect(Set(digests.map(hexString)).count == 1)
        #expect(try model.contentDigest() == digests[0])
    }

    @Test func multiBlockTensorRoundTrips() throws {
        let model = Fixtures.multiBlock
        let bytes = try model.encoded()
        let back = try ModelFile(bytes: bytes)
        guard case .encoded(let blob) = back.tensors[0].storage else { Issue.record("not lazy"); return }
        #expect(blob.blockStoredLengths.count == 2)
        #expect(blob.codec == .zlib && blob.filter == .shuffle4)
        #expect(try sameContent(model, back))
        #expect(try back.encoded() == bytes)
    }

    @Test func floatSpecialsRoundTripBitExactly() throws {
        var model = Fixtures.small
        let specials: [Float] = [.nan, -.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude,
                                 Float(bitPattern: 0x7FA0_0001), .greatestFiniteMagnitude, 0, 1]
        model.tensors[0] = Tensor(name: "layers.0.weight", shape: [5, 2], values: specials)
        for options in Self.optionSets {
            let back = try ModelFile(bytes: model.encoded(options: options))
            #expect(try back.tensors[0].values().map(\.bitPattern) == specials.map(\.bitPattern))
        }
    }

    @Test func pathReadIsLazyAndWriteIsAtomic() throws {
        let dir = "/tmp/nnm-format-tests-\(getpid())"
        mkdir(dir, 0o755)
        let path = dir + "/m.nnm"
        try Fixtures.full.write(to: path)
        try Fixtures.full.write(to: path)   // overwrite keeps a valid file
        let back = try ModelFile(contentsOf: path)
        guard case .encoded = back.tensors[0].storage else { Issue.record("not lazy"); return }
        #expect(try sameContent(Fixtures.full, back))
        _ = try back.verify()
        #expect(try ReadOnlyFile(path: path).readAll() == Fixtures.full.encoded())
        unlink(path)
        rmdir(dir)
    }
}

@Suite struct DeterminismTests {
    /// Blocks compressed in parallel must equal blocks compressed one after the other.
    @Test func parallelBlocksEqualSerialCompression() throws {
        let model = Fixtures.multiBlock
        let back = try ModelFile(bytes: model.encoded())
        guard case .encoded(let blob) = back.tensors[0].storage else { Issue.record("not lazy"); return }
        let values = try model.tensors[0].values()
        let serial: [[UInt8]] = try values.withUnsafeBytes { raw in
            try stride(from: 0, to: raw.count, by: NNMConstants.blockRawLength).map { start in
                let block = UnsafeRawBufferPointer(rebasing: raw[start..<min(raw.count, start + NNMConstants.blockRawLength)])
                var shuffled = [UInt8](repeating: 0, count: block.count)
                shuffled.withUnsafeMutableBytes { Shuffle4.shuffle(block, into: $0) }
                return try shuffled.withUnsafeBytes { try ZlibBlock.deflate($0) }
            }
        }
        #expect(serial.map { UInt32($0.count) } == blob.blockStoredLengths)
        let bytes = try model.encoded()
        let start = Int(blob.fileOffset)
        #expect(Array(bytes[start..<(start + serial.reduce(0) { $0 + $1.count })]) == serial.flatMap { $0 })
    }

    @Test func sameModelGivesSameBytesAndMetadataOrderDoesNotMatter() throws {
        var a = Fixtures.full
        var b = Fixtures.full
        a.metadata = ["b": .int(1), "a": .int(2), "é": .bool(false), "Z": .string("z")]
        b.metadata = ["Z": .string("z"), "é": .bool(false), "a": .int(2), "b": .int(1)]
        #expect(try a.encoded() == b.encoded())
        #expect(try Fixtures.everyKind.encoded() == Fixtures.everyKind.encoded())
    }
}

@Suite struct EdgeCaseTests {
    @Test func modelWithoutTensorsAndEmptyHistoryRoundTrips() throws {
        var model = ModelFile(layers: [LayerRecord(kind: .softmax, inputs: 3, outputs: 3)], tensors: [])
        model.history = TrainingHistory(series: [HistorySeries(name: "train_loss", values: [])])
        model.dataset = DatasetRecipe(generator: "xor", parameters: [:], seed: .max, validationFraction: 0, testFraction: 0)
        let bytes = try model.encoded()
        let back = try ModelFile(bytes: bytes)
        #expect(back.tensors.isEmpty && back.history?.epochCount == 0 && back.dataset?.seed == .max)
        #expect(try back.encoded() == bytes)
        _ = try back.verify()
    }

    @Test func aModelWithoutLayersIsRefused() {
        #expect(errorCode { _ = try ModelFile(layers: [], tensors: []).encoded() } == "inconsistentModel")
    }

    @Test func verifyNeedsAFile() {
        #expect(errorCode { _ = try Fixtures.small.verify() } == "inconsistentModel")
    }

    @Test func readingADirectoryOrMissingFileIsAnIOError() {
        #expect(errorCode { _ = try ModelFile(contentsOf: "/tmp") } == "io")
        #expect(errorCode { _ = try ModelFile(contentsOf: "/nonexistent/x.nnm") } == "io")
    }
}
