import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NNM
import NNMFormat
import NNMFiles
import NNMPlot
import Testing

/// End-to-end tests of the `nnm-render` executable on models built in the test with a known
/// answer: sizes of the PNGs read back, class colours on the right sides, one-line errors with
/// exit status 1 and no file written, overwrite protection.
@Suite struct RenderTests: ToolSuite {
    static let tool = Tool(name: "nnm-render")

    // MARK: models with a known answer

    /// 2 → 2 → 1: h = relu([x, -x]), P(class 1) = sigmoid(10·h₀ − 10·h₁) = sigmoid(10x), so the
    /// model says class 1 exactly where x > 0.
    static func rightHalfModel(inputs: Int = 2, history: Bool = true, recipe: DatasetRecipe?? = nil) throws -> ModelFile {
        var first = [Float](repeating: 0, count: 2 * inputs)
        first[0] = 1; first[inputs] = -1
        let layers = [LayerRecord(kind: .linear, inputs: inputs, outputs: 2), LayerRecord(kind: .relu, inputs: 2, outputs: 2),
                      LayerRecord(kind: .linear, inputs: 2, outputs: 1), LayerRecord(kind: .sigmoid, inputs: 1, outputs: 1)]
        let tensors = [Tensor(name: "layers.0.weight", shape: [2, inputs], values: first),
                       Tensor(name: "layers.0.bias", shape: [2], values: [0, 0]),
                       Tensor(name: "layers.2.weight", shape: [1, 2], values: [10, -10]),
                       Tensor(name: "layers.2.bias", shape: [1], values: [0])]
        let n = 12
        let h = TrainingHistory(series: [
            HistorySeries(name: "train_loss", values: (0..<n).map { 0.7 * Float(exp(-Double($0) / 4)) + 0.05 }),
            HistorySeries(name: "val_loss", values: (0..<n).map { 0.72 * Float(exp(-Double($0) / 4)) + 0.07 }),
            HistorySeries(name: "train_accuracy", values: (0..<n).map { 1 - 0.5 * Float(exp(-Double($0) / 3)) }),
            HistorySeries(name: "val_accuracy", values: (0..<n).map { 0.98 - 0.5 * Float(exp(-Double($0) / 3)) }),
        ])
        let circles = DatasetRecipe(try DataRecipe.parse("circles", samples: 300, seed: 7, validationFraction: 0.1, testFraction: 0.2))
        return ModelFile(layers: layers, tensors: tensors, history: history ? h : nil,
                         dataset: recipe ?? circles)
    }

    static func save(_ file: ModelFile, _ path: String) throws -> String {
        try file.write(to: path)
        return path
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    // MARK: pictures

    @Test func everyPictureDecodesWithTheAskedSize() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.save(try Self.rightHalfModel(), dir + "/m.nnm")
            var r = try Self.run(["loss", model, "-o", dir + "/loss.png", "--size", "900x400", "--smooth", "0.5"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("wrote \(dir)/loss.png (900×400"))
            var png = try PNGFile.read(dir + "/loss.png")
            #expect(png.width == 900 && png.height == 400)

            r = try Self.run(["boundary", model, "-o", dir + "/b.png", "--size", "700x600"])
            #expect(r.status == 0, "\(r.stderr)")
            png = try PNGFile.read(dir + "/b.png")
            #expect(png.width == 700 && png.height == 600)

            r = try Self.run(["weights", model, "-o", dir + "/w.png", "--size", "800x700"])
            #expect(r.status == 0, "\(r.stderr)")
            png = try PNGFile.read(dir + "/w.png")
            #expect(png.width == 800 && png.height == 700)

            // Scale 2: twice the pixels in each direction.
            r = try Self.run(["loss", model, "-o", dir + "/loss2.png", "--size", "560x300", "--scale", "2", "--log-y"])
            #expect(r.status == 0, "\(r.stderr)")
            png = try PNGFile.read(dir + "/loss2.png")
            #expect(png.width == 1120 && png.height == 600)
        }
    }

    @Test func allWritesWhatAppliesAndSaysWhatItSkipped() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.save(try Self.rightHalfModel(), dir + "/m.nnm")
            let r = try Self.run(["all", model, "--out-dir", dir + "/pics"])
            #expect(r.status == 0, "\(r.stderr)")
            for name in ["loss", "weights", "boundary"] {
                let png = try PNGFile.read(dir + "/pics/\(name).png")
                #expect(png.width > 100 && png.height > 100)
            }
            #expect(!Self.exists(dir + "/pics/weights-images.png"))
            #expect(r.stdout.contains("skipped weights-images.png: "))

            // Without history or recipe only the weights apply.
            let bare = try Self.save(try Self.rightHalfModel(history: false, recipe: .some(nil)), dir + "/bare.nnm")
            let s = try Self.run(["all", bare, "--out-dir", dir + "/bare"])
            #expect(s.status == 0, "\(s.stderr)")
            #expect(Self.exists(dir + "/bare/weights.png"))
            #expect(!Self.exists(dir + "/bare/loss.png") && !Self.exists(dir + "/bare/boundary.png"))
            #expect(s.stdout.contains("skipped loss.png: the model file has no training history"))
            #expect(s.stdout.contains("skipped boundary.png: the model file has no dataset recipe"))
        }
    }

    /// P(class 1) = sigmoid(10x): the left of the plot must be the class-0 blue, the right the
    /// class-1 red (points are few and small; the field dominates each region).
    @Test func boundaryShowsEachClassColourOnItsSide() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.save(try Self.rightHalfModel(), dir + "/m.nnm")
            let r = try Self.run(["boundary", model, "-o", dir + "/b.png", "--size", "700x600"])
            #expect(r.status == 0, "\(r.stderr)")
            let png = try PNGFile.read(dir + "/b.png")
            func count(_ x0: Double, _ x1: Double) -> (blue: Int, red: Int) {
                var blue = 0, red = 0
                for y in (png.height * 3 / 10)..<(png.height * 7 / 10) {
                    for x in Int(Double(png.width) * x0)..<Int(Double(png.width) * x1) {
                        let (rr, _, bb, _) = png.pixel(x, y)
                        if Int(bb) > Int(rr) + 40 { blue += 1 }
                        if Int(rr) > Int(bb) + 40 { red += 1 }
                    }
                }
                return (blue, red)
            }
            // The plot box is roughly the middle of the picture, the colour bar at the right.
            let left = count(0.15, 0.35), right = count(0.52, 0.70)
            #expect(left.blue > 20 * max(1, left.red), "left \(left)")
            #expect(right.red > 20 * max(1, right.blue), "right \(right)")
            #expect(left.blue > 10_000 && right.red > 10_000)
        }
    }

    // MARK: errors

    @Test func picturesThatDoNotApplyAreClearErrorsAndWriteNothing() throws {
        try Self.inTemporaryDirectory { dir in
            let bare = try Self.save(try Self.rightHalfModel(history: false, recipe: .some(nil)), dir + "/bare.nnm")
            var r = try Self.run(["loss", bare, "-o", dir + "/loss.png"])
            #expect(r.status == 1)
            #expect(r.stderr == "nnm-render: error: \(bare) has no training history; nothing to plot for `loss` (nnm-train records one per epoch)\n")
            #expect(!Self.exists(dir + "/loss.png"))

            r = try Self.run(["boundary", bare, "-o", dir + "/b.png"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("has no dataset recipe") && r.stderr.contains("--data csv:PATH"))
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(!Self.exists(dir + "/b.png"))

            let oneInput = try Self.save(try Self.rightHalfModel(inputs: 1), dir + "/one.nnm")
            r = try Self.run(["boundary", oneInput, "-o", dir + "/b.png"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("a decision boundary needs a model with at least 2 inputs; this one has 1"))
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(!Self.exists(dir + "/b.png"))

            // Three inputs, trained on two-feature data: the data does not fit the model.
            let threeInputs = try Self.save(try Self.rightHalfModel(inputs: 3), dir + "/three.nnm")
            r = try Self.run(["boundary", threeInputs, "-o", dir + "/b.png"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("has 2 feature columns but the model has 3 inputs"), "\(r.stderr)")
            #expect(!Self.exists(dir + "/b.png"))

            r = try Self.run(["weights", bare, "-o", dir + "/w.png", "--as-images", "28x28"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("no Linear layer has 784 inputs"))
            #expect(!Self.exists(dir + "/w.png"))

            r = try Self.run(["all", dir + "/missing.nnm", "--out-dir", dir + "/out"])
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("nnm-render: error: \(dir)/missing.nnm: "))
            #expect(!Self.exists(dir + "/out"))

            r = try Self.run(["loss", bare, "-o", dir + "/l.png", "--size", "12x9"])
            #expect(r.status == 64)
            #expect(r.stderr.contains("--size"))
        }
    }

    /// A file cut short is reported as every other failure is (`nnm-render: error: …`, one line,
    /// status 1), whichever picture was asked for, and nothing is written.
    @Test func aTruncatedModelIsAnErrorLineWithTheErrorPrefix() throws {
        try Self.inTemporaryDirectory { dir in
            let whole = try Self.save(try Self.rightHalfModel(), dir + "/whole.nnm")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            try bytes.prefix(300).write(to: URL(fileURLWithPath: dir + "/cut.nnm"))
            let runs = [["all", dir + "/cut.nnm", "--out-dir", dir + "/out"],
                        ["confusion", dir + "/cut.nnm", "-o", dir + "/c.png"],
                        ["loss", dir + "/cut.nnm", "-o", dir + "/l.png"]]
            for arguments in runs {
                let r = try Self.run(arguments)
                #expect(r.status == 1, "\(arguments[0]): \(r.stderr)")
                #expect(r.stderr.hasPrefix("nnm-render: error: \(dir)/cut.nnm: "), "\(arguments[0]): \(r.stderr)")
                #expect(r.stderr.contains("truncated"), "\(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            }
            #expect(!Self.exists(dir + "/out") && !Self.exists(dir + "/c.png") && !Self.exists(dir + "/l.png"))
        }
    }

    @Test func weightsOfAModelWithoutLinearLayersIsAClearError() throws {
        try Self.inTemporaryDirectory { dir in
            let file = ModelFile(layers: [LayerRecord(kind: .relu, inputs: 2, outputs: 2)], tensors: [])
            let model = try Self.save(file, dir + "/relu.nnm")
            // Pictures are drawn from a loaded model; a network of activations only cannot run.
            let r = try Self.run(["weights", model, "-o", dir + "/w.png"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("the model cannot be run") && r.stderr.contains("linear or standardize layer"))
            #expect(!Self.exists(dir + "/w.png"))
            let a = try Self.run(["all", model, "--out-dir", dir + "/out"])
            // Not even a boundary: the engine cannot run a network without a Linear layer.
            #expect(a.status == 1)
            #expect(a.stderr.contains("the model cannot be run") && a.stderr.contains("nothing written"))
            #expect(!Self.exists(dir + "/out"))
        }
    }

    @Test func aMovedOrChangedCSVFileIsNamedAndDataCSVFindsIt() throws {
        try Self.inTemporaryDirectory { dir in
            var csv = "x1,x2,label\n"
            for i in 0..<40 {
                let x = Double(i % 8) / 4 - 1, y = Double(i / 8) / 3 - 0.7
                csv += "\(x),\(y),\(x > 0 ? 1 : 0)\n"
            }
            try csv.write(toFile: dir + "/points.csv", atomically: true, encoding: .utf8)
            let recipe = DatasetRecipe(try DataRecipe.parse("csv:\(dir)/points.csv", seed: 3, validationFraction: 0, testFraction: 0.25))
            let model = try Self.save(try Self.rightHalfModel(recipe: .some(recipe)), dir + "/m.nnm")
            var r = try Self.run(["boundary", model, "-o", dir + "/b.png"])
            #expect(r.status == 0, "\(r.stderr)")

            try FileManager.default.moveItem(atPath: dir + "/points.csv", toPath: dir + "/moved.csv")
            r = try Self.run(["boundary", model, "-o", dir + "/b2.png"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("\(dir)/points.csv") && r.stderr.contains("--data csv:PATH"))
            #expect(!Self.exists(dir + "/b2.png"))

            try (csv + "0.5,0.5,1\n").write(toFile: dir + "/points.csv", atomically: true, encoding: .utf8)
            r = try Self.run(["boundary", model, "-o", dir + "/b2.png"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("is not the one the model was trained on"))
            #expect(!Self.exists(dir + "/b2.png"))

            r = try Self.run(["boundary", model, "-o", dir + "/b2.png", "--data", "csv:\(dir)/moved.csv"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.exists(dir + "/b2.png"))
        }
    }

    @Test func refusesToOverwriteANonPNGUnlessForced() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.save(try Self.rightHalfModel(), dir + "/m.nnm")
            let precious = Array("not a picture".utf8)
            _ = FileManager.default.createFile(atPath: dir + "/notes.txt", contents: Data(precious))

            var r = try Self.run(["loss", model, "-o", dir + "/notes.txt"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("refusing to overwrite") && r.stderr.contains("--force"))
            #expect(FileManager.default.contents(atPath: dir + "/notes.txt") == Data(precious))

            // The model itself: never, not even with --force.
            let before = FileManager.default.contents(atPath: model)
            r = try Self.run(["weights", model, "-o", model, "--force"])
            #expect(r.status == 1)
            #expect(FileManager.default.contents(atPath: model) == before)

            r = try Self.run(["loss", model, "-o", dir + "/notes.txt", "--force"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try PNGFile.read(dir + "/notes.txt").width > 0)

            // An existing PNG is replaced without asking.
            r = try Self.run(["boundary", model, "-o", dir + "/notes.txt", "--size", "320x320"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try PNGFile.read(dir + "/notes.txt").width == 320)
        }
    }

    @Test func outputSymlinksAreFollowedAndSpecialFilesRefused() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.save(try Self.rightHalfModel(), dir + "/m.nnm")
            let fm = FileManager.default
            try fm.createSymbolicLink(atPath: dir + "/link.png", withDestinationPath: "real.png")
            var r = try Self.run(["loss", model, "-o", dir + "/link.png"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try fm.destinationOfSymbolicLink(atPath: dir + "/link.png") == "real.png")
            #expect(try PNGFile.read(dir + "/real.png").width > 0)

            #expect(mkfifo(dir + "/pipe.png", 0o644) == 0)
            try fm.createDirectory(atPath: dir + "/d.png", withIntermediateDirectories: false)
            for name in ["pipe.png", "d.png"] {
                r = try Self.run(["loss", model, "-o", dir + "/" + name, "--force"])
                #expect(r.status == 1)
                #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("not a regular file"), "\(r.stderr)")
            }
            #expect(FileKind(at: dir + "/pipe.png") == .fifo)
        }
    }

    @Test func outDirCreatesOnlyItsLastComponent() throws {
        try Self.inTemporaryDirectory { dir in
            let model = try Self.save(try Self.rightHalfModel(), dir + "/m.nnm")
            var r = try Self.run(["all", model, "--out-dir", dir + "/a/b"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("does not exist") && r.stderr.contains("creates only the last"), "\(r.stderr)")
            #expect(!Self.exists(dir + "/a"))
            r = try Self.run(["all", model, "--out-dir", dir + "/a"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.exists(dir + "/a/loss.png"))
        }
    }

    @Test func tooSmallSizesAreRefusedBeforeReadingTheModel() throws {
        try Self.inTemporaryDirectory { dir in
            var r = try Self.run(["loss", dir + "/missing.nnm", "-o", dir + "/l.png", "--size", "300x120"])
            #expect(r.status != 0 && r.stderr.contains("too small") && r.stderr.contains("minimum is 520x260"), "\(r.stderr)")
            r = try Self.run(["boundary", dir + "/missing.nnm", "-o", dir + "/b.png", "--size", "200x150"])
            #expect(r.status != 0 && r.stderr.contains("minimum is 320x240"), "\(r.stderr)")
            #expect(!Self.exists(dir + "/l.png") && !Self.exists(dir + "/b.png"))
            for size in ["100x100", "300x100"] {
                r = try Self.run(["weights", dir + "/missing.nnm", "-o", dir + "/w.png", "--size", size])
                #expect(r.status == 64 && r.stderr.contains("minimum is 720x64"), "\(size): \(r.stderr)")
            }
            r = try Self.run(["all", dir + "/missing.nnm", "--out-dir", dir + "/out", "--size", "600x300"])
            #expect(r.status == 64 && r.stderr.contains("weights"), "\(r.stderr)")
            #expect(!Self.exists(dir + "/w.png") && !Self.exists(dir + "/out"))
        }
    }

    @Test func helpTeachesWithExamples() throws {
        let r = try Self.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:") && r.stdout.contains("nnm-render all model.nnm --out-dir"))
        let b = try Self.run(["boundary", "--help"])
        #expect(b.stdout.contains("--data") && b.stdout.contains("csv:PATH") && b.stdout.contains("--force"))
    }
}
