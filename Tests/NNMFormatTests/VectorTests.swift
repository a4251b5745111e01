import NNMFiles
import Testing
import Glibc
@testable import NNMFormat

/// The committed corpus in `spec/vectors/` must equal what the generator produces, and every
/// file must behave as `manifest.txt` says. Run with `NNM_WRITE_VECTORS=1` to rewrite them.
@Suite(.serialized) struct VectorTests {
    static let directory: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)   // Tests/NNMFormatTests/VectorTests.swift
        return parts.joined(separator: "/") + "/spec/vectors"
    }()

    static func manifest(_ vectors: [Vector]) -> String {
        var out = "# .nnm v1 test vectors: <file> <expectation> [<error>]  # what the file is\n"
        out += "# valid: read and full verification succeed (expected content in <file>.expected.json)\n"
        out += "# read-error E: reading fails with error E; verify-error E: reading succeeds, full verification fails with E\n"
        out += "# Errors are the identifiers of spec/nnm-format.md §12. Regenerate: NNM_WRITE_VECTORS=1 swift test --filter VectorTests\n"
        for v in vectors { out += "\(v.file) \(v.expect)  # \(v.note)\n" }
        return out
    }

    /// Architecture, per-tensor CRC and first values, digest: what an independent reader must find.
    static func expectedJSON(_ bytes: [UInt8]) throws -> String {
        let m = try ModelFile(bytes: bytes)
        var layers: [String] = []
        for l in m.layers {
            var s = "{\"kind\": \"\(l.kind.displayName)\", \"inputs\": \(l.inputs), \"outputs\": \(l.outputs)"
            if case .leakyReLU(let slope) = l.kind { s += ", \"slope_bits\": \"\(hex32(slope.bitPattern))\"" }
            layers.append(s + "}")
        }
        var tensors: [String] = []
        for t in m.tensors {
            let v = try t.values()
            let crc = v.withUnsafeBytes { CRC32.update(0, $0) }
            let first = v.prefix(8).map { "\"\(hex32($0.bitPattern))\"" }.joined(separator: ", ")
            tensors.append("{\"name\": \"\(t.name)\", \"shape\": \(t.shape), \"raw_crc32\": \"\(hex32(crc))\", \"first_values_bits\": [\(first)]}")
        }
        let digest = hexString(m.readInfo?.storedDigest ?? [])
        var history = "null"
        if let h = m.history {
            let series = h.series.map { s in
                "{\"name\": \(jsonString(s.name)), \"values_bits\": [" + s.values.map { "\"\(hex32($0.bitPattern))\"" }.joined(separator: ", ") + "]}"
            }
            history = "{\"epochs\": \(h.epochCount), \"series\": [\n    " + series.joined(separator: ",\n    ") + "]}"
        }
        var recipe = "null"
        if let r = m.dataset {
            recipe = "{\"generator\": \(jsonString(r.generator)), \"seed\": \(r.seed), "
                + "\"validation_fraction_bits\": \"\(hex64(r.validationFraction.bitPattern))\", "
                + "\"test_fraction_bits\": \"\(hex64(r.testFraction.bitPattern))\", \"parameters\": \(keyValuesJSON(r.parameters))}"
        }
        return "{\n  \"version\": \"\(m.version)\",\n  \"digest\": \"\(digest)\",\n  \"layers\": [\n    "
            + layers.joined(separator: ",\n    ") + "\n  ],\n  \"tensors\": [\n    " + tensors.joined(separator: ",\n    ")
            + "\n  ],\n  \"metadata\": \(m.readInfo?.sections.contains { $0.type == .metadata } == true ? keyValuesJSON(m.metadata) : "null"),"
            + "\n  \"history\": \(history),\n  \"recipe\": \(recipe)" + trainingStateJSON(m.trainingState)
            + snapshotsJSON(m.weightSnapshots) + "\n}\n"
    }

    /// `,\n  "training_state": {…}` for a file with a `trst` section (spec §10a), else nothing.
    static func trainingStateJSON(_ state: TrainingState?) -> String {
        guard let s = state else { return "" }
        let names = [1: "sgd", 2: "momentum", 3: "nesterov", 4: "adam"]
        let buffers = s.buffers.map { b in
            "{\"tensor\": \(jsonString(b.tensor)), \"slot\": \(b.slot.rawValue), \"values_bits\": ["
                + b.values.map { "\"\(hex32($0.bitPattern))\"" }.joined(separator: ", ") + "]}"
        }
        return ",\n  \"training_state\": {\"optimizer\": \"\(names[Int(s.optimizer.rawValue)] ?? "")\", \"step_count\": \(s.stepCount), "
            + "\"plan_epochs\": \(s.planEpochs), \"plan_epochs_done\": \(s.planEpochsDone), \"batches_per_epoch\": \(s.batchesPerEpoch), "
            + "\"batches_done\": \(s.batchesDone), \"shuffle_state\": [" + s.shuffleState.map { "\"\(hex64($0))\"" }.joined(separator: ", ")
            + "], \"partial_loss_sum_bits\": \"\(hex64(s.partialLossSum.bitPattern))\", \"partial_correct\": \(s.partialCorrect), "
            + "\"partial_samples\": \(s.partialSamples), \"buffers\": [\n    " + buffers.joined(separator: ",\n    ") + "]}"
    }

    /// `,\n  "snapshots": [{…}]` for a file with a `snap` section (spec §10b), else nothing.
    static func snapshotsJSON(_ snapshots: WeightSnapshots?) -> String {
        guard let snapshots else { return "" }
        let entries = snapshots.snapshots.map { s in
            "{\"epoch\": \(s.epoch), \"values_bits\": [" + s.values.map { "\"\(hex32($0.bitPattern))\"" }.joined(separator: ", ") + "]}"
        }
        return ",\n  \"snapshots\": [\n    " + entries.joined(separator: ",\n    ") + "]"
    }

    /// Entries in file order (UTF-8 byte order of the keys); doubles as f64 bit patterns so that
    /// a reader that rounds through decimal text fails.
    static func keyValuesJSON(_ dict: [String: MetadataValue]) -> String {
        let keys = dict.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let entries = keys.map { key -> String in
            let (type, value): (String, String)
            switch dict[key] {
            case .bool(let b): (type, value) = ("bool", b ? "true" : "false")
            case .int(let i): (type, value) = ("int", "\(i)")
            case .double(let d): (type, value) = ("double", "\"\(hex64(d.bitPattern))\"")
            case .string(let s): (type, value) = ("string", jsonString(s))
            case .ints(let a): (type, value) = ("ints", "[" + a.map { "\($0)" }.joined(separator: ", ") + "]")
            case .doubles(let a): (type, value) = ("doubles", "[" + a.map { "\"\(hex64($0.bitPattern))\"" }.joined(separator: ", ") + "]")
            case nil: (type, value) = ("missing", "null")
            }
            return "{\"key\": \(jsonString(key)), \"type\": \"\(type)\", \"value\": \(value)}"
        }
        return "[" + entries.joined(separator: ", ") + "]"
    }

    static func hex64(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, UTF-8 kept.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20 || u.value == 0x7F:
                let digits = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func readFile(_ path: String) -> [UInt8]? { try? ReadOnlyFile(path: path).readAll() }

    @Test func committedVectorsEqualTheGenerator() throws {
        let vectors = try VectorCatalog.build()
        if getenv("NNM_WRITE_VECTORS") != nil {
            mkdir(Self.directory, 0o755)
            for v in vectors {
                try AtomicFile.write(v.bytes, to: Self.directory + "/" + v.file)
                if v.expect == "valid" {
                    try AtomicFile.write(Array(try Self.expectedJSON(v.bytes).utf8), to: Self.directory + "/" + v.file + ".expected.json")
                }
            }
            try AtomicFile.write(Array(Self.manifest(vectors).utf8), to: Self.directory + "/manifest.txt")
        }
        #expect(Self.readFile(Self.directory + "/manifest.txt") == Array(Self.manifest(vectors).utf8))
        for v in vectors {
            #expect(Self.readFile(Self.directory + "/" + v.file) == v.bytes, "\(v.file) differs from the generator")
            if v.expect == "valid" {
                #expect(Self.readFile(Self.directory + "/" + v.file + ".expected.json") == Array(try Self.expectedJSON(v.bytes).utf8))
            }
        }
    }

    @Test func everyVectorBehavesAsTheManifestSays() throws {
        let text = try #require(Self.readFile(Self.directory + "/manifest.txt"))
        var count = 0
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "#")[0].split(separator: " ").map(String.init)
            let path = Self.directory + "/" + fields[0]
            count += 1
            switch fields[1] {
            case "valid":
                let m = try ModelFile(contentsOf: path)
                _ = try m.verify()
                let again = try ModelFile(bytes: ReadOnlyFile(path: path).readAll())
                #expect(try sameContent(m, again))
            case "read-error":
                #expect(errorCode { _ = try ModelFile(contentsOf: path) } == fields[2], "\(fields[0])")
                #expect(errorCode { _ = try ModelFile(bytes: ReadOnlyFile(path: path).readAll()) } == fields[2], "\(fields[0]) from bytes")
            case "verify-error":
                let m = try ModelFile(contentsOf: path)
                #expect(errorCode { _ = try m.verify() } == fields[2], "\(fields[0])")
            default:
                Issue.record("unknown expectation in manifest: \(line)")
            }
        }
        #expect(count >= 50)
    }
}

/// The `code` of the NNMFormatError thrown by `body`, or "no error".
func errorCode(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" }
    catch let e as NNMFormatError { return e.code }
    catch { return "foreign error \(error)" }
}
