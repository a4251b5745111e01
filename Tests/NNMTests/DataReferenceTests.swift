import Foundation
import Testing
@testable import NNM
import NNMFormat

/// Runs the independent Python implementation in `spec/reference/` (written from the spec) and
/// demands bit-identical points for every generator and split. python3 missing is a failure,
/// not a skip: the promise "an implementation from the spec agrees" must be checked.
@Suite struct DataReferenceTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("spec/reference/nnm_reference.py")

    static func runReference(_ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReferenceFailure(message: "python3 reference exited \(process.terminationStatus) "
                + "(is python3 installed?): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    struct ReferenceFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    static func lines(_ part: String, _ dataset: Dataset) -> [String] {
        (0..<dataset.sampleCount).map { row in
            "\(part) \(dataset.labels[row]) "
                + dataset.features.row(row).map { hex32($0.bitPattern) }.joined(separator: " ")
        }
    }

    static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    static func hex64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    @Test func scriptIsPresent() {
        #expect(FileManager.default.fileExists(atPath: Self.script.path), "\(Self.script.path)")
    }

    @Test func prngVectorsAgreeWithTheReference() throws {
        let reference = try Self.runReference(["vectors"])
        var swift: [String] = []
        for (seed, stream) in [(UInt64(0), UInt64(0)), (42, 1), (42, 2), (.max, 4)] {
            var random = SeededRandom(seed: seed, stream: stream)
            swift.append("next \(seed) \(stream) " + (0..<4).map { _ in Self.hex64(random.next()) }.joined(separator: " "))
        }
        var random = SeededRandom(seed: 42, stream: 1)
        swift.append("integer10 " + (0..<8).map { _ in String(random.integer(below: 10)) }.joined(separator: " "))
        random = SeededRandom(seed: 42, stream: 1)
        var values = Array(0..<10)
        random.shuffle(&values)
        swift.append("shuffle10 " + values.map(String.init).joined(separator: " "))
        swift.append("xoshiro1234 11520 0 1509978240 1215971899390074240")
        swift.append("splitmix0 e220a8397b1dcdaf")
        for line in swift { #expect(reference.contains(line), "Swift printed \(line)") }
        // Binary64 draws, compared as bit patterns via the test vectors in RandomVectorTests.
        random = SeededRandom(seed: 42, stream: 1)
        let normals = (0..<3).map { _ in random.normal() }
        let referenceNormals = try #require(reference.first { $0.hasPrefix("normal ") })
            .split(separator: " ").dropFirst().map { try #require(Double(String($0))) }
        #expect(normals.map(\.bitPattern) == referenceNormals.map(\.bitPattern))
    }

    static let cases: [(String, [String: String])] = [
        ("circles", ["samples": "301", "noise": "0.04", "factor": "0.8"]),
        ("circles", ["samples": "50", "noise": "0.0", "factor": "0.3"]),
        // The second seed's configuration, in full.
        ("circles", ["samples": "5000", "noise": "0.04", "factor": "0.8"]),
        ("moons", ["samples": "257", "noise": "0.1"]),
        ("moons", ["samples": "3", "noise": "0.0"]),
        ("xor", ["samples": "200", "noise": "0.05"]),
        ("spiral", ["samples": "301", "classes": "3", "noise": "0.02"]),
        ("blobs", ["samples": "100", "centers": "4", "spread": "0.2"]),
        ("bits4", [:]),
        // Past one block of noise (4096 samples) and past the angles the helper thread shares.
        ("moons", ["samples": "4500", "noise": "0.1"]),
        ("spiral", ["samples": "1500", "classes": "4", "noise": "0.05"]),
    ]

    static func metadataValue(_ text: String) -> MetadataValue {
        if let integer = Int64(text) { return .int(integer) }
        return .double(Double(text) ?? .nan)
    }

    @Test(arguments: 0..<cases.count)
    func generatorAgreesWithTheReference(caseIndex: Int) throws {
        let (generator, parameters) = Self.cases[caseIndex]
        let seed: UInt64 = caseIndex == 0 ? 0xDEAD_BEEF_1234_5678 : UInt64(caseIndex * 7919)
        let recipe = try DataRecipe(DatasetRecipe(
            generator: generator,
            parameters: parameters.mapValues(Self.metadataValue),
            seed: seed, validationFraction: 0.15, testFraction: 0.25))
        let dataset = try recipe.makeDataset()
        let split = try recipe.makeSplit()
        var expected = ["classes \(dataset.classCount)"] + Self.lines("all", dataset)
        expected += Self.lines("train", split.train) + Self.lines("validation", split.validation)
            + Self.lines("test", split.test)
        let arguments = ["generate", generator, "seed=\(seed)", "validation=0.15", "test=0.25"]
            + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let reference = try Self.runReference(arguments)
        #expect(reference.count == expected.count)
        let firstDifference = zip(reference, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil,
                "\(generator): line \(firstDifference?.offset ?? -1): reference '\(firstDifference?.element.0 ?? "")' vs Swift '\(firstDifference?.element.1 ?? "")'")
    }
}
