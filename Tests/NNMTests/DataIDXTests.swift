import Testing
@testable import NNM

@Suite struct DataIDXTests {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// An IDX3 image file: pixel (i, p) = (i * 7 + p) mod 256.
    static func idxImages(count: Int, rows: Int, columns: Int) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, 3]
        for dimension in [count, rows, columns] { bytes += bigEndian(UInt32(dimension)) }
        for item in 0..<count {
            for pixel in 0..<(rows * columns) { bytes.append(UInt8((item * 7 + pixel) % 256)) }
        }
        return bytes
    }

    static func idxLabels(_ labels: [UInt8]) -> [UInt8] {
        [0, 0, 0x08, 1] + bigEndian(UInt32(labels.count)) + labels
    }

    static func parse(_ images: [UInt8], _ labels: [UInt8]) throws -> Dataset {
        try Dataset.parseIDX(images: images, imagesPath: "images", labels: labels, labelsPath: "labels")
    }

    static func idxReason(_ body: () throws -> Dataset) -> String {
        do {
            _ = try body()
            Issue.record("no error thrown")
        } catch let DataError.malformedIDX(_, _, reason) {
            return reason
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return ""
    }

    @Test func readsImagesScaledToUnitRange() throws {
        let data = try Self.parse(Self.idxImages(count: 4, rows: 28, columns: 28), Self.idxLabels([3, 0, 9, 1]))
        #expect(data.sampleCount == 4 && data.featureCount == 784)
        #expect(data.labels == [3, 0, 9, 1] && data.classCount == 10)
        #expect(data.classNames?.first == "0" && data.classNames?.last == "9")
        #expect(data.features[1, 0] == Float(7) / 255)
        #expect(data.features[2, 783] == Float((14 + 783) % 256) / 255)
        #expect(data.features.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func badMagicTypeAndCompressionAreNamed() {
        var images = Self.idxImages(count: 2, rows: 2, columns: 2)
        let labels = Self.idxLabels([0, 1])
        images[0] = 1
        #expect(Self.idxReason { try Self.parse(images, labels) }.contains("magic"))
        images[0] = 0
        images[2] = 0x0D
        #expect(Self.idxReason { try Self.parse(images, labels) }.contains("float32"))
        #expect(Self.idxReason { try Self.parse([0x1F, 0x8B, 8, 0, 0, 0], labels) }.contains("gunzip"))
        #expect(Self.idxReason { try Self.parse([0, 0], labels) }.contains("truncated"))
    }

    @Test func sizesAreCheckedAgainstTheFile() {
        let images = Self.idxImages(count: 3, rows: 2, columns: 2)
        let labels = Self.idxLabels([0, 1, 2])
        #expect(Self.idxReason { try Self.parse(Array(images.dropLast()), labels) }.contains("truncated"))
        #expect(Self.idxReason { try Self.parse(images + [0], labels) }.contains("after"))
        #expect(Self.idxReason { try Self.parse(Array(images.prefix(10)), labels) }.contains("header"))
        #expect(Self.idxReason { try Self.parse(images, Self.idxLabels([0, 1])) }.contains("2 labels for 3 images"))
        // A header that claims 4 billion huge images is refused before any allocation.
        let liar: [UInt8] = [0, 0, 0x08, 3] + Self.bigEndian(.max) + Self.bigEndian(60_000) + Self.bigEndian(60_000)
        #expect(Self.idxReason { try Self.parse(liar, labels) }.contains("items of 60000 × 60000 values, more than"))
        // Text that happens to start like an IDX header: the sizes it declares, and the doubt.
        let text = Array("\0\0\u{8}\u{7}not an idx file at all, but some text that goes on".utf8)
        #expect(Self.idxReason { try Self.parse(text, labels) }.contains("7 dimensions: is it an IDX file?"))
        let liar2: [UInt8] = [0, 0, 0x08, 3] + Self.bigEndian(.max) + Self.bigEndian(28) + Self.bigEndian(28)
        #expect(Self.idxReason { try Self.parse(liar2, labels) }.contains("truncated"))
        let labelsOfRank2 = [0, 0, 0x08, 2] + Self.bigEndian(3) + Self.bigEndian(1) + [0, 1, 2]
        #expect(Self.idxReason { try Self.parse(images, labelsOfRank2) }.contains("1 dimension"))
    }

    @Test func singleClassIsUnusable() {
        #expect(throws: DataError.self) {
            try Self.parse(Self.idxImages(count: 2, rows: 1, columns: 1), Self.idxLabels([0, 0]))
        }
    }
}
