import Foundation
import NNM
import Testing
@testable import NNMConvert

/// Damaged and hostile ONNX bytes: every one gives a ConvertError (or, for a harmless change,
/// a model), never a crash, a hang or an allocation the file's size does not justify.
@Suite struct HostileONNXTests {
    static func attempt(_ bytes: [UInt8]) -> Result<NNMModel, ConvertError> {
        var notes: [String] = []
        do {
            let file = try ONNXImport.modelFile(bytes: bytes, sha256: "00", notes: &notes)
            return .success(try ModelConversion.network(file, format: .onnx))
        } catch {
            return .failure(error)
        }
    }

    static func valid() throws -> [UInt8] {
        let model = try TestModels.model("linear:4,relu,linear:2,softmax", inputs: 3, standardizes: true)
        return try ONNXExport.bytes(of: model, sourceDigest: nil)
    }

    @Test func everyTruncationIsRefusedOrHarmless() throws {
        let bytes = try Self.valid()
        var refused = 0
        for length in 0..<bytes.count {
            if case .failure(let error) = Self.attempt(Array(bytes.prefix(length))) {
                refused += 1
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(refused > bytes.count / 2)
    }

    @Test func randomByteChangesNeverCrash() throws {
        let bytes = try Self.valid()
        var generator = SplitMix(seed: 13)
        for _ in 0..<3000 {
            var damaged = bytes
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let index = Int(generator.next() % UInt64(damaged.count))
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = Self.attempt(damaged)
        }
    }

    @Test func deeplyNestedUnknownGroupsAreRefused() {
        // Field 99 as a start-group tag, 200,000 times: a parser that recursed per level would
        // exhaust its stack.
        let bytes = Array(Array(repeating: [0x9B, 0x06] as [UInt8], count: 200_000).joined())
        guard case .failure = Self.attempt(bytes) else { Issue.record("nested groups were accepted"); return }
    }

    @Test func lengthBeyondTheFileIsRefused() {
        // graph (field 7, length-delimited) claiming 2^62 bytes.
        let bytes: [UInt8] = [0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F, 0x00]
        guard case .failure(let error) = Self.attempt(bytes) else { Issue.record("accepted"); return }
        #expect(error.description.contains("protobuf decoding failed"))
    }

    @Test func garbageIsRefused() {
        for bytes in [[UInt8](), Array("not an onnx file".utf8), [UInt8](repeating: 0xFF, count: 64)] {
            guard case .failure = Self.attempt(bytes) else { Issue.record("accepted \(bytes.prefix(8))"); continue }
        }
    }
}

/// A small seeded generator for the mutation tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
