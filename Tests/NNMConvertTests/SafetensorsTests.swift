import Foundation
import NNM
import NNMFiles
import NNMFormat
import Testing
@testable import NNMConvert

/// A safetensors file from a header (JSON text, written as given) and data bytes.
func safetensorsFile(header: String, data: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> UInt64(8 * $0)) } + json + data
}

func floatBytes(_ values: [Float]) -> [UInt8] { [UInt8](LittleEndianFloats.bytes(values)) }

/// Imports `bytes` as a safetensors file.
func importSafetensors(_ bytes: [UInt8], layers: String? = nil) throws -> (NNMModel, [String]) {
    let inMemory = try? ModelConversion.read(bytes: bytes, format: .safetensors, layers: layers)
    let source = try TestModels.inTemporaryDirectory { directory -> SourceModel in
        let path = directory + "/m.safetensors"
        try AtomicFile.write(bytes, to: path)
        return try ModelConversion.read(path: path, format: .safetensors, layers: layers)
    }
    // Bytes in memory give the same model as the file.
    let sameModel = inMemory.map { TestModels.bits($0.model) } == TestModels.bits(source.model)
    #expect(sameModel)
    return (source.model, source.notes)
}

@Suite struct SafetensorsTests {
    @Test(arguments: TestModels.specs.map(\.name))
    func exportThenImportIsLossless(name: String) throws {
        let model = try #require(try TestModels.all().first { $0.0 == name }).1
        let bytes = SafetensorsExport.bytes(of: model, sourceDigest: "sha256:00")
        #expect(SafetensorsExport.bytes(of: model, sourceDigest: "sha256:00") == bytes)
        #expect((bytes.count - 8) % 4 == 0 && Int(bytes[0]) % 8 == 0, "header padded to 8 bytes")
        let (back, notes) = try importSafetensors(bytes)
        #expect(back.network.layerRecords == model.network.layerRecords)
        #expect(TestModels.bits(back) == TestModels.bits(model))
        #expect(back.classNames == model.classNames)
        #expect(back.featureNames == model.featureNames)
        #expect(back.metadata[ConvertMetadata.sourceFormatKey] == .string("safetensors"))
        #expect(notes.isEmpty)
    }

    /// What safetensors.torch.save_file(nn.Sequential(...).state_dict()) writes: module
    /// indices, activations absent, a prefix when the Sequential sits in a module.
    @Test(arguments: ["", "net.", "model.layers."])
    func stateDictWithLayersFromTheCommandLine(prefix: String) throws {
        let w0 = floatBytes([1, 0, 0, 1, 1, 1]), b0 = floatBytes([0, -1, 0.5]), w2 = floatBytes([1, -1, 2])
        let header = """
            {"\(prefix)2.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[36,48]},\
            "\(prefix)0.bias":{"dtype":"F32","shape":[3],"data_offsets":[24,36]},\
            "\(prefix)0.weight":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]},"__metadata__":{"format":"pt"}}
            """
        let file = safetensorsFile(header: header, data: w0 + b0 + w2)
        let error = try #require(throws: ConvertError.self) { try importSafetensors(file) }
        #expect(error.description.contains("give --layers"))
        let (model, _) = try importSafetensors(file, layers: "linear,relu,linear:1,sigmoid")
        #expect(model.network.layerRecords.map(\.kind) == [.linear, .relu, .linear, .sigmoid])
        // x = [2, 3]: hidden relu([2, 2, 5.5]) → 2 - 2 + 11 = 11 → sigmoid.
        let output = try model.predict([2, 3])
        #expect(abs(output[0] - 1 / (1 + exp(-11))) < 1e-6)
    }

    @Test func halfPrecisionIsWidenedWithANote() throws {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, subnormal 2^-24 = 0x0001.
        // BF16: 1.0 = 0x3F80, 0.25 = 0x3E80.
        let weight: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x01, 0x00]
        let bias: [UInt8] = [0x80, 0x3F, 0x80, 0x3E]
        let header = #"{"0.weight":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},"0.bias":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}"#
        let (model, notes) = try importSafetensors(safetensorsFile(header: header, data: weight + bias), layers: "linear")
        guard case .decoded(let w) = model.modelFile().tensors[0].storage,
              case .decoded(let b) = model.modelFile().tensors[1].storage else { Issue.record("not decoded"); return }
        #expect(w == [1, -2, 0.5, 0x1p-24])
        #expect(b == [1, 0.25])
        #expect(notes.contains { $0.contains("BF16 and F16 tensors widened") })
    }

    @Test func everyHalfFloatWidensExactly() {
        for bits in UInt16.min...UInt16.max {
            let widened = SafetensorsDType.widen(bits)
            #if arch(x86_64) || arch(arm64)
            let reference = Float(Float16(bitPattern: bits))
            #expect(widened.bitPattern == reference.bitPattern || (widened.isNaN && reference.isNaN), "0x\(String(bits, radix: 16))")
            #endif
        }
    }

    static let hostile: [(String, [UInt8], String)] = {
        let w = floatBytes([1, 2, 3])
        func file(_ header: String, _ data: [UInt8] = w) -> [UInt8] { safetensorsFile(header: header, data: data) }
        let entry = #""0.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]}"#
        var hugeLength = file("{\(entry)}")
        hugeLength.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        var pastEnd = file("{\(entry)}")
        pastEnd.replaceSubrange(0..<8, with: [0x00, 0x10, 0, 0, 0, 0, 0, 0])
        return [
            ("empty", [], "shorter than the 8-byte"),
            ("huge header length", hugeLength, "more than 16777216"),
            ("header past the end", pastEnd, "does not fit the file"),
            ("not JSON", file("{not json at all}"), "not a JSON object"),
            ("array", file("[1,2,3]"), "does not start with '{'"),
            ("deep nesting", file("{\"a\":" + String(repeating: "[", count: 100_000) + "}"), "nests deeper"),
            ("offsets outside", file(#"{"0.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[4,16]}}"#), "outside the 12 data bytes"),
            ("offsets reversed", file(#"{"0.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[12,0]}}"#), "outside"),
            ("size mismatch", file(#"{"0.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,12]}}"#), "12 bytes for 2 F32"),
            ("aliased", file("{\(entry),\"0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}"), "share bytes"),
            ("overlapping", file(#"{"0.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#), "share bytes"),
            ("int64", file(#"{"0.weight":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#), "dtype I64; F32, F16 and BF16"),
            ("float64", file(#"{"0.weight":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#), "dtype F64"),
            ("rank 3", file(#"{"0.weight":{"dtype":"F32","shape":[1,1,3],"data_offsets":[0,12]}}"#), "rank 3"),
            ("huge shape", file(#"{"0.weight":{"dtype":"F32","shape":[16777216,16777216],"data_offsets":[0,12]}}"#), "more than"),
            ("negative shape", file(#"{"0.weight":{"dtype":"F32","shape":[-1,3],"data_offsets":[0,12]}}"#), "not {dtype, shape, data_offsets}"),
            ("fractional offset", file(#"{"0.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[0.5,12]}}"#), "not {dtype"),
            ("extra field", file(#"{"0.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12],"x":1}}"#), "not {dtype"),
            ("metadata not strings", file("{\(entry),\"__metadata__\":{\"a\":1}}"), "__metadata__"),
            ("foreign name", file(#"{"0.running_mean":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#), "'0.running_mean' is not a layer's"),
            ("two prefixes", file(#"{"a.0.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"b.1.weight":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#), "two prefixes"),
            ("width mismatch", file(#"{"0.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"1.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[4,12]}}"#), "takes 2 inputs after a layer of 1"),
            ("NaN weight", file("{\(entry)}", floatBytes([1, .nan, 3])), "NaN or infinite"),
        ]
    }()

    @Test(arguments: hostile.indices)
    func hostileFilesAreRefusedInOneLine(index: Int) throws {
        let (label, bytes, expected) = Self.hostile[index]
        let error = try #require(throws: ConvertError.self, "\(label)") {
            try importSafetensors(bytes, layers: label == "NaN weight" ? "linear" : "linear,linear")
        }
        #expect(error.description.contains(expected), "\(label): \(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func layersThatDoNotFitTheTensorsAreRefused() throws {
        let file = safetensorsFile(header: #"{"0.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]}}"#, data: floatBytes([1, 2, 3]))
        for (layers, expected) in [("linear:2", "linear:2, but 0.weight has 1 outputs"), ("linear,linear", "no more weights"),
                                   ("relu,linear", "activation before"), ("sigmoid", "activation before"),
                                   ("linear,conv", "'conv' is not one of"), ("standardize", "standardize needs")] {
            let error = try #require(throws: ConvertError.self) { try importSafetensors(file, layers: layers) }
            #expect(error.description.contains(expected), "\(layers): \(error)")
        }
    }
}
