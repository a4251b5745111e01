import Testing
@testable import NNMFormat

/// The `snap` section (spec §10b): it round-trips bit for bit, makes the file 1.1 only when
/// present, and the writer refuses snapshots every reader would drop.
@Suite struct WeightSnapshotTests {
    static let values: [[Float]] = [[0.5, -0.25, 0.125], [-0.0, 1e-40, -3], [7, 8, 9]]

    static func model(_ epochs: [Int]?) -> ModelFile {
        var model = VectorCatalog.minimal
        model.weightSnapshots = epochs.map { WeightSnapshots(zip($0, values).map { .init(epoch: $0, values: $1) }) }
        return model
    }

    @Test func snapshotsRoundTripBitForBit() throws {
        let written = try Self.model([1, 5, 300]).encoded()
        let read = try ModelFile(bytes: written)
        #expect(read.version == FormatVersion(major: 1, minor: 1))
        #expect(read.weightSnapshots?.epochs == [1, 5, 300])
        let bits = read.weightSnapshots?.snapshots.map { $0.values.map(\.bitPattern) }
        #expect(bits == Self.values.map { $0.map(\.bitPattern) })
        #expect(read.readInfo?.warnings.isEmpty == true)
        #expect(try read.encoded() == written)
        // As tensors shaped like the file's, for a network per snapshot.
        let tensors = read.snapshotTensors()
        #expect(tensors.map(\.epoch) == [1, 5, 300])
        #expect(try tensors[2].tensors.map { try $0.values() } == [[7, 8], [9]])
        #expect(tensors[2].tensors.map(\.shape) == [[1, 2], [1]])
    }

    @Test func aFileWithoutSnapshotsKeepsItsVersionAndBytes() throws {
        let plain = try Self.model(nil).encoded()
        #expect(try ModelFile(bytes: plain).version == FormatVersion.v1_0)
        #expect(try ModelFile(bytes: plain).weightSnapshots == nil)
        #expect(plain == (try VectorCatalog.minimal.encoded()))
    }

    @Test func theWriterRefusesSnapshotsAReaderWouldDrop() {
        var wrongSize = Self.model([1, 2, 3])
        wrongSize.weightSnapshots?.snapshots[1].values.removeLast()
        var notIncreasing = Self.model([1, 4, 4])
        var nonFinite = Self.model([1, 2, 3])
        nonFinite.weightSnapshots?.snapshots[0].values[0] = .infinity
        let empty = { var m = Self.model([]); m.weightSnapshots = WeightSnapshots([]); return m }()
        var tooMany = VectorCatalog.minimal
        tooMany.weightSnapshots = WeightSnapshots((1...65).map { .init(epoch: $0, values: [0, 0, 0]) })
        notIncreasing.weightSnapshots?.snapshots[0].epoch = 0
        for model in [wrongSize, notIncreasing, nonFinite, empty, tooMany] {
            #expect(throws: NNMFormatError.self) { _ = try model.encoded() }
        }
    }

    @Test func aDamagedSectionIsDroppedAndTheModelStillReads() throws {
        var raw = RawFile(try Self.model([1, 2]).encoded())
        guard let s = raw.index("snap") else { Issue.record("no snap section"); return }
        raw.sections[s].payload[4] = 9   // values_per_snapshot 9, the tensors hold 3
        try raw.recomputeDigest(tensors: VectorCatalog.minimal.tensors)
        let read = try ModelFile(bytes: raw.assemble())
        #expect(read.weightSnapshots == nil)
        #expect(read.readInfo?.warnings.count == 1)
        #expect(throws: NNMFormatError.self) { _ = try read.verify() }
    }

    @Test func mostThatFitFollowsTheSectionLimit() {
        #expect(WeightSnapshots.mostThatFit(parameterCount: 337) == 64)
        let big = 100_000
        let fit = WeightSnapshots.mostThatFit(parameterCount: big)
        #expect(WeightSnapshots.payloadLength(count: fit, parameterCount: big) <= 1 << 24)
        #expect(WeightSnapshots.payloadLength(count: fit + 1, parameterCount: big) > 1 << 24)
    }
}
