import Foundation
import NNMFiles
import Testing
@testable import NNMFormat

/// Differential fuzzing: damaged variants of the vectors (most with their CRCs and header
/// repaired, so that the damage reaches the tables) must give the same outcome — the same error
/// identifier on read, and on full verification — in the Swift reader and in the independent
/// Python reader. This is what makes the fixed check orders of the spec testable.
@Suite(.serialized) struct DifferentialFuzzTests {
    /// Repairs `file_length`, the header CRC and every section CRC that can be located.
    static func repair(_ input: [UInt8]) -> [UInt8] {
        var d = input
        guard d.count >= 32 else { return d }
        putLE(UInt64(d.count), &d, 16, 8)
        putLE(UInt64(CRC32.of(d[0..<28])), &d, 28, 4)
        var p = 32
        while p + 16 <= d.count {
            let length = le(d, p + 4, 8)
            guard length <= UInt64(d.count - p - 16) else { break }
            let end = p + 12 + Int(length)
            putLE(UInt64(CRC32.of(d[p..<end])), &d, end, 4)
            p = end + 4
        }
        return d
    }

    static func mutate(_ base: [UInt8], _ g: inout Fixtures.LCG) -> [UInt8] {
        var d = base
        func next(_ n: Int) -> Int { Int(g.state >> 33) % max(n, 1) }
        let edits = 1 + { _ = g.next(); return next(3) }()
        for _ in 0..<edits where !d.isEmpty {
            _ = g.next()
            let i = next(d.count)
            _ = g.next()
            switch next(10) {
            case 0..<6: _ = g.next(); d[i] = UInt8(next(256))
            case 6: _ = g.next(); d.removeSubrange(i..<min(d.count, i + 1 + next(8)))
            case 7: _ = g.next(); d.insert(contentsOf: [UInt8](repeating: UInt8(next(256)), count: 1 + next(8)), at: i)
            default:
                _ = g.next()
                let values: [UInt64] = [0, 1, 0xFFFF_FFFF, 0x7FFF_FFFF, 1 << 20, 1 << 24, 1 << 28, 2, 4, 5]
                if i + 4 <= d.count { putLE(values[next(values.count)], &d, i, 4) }
            }
        }
        _ = g.next()
        return next(10) < 8 ? repair(d) : d
    }

    static func swiftOutcome(_ bytes: [UInt8]) -> String {
        var model: ModelFile? = nil
        let read = errorCode { model = try ModelFile(bytes: bytes) }
        guard read == "no error", let model else { return "read \(read)" }
        let verify = errorCode { _ = try model.verify() }
        return verify == "no error" ? "ok" : "verify \(verify)"
    }

    @Test func swiftAndPythonReadersAgreeOnDamagedFiles() throws {
        let vectors = URL(fileURLWithPath: VectorTests.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: vectors.path).filter { $0.hasSuffix(".nnm") }.sorted()
        let bases = try names.map { try ReadOnlyFile(path: vectors.appendingPathComponent($0).path).readAll() }.filter { $0.count < 100_000 }
        let seed = UInt64.random(in: 1...UInt64.max)
        var g = Fixtures.LCG(state: seed)
        let directory = NSTemporaryDirectory() + "nnm-fuzz-\(seed)"
        mkdir(directory, 0o755)
        defer {
            for i in 0..<Self.count { unlink(directory + "/\(i).nnm") }
            rmdir(directory)
        }
        var expected: [String] = []
        for i in 0..<Self.count {
            _ = g.next()
            let base = bases[Int(g.state >> 33) % bases.count]
            let bytes = Self.mutate(base, &g)
            try AtomicFile.write(bytes, to: directory + "/\(i).nnm")
            expected.append(Self.swiftOutcome(bytes))
        }
        let program = """
        import sys
        sys.dont_write_bytecode = True
        sys.path.insert(0, sys.argv[1])
        from nnm_reader import read_nnm, NNMError
        for i in range(int(sys.argv[3])):
            data = open("%s/%d.nnm" % (sys.argv[2], i), "rb").read()
            try:
                read_nnm(data, verify=False)
            except NNMError as e:
                print("read " + e.name); continue
            try:
                read_nnm(data, verify=True); print("ok")
            except NNMError as e:
                print("verify " + e.name)
        """
        let (status, out, err) = try PythonReaderTests.python(["-c", program, PythonReaderTests.reference.path, directory, "\(Self.count)"])
        #expect(status == 0, "seed \(seed): the Python reader crashed: \(err)")
        let got = out.split(separator: "\n").map(String.init)
        #expect(got.count == expected.count, "seed \(seed)")
        var disagreements: [String] = []
        for (i, (p, s)) in zip(got, expected).enumerated() where p != s {
            disagreements.append("#\(i): Swift \(s), Python \(p)")
        }
        #expect(disagreements.isEmpty, "seed \(seed): \(disagreements.count) disagreements: \(disagreements.prefix(10).joined(separator: "; "))")
    }

    static let count = 1000
}
