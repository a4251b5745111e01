import Testing
import NNMFormat

/// The `data.class_names.K` entries (spec/training.md §8): written one per class, read back by
/// index whatever their bytewise order, malformed entries ignored, gaps refused.
@Suite struct ClassNameMetadataTests {
    @Test func namesRoundTripThroughTheirKeys() {
        let names = (0..<12).map { "class \($0)!" }
        let entries = ModelFile.classNameMetadata(names)
        #expect(entries.count == 12)
        #expect(entries["data.class_names.0"] == .string("class 0!"))
        #expect(entries["data.class_names.11"] == .string("class 11!"))
        // Bytewise, ".10" and ".11" sort before ".2": the reader must not go by order.
        let sortedKeys = entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(sortedKeys[2] == "data.class_names.10")
        #expect(ModelFile.classNames(from: entries) == names)
    }

    @Test func theKeysAreReadFromAFileAsWritten() throws {
        let metadata = ModelFile.classNameMetadata(["setosa", "versicolor", "virginica"])
        let file = ModelFile(layers: [LayerRecord(kind: .sigmoid, inputs: 3, outputs: 3)], tensors: [], metadata: metadata)
        let read = try ModelFile(bytes: try file.encoded())
        #expect(read.classNames == ["setosa", "versicolor", "virginica"])
    }

    @Test func namesThatOnlyRepeatTheIndicesAreNotWritten() {
        #expect(ModelFile.classNameMetadata(["0", "1", "2"]).isEmpty)
        #expect(ModelFile.classNameMetadata([]).isEmpty)
        #expect(ModelFile.classNameMetadata(["1", "2"]).count == 2)
        #expect(ModelFile.classNameMetadata(["", "x"]) == ["data.class_names.0": .string(""), "data.class_names.1": .string("x")])
    }

    @Test func namesTooLargeForTheMetaSectionAreNotWritten() {
        let long = String(repeating: "n", count: ModelFile.maximumClassNameBytes / 2 + 1)
        #expect(ModelFile.classNameMetadata([long, long]).isEmpty)
        #expect(ModelFile.classNameMetadata([long, "short"]).count == 2)
        #expect(ModelFile.classNameMetadata((0..<2049).map { "c\($0)" }).isEmpty)
    }

    @Test func malformedEntriesAreIgnored() {
        var metadata: [String: MetadataValue] = [
            "data.class_names.0": .string("lo"), "data.class_names.1": .string("hi"),
            "data.class_names.01": .string("leading zero"), "data.class_names.-1": .string("sign"),
            "data.class_names.+2": .string("plus"), "data.class_names.x": .string("word"),
            "data.class_names.": .string("empty"), "data.class_names.99999": .string("five digits"),
            "data.class_names.1 ": .string("space"), "data.class_names.١": .string("arabic one"),
            "train.seed": .int(42), "data.class_namesX0": .string("no dot"),
        ]
        #expect(ModelFile.classNames(from: metadata) == ["lo", "hi"])
        // A value that is not a string is ignored; the gap it leaves makes the list unusable.
        metadata["data.class_names.2"] = .int(2)
        #expect(ModelFile.classNames(from: metadata) == ["lo", "hi"])
        metadata["data.class_names.3"] = .string("after a gap")
        #expect(ModelFile.classNames(from: metadata) == nil)
    }

    @Test func namesMustCoverEveryIndexFromZero() {
        #expect(ModelFile.classNames(from: [:]) == nil)
        #expect(ModelFile.classNames(from: ["train.seed": .int(1)]) == nil)
        #expect(ModelFile.classNames(from: ["data.class_names.1": .string("b"), "data.class_names.2": .string("c")]) == nil)
        #expect(ModelFile.classNames(from: ["data.class_names.0": .string("a"), "data.class_names.2": .string("c")]) == nil)
        #expect(ModelFile.classNames(from: ["data.class_names.0": .bool(true)]) == nil)
        #expect(ModelFile.classNames(from: ["data.class_names.0": .string("only")]) == ["only"])
    }
}
