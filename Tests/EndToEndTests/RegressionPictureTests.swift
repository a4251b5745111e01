import Foundation
import Testing

/// `nnm-render` on regression models: the value field instead of a refused boundary, the
/// residuals picture, `all` making both, and residuals refused for a classifier.
@Suite struct RegressionPictureTests {
    static let train = Tool(name: "nnm-train")
    static let render = Tool(name: "nnm-render")

    @Test func residualsValueFieldAndAllForARegressionModel() throws {
        try Tool.inTemporaryDirectory { directory in
            try RegressionToolTests.csv().text.write(toFile: directory + "/sine.csv", atomically: true, encoding: .utf8)
            let model = directory + "/sine.nnm"
            let trained = try Self.train.run(["-o", model, "--dataset", "csv:\(directory)/sine.csv", "--drop-columns", "id",
                                              "--task", "regression", "--epochs", "5", "--quiet"])
            #expect(trained.status == 0, "\(trained.stderr)")
            let residuals = try Self.render.run(["residuals", model, "-o", directory + "/r.png"])
            #expect(residuals.status == 0, "\(residuals.stderr)")
            let png = try PNGFile.read(directory + "/r.png")
            #expect(png.width == 1000 && png.height == 480)
            let field = try Self.render.run(["boundary", model, "-o", directory + "/b.png", "--size", "320x240"])
            #expect(field.status == 0, "\(field.stderr)")
            #expect(field.stderr.contains("R²"), "\(field.stderr)")
            let all = try Self.render.run(["all", model, "--out-dir", directory + "/pictures"])
            #expect(all.status == 0, "\(all.stderr)")
            for name in ["residuals.png", "boundary.png", "loss.png"] {
                #expect(FileManager.default.fileExists(atPath: directory + "/pictures/" + name), "\(name): \(all.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory + "/pictures/confusion.png"))
        }
    }

    @Test func residualsRefuseAClassifier() throws {
        try Tool.inTemporaryDirectory { directory in
            let model = directory + "/c.nnm"
            let trained = try Self.train.run(["-o", model, "--dataset", "circles", "--samples", "200", "--epochs", "1", "--quiet"])
            #expect(trained.status == 0, "\(trained.stderr)")
            let run = try Self.render.run(["residuals", model, "-o", directory + "/r.png"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("classifier"), "\(run.stderr)")
            #expect(run.stderr.contains("see the confusion and roc pictures"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/r.png"))
            // ROC is drawn for two classes only, so a 3-class model is pointed to the confusion picture alone.
            let three = directory + "/three.nnm"
            let blobs = try Self.train.run(["-o", three, "--dataset", "blobs", "--centers", "3", "--samples", "90",
                                            "--epochs", "1", "--quiet"])
            #expect(blobs.status == 0, "\(blobs.stderr)")
            let refused = try Self.render.run(["residuals", three, "-o", directory + "/r3.png"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("(see the confusion picture)") && !refused.stderr.contains("roc"),
                    "\(refused.stderr)")
            let all = try Self.render.run(["all", model, "--out-dir", directory + "/pictures"])
            #expect(all.status == 0, "\(all.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/pictures/residuals.png"))
        }
    }
}
