import Foundation
import NNMFiles
import Testing
@testable import NNMFormat

/// The differential reader: `spec/reference/nnm_reader.py` was written from the spec alone by
/// another engineer. Both readers must agree on every vector and on freshly written files.
/// python3 missing is a failure, not a skip: "a reader written from the spec agrees" must be checked.
@Suite(.serialized) struct PythonReaderTests {
    static let reference = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("spec/reference")

    struct PythonFailure: Error, CustomStringConvertible { var description: String }

    /// Runs python3 with `arguments`; returns (exit status, stdout, stderr).
    static func python(_ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw PythonFailure(description: "cannot start python3 (is it installed?): \(error)")
        }
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw PythonFailure(description: "python3 not found: \(err)")
        }
        return (process.terminationStatus, out, err)
    }

    @Test func independentReaderPassesEveryVector() throws {
        let script = Self.reference.appendingPathComponent("check_nnm_vectors.py").path
        let (status, out, err) = try Self.python([script])
        let summary = out.split(separator: "\n").last.map(String.init) ?? ""
        let failures = out.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.joined(separator: "\n")
        #expect(status == 0, "check_nnm_vectors.py exited \(status): \(failures) \(err)")
        #expect(summary.hasSuffix(" passed, 0 failed"), "\(summary)\n\(failures)")
        let passed = Int(summary.split(separator: " ").first ?? "") ?? 0
        #expect(passed >= 80, "only \(passed) vectors checked")
    }

    /// A model with random weights (seed printed on failure), float specials included, metadata,
    /// history and recipe: the Python reader must find the same bits and the same digest.
    @Test(arguments: [WriteOptions(), WriteOptions(codec: .none), WriteOptions(codec: .zlib, shuffle: false)])
    func independentReaderAgreesOnAFreshModel(options: WriteOptions) throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        var model = Fixtures.model([
            LayerRecord(kind: .standardize, inputs: 6, outputs: 6),
            LayerRecord(kind: .linear, inputs: 6, outputs: 300),
            LayerRecord(kind: .leakyReLU(slope: 0.125), inputs: 300, outputs: 300),
            LayerRecord(kind: .linear, inputs: 300, outputs: 3),
            LayerRecord(kind: .softmax, inputs: 3, outputs: 3),
        ], seed: seed)
        var weight = try model.tensors[2].values()
        let specials: [UInt32] = [0x7FA0_0001, 0xFFC0_1234, 0x8000_0000, 0x7F80_0000, 0x0000_0001, 0xFF80_0000]
        for (i, bits) in specials.enumerated() { weight[i * 7] = Float(bitPattern: bits) }
        model.tensors[2] = Tensor(name: model.tensors[2].name, shape: model.tensors[2].shape, values: weight)
        model.metadata = ["user.seed": .int(Int64(bitPattern: seed)), "user.é": .string("\u{1B}x"), "z": .doubles([-0.0, .nan])]
        model.history = TrainingHistory(series: [HistorySeries(name: "train_loss", values: [1.5, .nan, 0.25])])
        model.dataset = DatasetRecipe(generator: "moons", parameters: ["noise": .double(0.2)], seed: seed,
                                      validationFraction: 0.25, testFraction: 0.125)
        let path = NSTemporaryDirectory() + "nnm-differential-\(seed).nnm"
        try AtomicFile.write(try model.encoded(options: options), to: path)
        defer { unlink(path) }

        let read = try ModelFile(contentsOf: path)
        let digest = hexString(try read.verify().digest)
        var swiftLines = ["digest \(digest)"]
        for t in read.tensors {
            swiftLines.append("tensor \(t.name) " + (try t.values()).map { hex8($0.bitPattern) }.joined(separator: " "))
        }
        for s in read.history?.series ?? [] {
            swiftLines.append("history \(s.name) " + s.values.map { hex8($0.bitPattern) }.joined(separator: " "))
        }

        let program = """
        import sys
        sys.dont_write_bytecode = True
        sys.path.insert(0, sys.argv[1])
        from nnm_reader import read_nnm
        r = read_nnm(open(sys.argv[2], "rb").read(), verify=True)
        print("digest " + r["digest"])
        for T in r["tensors"]:
            print("tensor " + T["name"] + " " + " ".join("%08x" % b for b in T["value_bits"]))
        for s in (r["history"] or {"series": []})["series"]:
            print("history " + s["name"] + " " + " ".join("%08x" % b for b in s["bits"]))
        """
        let (status, out, err) = try Self.python(["-c", program, Self.reference.path, path])
        #expect(status == 0, "seed \(seed): the Python reader failed: \(err)")
        let pythonLines = out.split(separator: "\n").map(String.init)
        #expect(pythonLines.count == swiftLines.count, "seed \(seed)")
        for (p, s) in zip(pythonLines, swiftLines) {
            #expect(p == s, "seed \(seed), options \(options): Python and Swift differ")
        }
    }
}

private func hex8(_ v: UInt32) -> String {
    let digits = String(v, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}

/// A vector cannot hold this case (the file would be 16 MiB): an unknown ancillary section whose
/// payload exceeds 16 MiB is a fatal framing error (spec §5 step 6), not a dropped section.
@Suite struct OversizedAncillarySectionTests {
    @Test func oversizedUnknownAncillarySectionIsFatalInBothReaders() throws {
        var raw = RawFile(try VectorCatalog.minimal.encoded())
        raw.sections.insert((Array("xtRa".utf8), [UInt8](repeating: 0, count: (1 << 24) + 1)), at: 2)
        let bytes = raw.assemble()
        #expect(errorCode { _ = try ModelFile(bytes: bytes) } == "limitExceeded")
        let path = NSTemporaryDirectory() + "nnm-oversized-\(UInt64.random(in: 1...UInt64.max)).nnm"
        try AtomicFile.write(bytes, to: path)
        defer { unlink(path) }
        #expect(errorCode { _ = try ModelFile(contentsOf: path) } == "limitExceeded")
        let program = """
        import sys
        sys.dont_write_bytecode = True
        sys.path.insert(0, sys.argv[1])
        from nnm_reader import read_nnm, NNMError
        try:
            read_nnm(open(sys.argv[2], "rb").read(), verify=False); print("ok")
        except NNMError as e:
            print(e.name)
        """
        let (status, out, err) = try PythonReaderTests.python(["-c", program, PythonReaderTests.reference.path, path])
        #expect(status == 0, "\(err)")
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "limitExceeded")
    }
}
