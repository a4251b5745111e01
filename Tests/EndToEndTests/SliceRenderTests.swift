import Foundation
import Testing

/// `nnm-render boundary --features I,J` and `all` on a model trained by nnm-train on a CSV file
/// with four named features: the slice is drawn and stated, wrong choices are one line and a
/// bad command line (64), and `--help` teaches the choice.
@Suite struct SliceRenderTests: ToolSuite {
    static let tool = Tool(name: "nnm-render")
    static let train = Tool(name: "nnm-train")

    /// A model of four features (class 1 where a + c > 1), trained a few epochs from `dir/points.csv`.
    static func fourFeatureModel(in dir: String) throws -> String {
        var csv = "a,b,c,d,label\n"
        var state: UInt64 = 7
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for _ in 0..<120 {
            let row = (0..<4).map { _ in next() }
            csv += row.map { String(format: "%.4f", $0) }.joined(separator: ",") + ",\(row[0] + row[2] > 1 ? "yes" : "no")\n"
        }
        try csv.write(toFile: dir + "/points.csv", atomically: true, encoding: .utf8)
        let r = try train.run(["-o", dir + "/m.nnm", "--dataset", "csv:\(dir)/points.csv", "--epochs", "5", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir + "/m.nnm"
    }

    @Test func theSliceIsDrawnAndWrongChoicesAreOneLine() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.fourFeatureModel(in: dir)
            var r = try Self.run(["boundary", model, "-o", dir + "/b.png", "--features", "c,a", "--size", "480x400"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("note: Slice: the other 2 features held at their training means (the model's standardization layer)"))
            #expect(r.stderr.contains("note: Points: the test points projected onto this plane"))
            let png = try PNGFile.read(dir + "/b.png")
            #expect(png.width == 480 && png.height == 400)

            for (choice, message) in [("a,zeta", "the model has no feature named 'zeta'; its features: 'a', 'b', 'c', 'd'"),
                                      ("0,4", "index 4 is out of range: the model has 4 inputs, indices 0 to 3"),
                                      ("b,1", "'b' is given for both axes")] {
                r = try Self.run(["boundary", model, "-o", dir + "/e.png", "--features", choice])
                #expect(r.status == 64, "\(choice): \(r.stderr)")
                #expect(r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(choice): \(r.stderr)")
                #expect(!FileManager.default.fileExists(atPath: dir + "/e.png"))
            }
            r = try Self.run(["boundary", model, "-o", dir + "/e.png", "--features", "a"])
            #expect(r.status == 64 && r.stderr.contains("--features must be two features separated by a comma"), "\(r.stderr)")
        }
    }

    @Test func allIncludesTheSliceOfAWiderModel() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.fourFeatureModel(in: dir)
            let r = try Self.run(["all", model, "--out-dir", dir + "/pics"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir + "/pics/boundary.png"))
            #expect(!r.stdout.contains("skipped boundary.png"), "\(r.stdout)")
            #expect(r.stdout.contains("note: Slice: the other 2 features"), "\(r.stdout)")
        }
    }

    @Test func helpExplainsTheSlice() throws {
        let b = try Self.run(["boundary", "--help"])
        #expect(b.status == 0)
        for phrase in ["--features <I,J>", "0-based", "held at its training mean", "standardizes its inputs", "projected",
                       "--features alcohol,proline", "weighs most"] {
            #expect(b.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ").contains(phrase),
                    "missing '\(phrase)'")
        }
        let all = try Self.run(["all", "--help"])
        #expect(all.stdout.contains("--features"))
    }
}
