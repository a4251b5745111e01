import Foundation
import Testing

/// `--snapshots N` through the tools: nnm-train writes them (same command, same bytes) or
/// refuses with the flag's name, nnm-inspect lists their epochs, nnm-render draws them (and
/// says how to get them when a model has none).
@Suite struct SnapshotToolTests {
    static let train = Tool(name: "nnm-train"), inspect = Tool(name: "nnm-inspect"), render = Tool(name: "nnm-render")

    @Test func trainInspectAndRenderAModelWithSnapshots() throws {
        try Tool.inTemporaryDirectory { directory in
            let a = directory + "/a.nnm", b = directory + "/b.nnm", plain = directory + "/plain.nnm"
            let flags = ["--samples", "200", "--epochs", "20", "--quiet"]
            #expect(try Self.train.run(["-o", a, "--snapshots", "5"] + flags).status == 0)
            #expect(try Self.train.run(["-o", b, "--snapshots", "5"] + flags).status == 0)
            #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
            #expect(try Self.train.run(["-o", plain] + flags).status == 0)

            let text = try Self.inspect.run([a])
            #expect(text.stdout.contains("snapshots: 5, at epochs 1, 2, 4, 9, 20 (nnm-render evolution draws them)"), "\(text.stdout)")
            let json = try Self.inspect.run(["--json", a])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let snapshots = object?["snapshots"] as? [String: Any]
            #expect(snapshots?["epochs"] as? [Int] == [1, 2, 4, 9, 20] && snapshots?["count"] as? Int == 5)
            let plainJSON = try Self.inspect.run(["--json", plain])
            #expect(plainJSON.stdout.contains("\"snapshots\": null"))
            #expect(!(try Self.inspect.run([plain])).stdout.contains("snapshots:"))
            #expect(try Self.inspect.run(["--verify", a]).status == 0)

            for picture in ["evolution", "weights-over-time"] {
                let out = directory + "/\(picture).png"
                let run = try Self.render.run([picture, a, "-o", out])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(FileManager.default.fileExists(atPath: out))
                let refused = try Self.render.run([picture, plain, "-o", directory + "/no.png"])
                #expect(refused.status == 1 && refused.stderr.contains("train it with nnm-train --snapshots N"), "\(refused.stderr)")
            }
            let all = try Self.render.run(["all", a, "--out-dir", directory + "/pictures"])
            #expect(all.status == 0, "\(all.stderr)")
            for name in ["evolution.png", "weights-over-time.png", "boundary.png"] {
                #expect(FileManager.default.fileExists(atPath: directory + "/pictures/" + name), "\(all.stdout)")
            }
            let allPlain = try Self.render.run(["all", plain, "--out-dir", directory + "/plain-pictures"])
            #expect(allPlain.status == 0 && allPlain.stdout.contains("skipped evolution.png"), "\(allPlain.stdout)")
        }
    }

    @Test func refusalsNameTheFlag() throws {
        try Tool.inTemporaryDirectory { directory in
            let tooMany = try Self.train.run(["-o", directory + "/m.nnm", "--snapshots", "65"])
            #expect(tooMany.status == 64 && tooMany.stderr.contains("--snapshots must be between 0 and 64"), "\(tooMany.stderr)")
            let negative = try Self.train.run(["-o", directory + "/m.nnm", "--snapshots", "-1"])
            #expect(negative.status == 64)
            let model = directory + "/m.nnm"
            #expect(try Self.train.run(["-o", model, "--samples", "100", "--epochs", "2", "--quiet"]).status == 0)
            let resumed = try Self.train.run(["-o", directory + "/r.nnm", "--resume", model, "--snapshots", "3", "--quiet"])
            #expect(resumed.status == 64 && resumed.stderr.contains("cannot be used with --resume"), "\(resumed.stderr)")
            let huge = try Self.train.run(["-o", directory + "/h.nnm", "--samples", "100", "--hidden", "300,300", "--snapshots", "64"])
            #expect(huge.status == 64 && huge.stderr.contains("use at most --snapshots 45"), "\(huge.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/h.nnm"))
        }
    }
}
