import Foundation
import Testing
import NNMFormat

/// The feature and label names a model records: one string entry per input, read back only
/// when they cover every input without a gap.
@Suite struct FeatureNameMetadataTests {
    @Test func namesRoundTripThroughMetadata() {
        let names = (0..<12).map { "column \($0)" }
        let metadata = ModelFile.featureNameMetadata(names, labelName: "species")
        #expect(metadata.count == 13)
        #expect(metadata["data.feature_names.11"] == .string("column 11"))
        #expect(metadata["data.label_name"] == .string("species"))
        #expect(ModelFile.featureNames(from: metadata) == names)
        #expect(ModelFile.labelName(from: metadata) == "species")
    }

    @Test func aGapOrAMalformedKeyGivesNoNames() {
        var metadata = ModelFile.featureNameMetadata(["a", "b", "c"])
        metadata["data.feature_names.1"] = nil
        #expect(ModelFile.featureNames(from: metadata) == nil)
        metadata = ModelFile.featureNameMetadata(["a", "b"])
        metadata["data.feature_names.01"] = .string("x")
        metadata["data.feature_names.2"] = .int(3)
        #expect(ModelFile.featureNames(from: metadata) == ["a", "b"])
    }

    @Test func tooManyOrTooLongNamesAreLeftOutButTheLabelStays() {
        let wide = (0...ModelFile.maximumFeatureNames).map(String.init)
        #expect(ModelFile.featureNameMetadata(wide, labelName: "y") == ["data.label_name": .string("y")])
        let long = [String(repeating: "x", count: ModelFile.maximumFeatureNameBytes), "y"]
        #expect(ModelFile.featureNameMetadata(long).isEmpty)
        #expect(ModelFile.featureNameMetadata([]).isEmpty)
        #expect(ModelFile.featureNameMetadata([], labelName: "").isEmpty)
    }

    @Test func theFileGivesNamesOnlyWhenTheyCountItsInputs() throws {
        var file = Fixtures.model(Fixtures.everyKindLayers(inputs: 3, hidden: 4, classes: 2))
        let inputs = try #require(file.layers.first?.inputs)
        file.metadata = ModelFile.featureNameMetadata((0..<inputs).map { "f\($0)" })
        #expect(file.featureNames?.count == inputs)
        file.metadata = ModelFile.featureNameMetadata((0...inputs).map { "f\($0)" })
        #expect(file.featureNames == nil)
    }
}

/// `nnm-inspect` shows the names compactly in text and whole in JSON.
@Suite struct FeatureNameInspectionTests {
    @Test func theReportListsAFewNamesAndTheCount() throws {
        var file = Fixtures.model(Fixtures.everyKindLayers(inputs: 12, hidden: 4, classes: 2))
        file.metadata = ModelFile.featureNameMetadata((0..<12).map { "f\($0)" }, labelName: "kind")
        file.metadata["train.epochs"] = .int(3)
        let path = NSTemporaryDirectory() + "nnm-feature-names-\(UUID().uuidString).nnm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)
        let report = try InspectionReport.inspect(path: path)
        let text = report.text()
        #expect(text.contains("  features: 12: f0, f1, f2, f3, f4, f5, f6, f7, … (4 more)\n"))
        #expect(text.contains("  label column: kind\n"))
        #expect(text.contains("  data.feature_names.* = 12 entries (see Training)\n"))
        #expect(!text.contains("data.feature_names.11"))
        #expect(text.contains("  train.epochs = 3\n"))
        let json = report.json().rendered()
        #expect(json.contains("\"feature_names\": [\"f0\", \"f1\""))
        #expect(json.contains("\"label_name\": \"kind\""))
        #expect(json.contains("\"data.feature_names.11\": \"f11\""))
    }
}
