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
        #expect(try FileIO.readAll(path) == Fixtures.full.encoded())
        unlink(path)
        rmdir(dir)
    }
}
