import Foundation
import NNM
import NNMFormat
import Testing
@testable import NNMConvert

/// Initializers kept in a file beside the `.onnx` file, as PyTorch's exporter writes them: read
/// when the model is read from its path, confined to its directory, every offset checked.
@Suite struct ONNXExternalDataTests {
    static let weights: [Float] = [0.5, -1.25, 2]

    /// A 3 → 1 Gemm whose weight lives in `location` at `offset`, described by `entries`
    /// (location, offset and length by default).
    static func model(location: String = "w.bin", offset: Int = 8,
                      entries: [(String, String)]? = nil) -> Onnx_ModelProto {
        var weight = ONNXGraphs.tensor("W", [1, 3], [])
        weight.dataLocation = .external
        let described = entries ?? [("location", location), ("offset", "\(offset)"), ("length", "12")]
        weight.externalData = described.map { key, value in
            Onnx_StringStringEntryProto.with { $0.key = key; $0.value = value }
        }
        let gemm = ONNXGraphs.node("Gemm", ["x", "W", "b"], "y", attributes: [ONNXAttribute.int("transB", 1)])
        return ONNXGraphs.model(nodes: [gemm], initializers: [weight, ONNXGraphs.tensor("b", [1], [0.25])])
    }

    /// Writes `model` as `model.onnx` and the weights at byte 8 of `w.bin` (after 8 bytes of
    /// another tensor), then reads the model from its path.
    static func read(_ model: Onnx_ModelProto, in directory: String) throws -> SourceModel {
        let side = [UInt8](repeating: 0xAB, count: 8) + [UInt8](LittleEndianFloats.bytes(weights)) + [1, 2, 3, 4]
        try Data(side).write(to: URL(fileURLWithPath: directory + "/w.bin"))
        let path = directory + "/model.onnx"
        try Data(try ONNXGraphs.bytes(model)).write(to: URL(fileURLWithPath: path))
        return try ModelConversion.read(path: path, format: .onnx)
    }

    @Test func weightsBesideTheFileAreReadFromItsDirectory() throws {
        let source = try TestModels.inTemporaryDirectory { try Self.read(Self.model(), in: $0) }
        guard case .decoded(let values) = source.model.modelFile().tensors[0].storage else {
            Issue.record("not decoded"); return
        }
        #expect(values == Self.weights)
        #expect(source.notes.contains { $0.contains("'w.bin' beside the .onnx file") })
    }

    @Test func withoutALengthTheRestOfTheFileIsTheTensor() throws {
        let entries = [("location", "w.bin"), ("offset", "8")]
        let error = try #require(throws: ConvertError.self) {
            try TestModels.inTemporaryDirectory { try Self.read(Self.model(entries: entries), in: $0) }
        }
        // The 4 bytes after the weights make the rest of the file 16 bytes, not 12.
        #expect(error.description.contains("16 bytes of external data for 3 float32 values"), "\(error)")
    }

    static let refusals: [(String, Onnx_ModelProto, String)] = [
        ("parent directory", model(location: "../w.bin"), "not a relative path inside the model's directory"),
        ("absolute path", model(location: "/etc/passwd"), "not a relative path inside the model's directory"),
        ("missing file", model(location: "v.bin"), "which is missing"),
        ("directory", model(location: "."), "which is a directory"),
        ("past the end", model(offset: 16), "runs past the end of 'w.bin' (24 bytes)"),
        ("offset beyond", model(offset: 99), "starts at byte 99 of a 24-byte file"),
        ("not a number", model(entries: [("location", "w.bin"), ("offset", "8e0")]), "offset '8e0' is not a byte count"),
        ("negative", model(entries: [("location", "w.bin"), ("length", "-12")]), "length '-12' is not a byte count"),
        ("wrong length", model(entries: [("location", "w.bin"), ("length", "8")]), "8 bytes of external data for 3"),
        ("no location", model(entries: [("offset", "8")]), "without a location"),
        ("unknown key", model(entries: [("location", "w.bin"), ("path", "x")]), "unknown external_data key 'path'"),
        ("twice", model(entries: [("location", "w.bin"), ("location", "w.bin")]), "'location' twice"),
    ]

    @Test(arguments: refusals.indices)
    func hostileLocationsAndSizesAreRefused(index: Int) throws {
        let (label, model, expected) = Self.refusals[index]
        let error = try #require(throws: ConvertError.self, "\(label)") {
            try TestModels.inTemporaryDirectory { try Self.read(model, in: $0) }
        }
        #expect(error.description.contains(expected), "\(label): \(error)")
    }

    @Test func aSymbolicLinkIsNotFollowed() throws {
        let error = try #require(throws: ConvertError.self) {
            try TestModels.inTemporaryDirectory { directory in
                try FileManager.default.createSymbolicLink(atPath: directory + "/link.bin", withDestinationPath: "w.bin")
                return try Self.read(Self.model(location: "link.bin"), in: directory)
            }
        }
        #expect(error.description.contains("which is a symbolic link"), "\(error)")
    }
}
