import Testing
#if canImport(Glibc)
import Glibc
#endif
import NNM
import NNMFormat
import NNMPlot
@testable import NNMRender

/// A model whose answer is known: P(class 1) = sigmoid(10x) (class 1 exactly where x > 0),
/// optionally without the final Sigmoid (raw scores).
private func rightHalfModel(inputs: Int = 2, sigmoid: Bool = true, history: Bool = false,
                            recipe: DatasetRecipe? = nil) -> ModelFile {
    var first = [Float](repeating: 0, count: 2 * inputs)
    first[0] = 1; first[inputs] = -1
    var layers = [LayerRecord(kind: .linear, inputs: inputs, outputs: 2), LayerRecord(kind: .relu, inputs: 2, outputs: 2),
                  LayerRecord(kind: .linear, inputs: 2, outputs: 1)]
    if sigmoid { layers.append(LayerRecord(kind: .sigmoid, inputs: 1, outputs: 1)) }
    let tensors = [Tensor(name: "layers.0.weight", shape: [2, inputs], values: first),
                   Tensor(name: "layers.0.bias", shape: [2], values: [0, 0]),
                   Tensor(name: "layers.2.weight", shape: [1, 2], values: [10, -10]),
                   Tensor(name: "layers.2.bias", shape: [1], values: [0])]
    let h = TrainingHistory(series: [HistorySeries(name: "train_loss", values: [0.7, 0.4, 0.2])])
    return ModelFile(layers: layers, tensors: tensors, history: history ? h : nil, dataset: recipe)
}

private func circles() throws -> DatasetRecipe {
    DatasetRecipe(try DataRecipe.parse("circles", samples: 300, seed: 7, validationFraction: 0.1, testFraction: 0.2))
}

@Suite struct BoundaryFromModelTests {
    @Test func squareInputsBecomeImages() {
        #expect(squareImageShape(inputs: 784).map { [$0.rows, $0.cols] } == [28, 28])
        #expect(squareImageShape(inputs: 64).map { [$0.rows, $0.cols] } == [8, 8])
        #expect(squareImageShape(inputs: 16).map { [$0.rows, $0.cols] } == [4, 4])
        #expect(squareImageShape(inputs: 2) == nil)
        #expect(squareImageShape(inputs: 15) == nil)
        #expect(squareImageShape(inputs: 785) == nil)
    }

    @Test func pointsAreTheRecipeSplitAndAccuracyIsMeasuredOnTheTestPart() throws {
        let recipe = try circles()
        let (input, summary) = try BoundaryFromModel.input(for: rightHalfModel(recipe: recipe))
        let split = try DataRecipe(recipe).makeSplit()
        #expect(summary.trainCount == split.train.sampleCount && summary.testCount == split.test.sampleCount)
        #expect(input.points.count == split.train.sampleCount + split.test.sampleCount)
        #expect(input.points.filter(\.isTest).count == split.test.sampleCount)
        #expect(input.points.first.map { [$0.x, $0.y] } == [Double(split.train.features[0, 0]), Double(split.train.features[0, 1])])
        // The model says class 1 where x > 0: the accuracy is exactly that rule's on the test part.
        let right = (0..<split.test.sampleCount).filter { (split.test.features[$0, 0] > 0 ? 1 : 0) == split.test.labels[$0] }.count
        #expect(summary.accuracy == Double(right) / Double(split.test.sampleCount))
        #expect(summary.accuracyOn == "test")
        #expect(input.title.hasPrefix("circles (300 samples, noise 0.05) · accuracy train "))
        // One style: the compact title drops only the dataset's parameters.
        #expect(input.compactTitle?.hasPrefix("circles · accuracy train ") == true)
        let accuracyPart = input.title.split(separator: "·").last.map(String.init)
        #expect(accuracyPart != nil && input.compactTitle?.hasSuffix(accuracyPart ?? "-") == true)
        #expect(input.cornerText.isEmpty)
        #expect(input.classCount == 2)
    }

    /// A model recording its class names (`data.class_names.K`, nnm-train on a CSV with named
    /// labels) shows them in the legend and the colour bar when it draws its own points; with
    /// `--data` the CSV's labels are matched to those names (as nnm-predict matches them).
    @Test func recordedClassNamesNameTheLegendAndTheColourBar() throws {
        var file = rightHalfModel(recipe: try circles())
        let (unnamed, _) = try BoundaryFromModel.input(for: file)
        #expect(unnamed.classNames == nil && probabilityLabel(unnamed) == nil)

        file.metadata = ModelFile.classNameMetadata(["inner", "outer"])
        let (input, _) = try BoundaryFromModel.input(for: file)
        #expect(input.classNames == ["inner", "outer"])
        #expect(probabilityLabel(input) == "P(outer)")

        // Names for another number of classes than the model has are not used.
        file.metadata = ModelFile.classNameMetadata(["a", "b", "c"])
        #expect(try BoundaryFromModel.input(for: file).input.classNames == nil)

        // With --data, the CSV's labels are matched to the model's names, not numbered in the
        // file's sorted order: class 1 (x > 0) is "inner" here, so the accuracy is 1 (sorted
        // order made "inner" class 0: accuracy 0, the legend's names swapped).
        file.metadata = ModelFile.classNameMetadata(["outer", "inner"])
        try withCSV("a,b,y\n-1,0,outer\n1,0,inner\n2,1,inner\n") { path in
            let (other, summary) = try BoundaryFromModel.input(for: file, points: .csv(path: path))
            #expect(other.classNames == ["outer", "inner"])
            #expect(summary.accuracy == 1 && summary.notes.isEmpty)
        }
        // A file holding one class only (all "inner"): still class 1, not refused.
        try withCSV("a,b,y\n1,0,inner\n2,1,inner\n") { path in
            let (_, summary) = try BoundaryFromModel.input(for: file, points: .csv(path: path))
            #expect(summary.accuracy == 1)
            let held = try HeldOutEvaluation.of(try NNMModel(file: file), points: .csv(path: path))
            #expect(held.labels == [1, 1] && held.predictions == [1, 1] && held.classNames == ["outer", "inner"])
        }
        // A label the model does not know is an error naming it, not a guess.
        try withCSV("a,b,y\n-1,0,lo\n1,0,hi\n") { path in
            #expect(throws: RenderError.labelNotAClass(path: path, label: "hi", classes: ["outer", "inner"])) {
                _ = try BoundaryFromModel.input(for: file, points: .csv(path: path))
            }
        }
    }

    /// A model that records its columns' names finds them in a `--data` CSV file by name, in
    /// any order and beside columns it does not use, as nnm-predict does (by position, `b,a,y`
    /// fed b to the model's first input: accuracy 0 here; `y,b,a,id` took id as the labels).
    @Test func aDataFilesColumnsAreFoundByTheModelsNames() throws {
        var file = rightHalfModel(recipe: try circles())   // class 1 when its first input a > 0
        file.metadata = ModelFile.featureNameMetadata(["a", "b"], labelName: "y")
        let model = try NNMModel(file: file)
        for csv in ["b,a,y\n0,-1,0\n0,1,1\n1,2,1\n-2,-3,0\n", "y,b,a,id\n0,0,-1,r1\n1,0,1,r2\n1,1,2,r3\n0,-2,-3,r4\n"] {
            try withCSV(csv) { path in
                let (_, summary) = try BoundaryFromModel.input(for: file, points: .csv(path: path))
                #expect(summary.accuracy == 1, "\(csv)")
                let held = try HeldOutEvaluation.of(model, points: .csv(path: path))
                #expect(held.labels == [0, 1, 1, 0] && held.predictions == [0, 1, 1, 0], "\(csv)")
            }
        }
        /// Why `csv` is refused as unreadable points ("" when it is not).
        func refusal(_ csv: String) throws -> String {
            try withCSV(csv) { path in
                do {
                    _ = try BoundaryFromModel.input(for: file, points: .csv(path: path))
                    return ""
                } catch let RenderError.unreadablePoints(_, reason) {
                    return reason
                }
            }
        }
        // The features by name but no column of the label's name: an error, not the id column
        // taken as the labels by its position.
        let noLabel = try refusal("b,a,id\n0,-1,r1\n0,1,r2\n")
        #expect(noLabel.contains("no 'y' column"), "\(noLabel)")
        // A header without the model's names: refused as nnm-predict refuses it (the columns
        // went by position, drawn under the file's names). Without a header: by position.
        let otherNames = try refusal("p,q,y\n-1,0,0\n1,0,1\n")
        #expect(otherNames.contains("lacks 2 of the model's 2 feature columns: 'a', 'b'"), "\(otherNames)")
        try withCSV("-1,0,0\n1,0,1\n") { path in
            let (_, summary) = try BoundaryFromModel.input(for: file, points: .csv(path: path))
            #expect(summary.accuracy == 1)
        }
    }

    /// A network held in memory with a typed recipe gives the picture its file would.
    @Test func aNetworkInMemoryDrawsAsItsFileDoes() throws {
        var file = rightHalfModel(recipe: try circles())
        file.metadata = ModelFile.classNameMetadata(["inner", "outer"])
        let (fromFile, fileSummary) = try BoundaryFromModel.input(for: file)
        let recipe = try DataRecipe(try circles())
        let (inMemory, summary) = try BoundaryFromModel.input(network: try Sequential(file: file), recipe: recipe,
                                                             classNames: ["inner", "outer"])
        #expect(inMemory.title == fromFile.title && inMemory.compactTitle == fromFile.compactTitle)
        #expect(inMemory.points.map(\.x) == fromFile.points.map(\.x) && inMemory.classNames == fromFile.classNames)
        #expect(summary.accuracy == fileSummary.accuracy && summary.source == fileSummary.source)
        #expect(throws: RenderError.noRecipe) {
            try BoundaryFromModel.input(network: try Sequential(file: file), recipe: nil)
        }
    }

    /// A stored recipe that does not decode cannot give points, and says which generator it named.
    @Test func anUndecodableRecipeCannotRegenerate() throws {
        var wire = try circles()
        wire.parameters["factor"] = .string("wide")
        #expect(throws: RenderError.cannotRegenerate(
            generator: "circles", reason: "circles: factor = string(\"wide\") is invalid; expected a number")) {
            try BoundaryFromModel.input(for: rightHalfModel(recipe: wire))
        }
    }

    @Test func evaluateIsTheModelsForwardPass() throws {
        let (input, _) = try BoundaryFromModel.input(for: rightHalfModel(recipe: try circles()))
        let p = try input.evaluate([(-0.5, 0.3), (0.5, -0.3), (0, 0)])
        #expect(p.count == 3)
        #expect(p[0] < 0.01 && p[1] > 0.99 && abs(p[2] - 0.5) < 1e-6)
        // Raw scores (no Sigmoid layer) are shown as probabilities.
        let (raw, _) = try BoundaryFromModel.input(for: rightHalfModel(sigmoid: false, recipe: try circles()))
        let q = try raw.evaluate([(-0.5, 0.3), (0.5, -0.3)])
        #expect(q[0] < 0.01 && q[1] > 0.99)
    }

    @Test func aUserTitleMovesTheAccuracyToTheCorner() throws {
        let (input, _) = try BoundaryFromModel.input(for: rightHalfModel(recipe: try circles()), title: "my model")
        #expect(input.title == "my model")
        #expect(input.cornerText.count == 1 && input.cornerText[0].hasPrefix("accuracy train "))
    }

    @Test func refusalsComeCheapestFirst() throws {
        // One input: refused before the (missing) recipe is even looked at.
        #expect(throws: RenderError.notTwoDimensional(inputs: 1)) {
            try BoundaryFromModel.input(for: rightHalfModel(inputs: 1))
        }
        // Three inputs, no standardization, no recipe: nothing gives the means of a slice.
        #expect(throws: RenderError.noSliceMeans(held: 1)) {
            try BoundaryFromModel.input(for: rightHalfModel(inputs: 3))
        }
        #expect(throws: RenderError.noRecipe) { try BoundaryFromModel.input(for: rightHalfModel()) }
        let blobs4 = DatasetRecipe(try DataRecipe.parse("bits4", seed: 1, validationFraction: 0, testFraction: 0))
        #expect(throws: RenderError.dataNotTwoDimensional(source: "bits4", features: 4)) {
            try BoundaryFromModel.input(for: rightHalfModel(recipe: blobs4))
        }
        #expect(throws: RenderError.dataFileMissing(path: "/nonexistent/points.csv", reason: "no such file, or no permission")) {
            var r = DatasetRecipe(try DataRecipe.parse("circles", seed: 1, validationFraction: 0, testFraction: 0))
            r.generator = "csv"
            r.parameters = ["file_path": .string("/nonexistent/points.csv"), "label_column": .string("-1"),
                            "header": .string("auto")]
            return try BoundaryFromModel.input(for: rightHalfModel(recipe: r))
        }
    }

    @Test func anotherCSVFilesPointsAreAllHeldOut() throws {
        let path = "/tmp/nnmrender-other-\(UInt64.random(in: 0...UInt64.max)).csv"
        // Four points, three on the side the model calls theirs.
        let text = "a,b,y\n-0.5,0,0\n0.5,0,1\n0.7,0.2,1\n0.4,-0.1,0\n"
        let f = fopen(path, "w")
        #expect(f != nil)
        _ = text.withCString { fputs($0, f) }
        fclose(f)
        defer { unlink(path) }
        let (input, summary) = try BoundaryFromModel.input(for: rightHalfModel(recipe: try circles()), points: .csv(path: path))
        #expect(input.points.count == 4 && input.points.allSatisfy(\.isTest))
        #expect(summary.trainCount == 0 && summary.testCount == 4)
        #expect(summary.accuracy == 0.75 && summary.accuracyOn == "data")
        #expect(input.title.hasPrefix("nnmrender-other-") && input.title.hasSuffix(" · accuracy 75.00 %"))
    }

    /// Writes `text` to a fresh temporary CSV and passes its path to `body`.
    @discardableResult
    private func withCSV<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = "/tmp/nnmrender-csv-\(UInt64.random(in: 0...UInt64.max)).csv"
        let f = fopen(path, "w")
        #expect(f != nil)
        _ = text.withCString { fputs($0, f) }
        fclose(f)
        defer { unlink(path) }
        return try body(path)
    }

    @Test func labelsThatDoNotFitTheModelAreRefusedOrMappedAloud() throws {
        let model = rightHalfModel(recipe: try circles())
        // Three classes on a two-class model: refused, not "accuracy 33 %".
        try withCSV("a,b,y\n-1,0,k0\n1,0,k1\n0,1,k2\n0,-1,k0\n") { path in
            #expect(throws: RenderError.self) { try BoundaryFromModel.input(for: model, points: .csv(path: path)) }
            do { _ = try BoundaryFromModel.input(for: model, points: .csv(path: path)) } catch {
                #expect("\(error)".contains("3 classes but the model has 2"))
            }
        }
        // Named labels: mapped in sorted order, and a note says so; the header names the axes.
        try withCSV("height,weight,y\n-1,0,lo\n1,0,hi\n") { path in
            let (input, summary) = try BoundaryFromModel.input(for: model, points: .csv(path: path))
            #expect(summary.notes == ["labels of \(path.split(separator: "/").last ?? "") mapped to the model's classes in sorted order: hi → class 0, lo → class 1"])
            #expect(input.axisNames?.x == "height" && input.axisNames?.y == "weight")
        }
        // Labels that are already 0 and 1: nothing to say.
        try withCSV("a,b,y\n-1,0,0\n1,0,1\n") { path in
            let (_, summary) = try BoundaryFromModel.input(for: model, points: .csv(path: path))
            #expect(summary.notes.isEmpty)
        }
        // Only class 1 in the file: it stays class 1 (sorted order would have made it class 0).
        try withCSV("a,b,y\n1,0,1\n2,1,1.0\n") { path in
            let (_, summary) = try BoundaryFromModel.input(for: model, points: .csv(path: path))
            #expect(summary.accuracy == 1 && summary.notes.isEmpty)
        }
        // Class numbers and one that is not a class: an error, as nnm-predict's, not a quiet
        // fall-back to sorted order that would renumber every label.
        try withCSV("a,b,y\n-1,0,1\n1,0,3\n") { path in
            #expect(throws: RenderError.labelNotAClass(path: path, label: "3", classes: ["0", "1"])) {
                _ = try BoundaryFromModel.input(for: model, points: .csv(path: path))
            }
        }
    }

    @Test func manyPointsAreSubsampledButAllAreScored() throws {
        var text = "a,b,y\n"
        for i in 0..<6_000 { let x = (Double(i % 200) - 99.5) / 100; text += "\(x),\(Double(i / 200) / 30),\(x > 0 ? 1 : 0)\n" }
        try withCSV(text) { path in
            let model = rightHalfModel(recipe: try circles())
            let (a, summary) = try BoundaryFromModel.input(for: model, points: .csv(path: path))
            let (b, _) = try BoundaryFromModel.input(for: model, points: .csv(path: path))
            #expect(a.points.count == BoundaryFromModel.maxDrawnPoints)
            #expect(a.points.map(\.x) == b.points.map(\.x) && a.points.map(\.y) == b.points.map(\.y))
            #expect(summary.testCount == 6_000 && summary.accuracy == 1)
            #expect(summary.notes.contains("showing 5,000 of 6,000 points (a seeded random subsample); the accuracy uses all of them"))
        }
    }

    @Test func aDataFileOfAnotherSizeIsRefusedWithoutReadingIt() throws {
        // A sparse 2 GiB file: reading (or hashing) it is what must not happen.
        let path = "/tmp/nnmrender-huge-\(UInt64.random(in: 0...UInt64.max)).csv"
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(ftruncate(fd, 1 << 31) == 0)
        close(fd)
        defer { unlink(path) }
        var r = DatasetRecipe(try DataRecipe.parse("circles", seed: 1, validationFraction: 0, testFraction: 0))
        r.generator = "csv"
        r.parameters = ["file_path": .string(path), "label_column": .string("-1"), "header": .string("auto"),
                        "file_bytes": .int(100), "file_sha256": .string(String(repeating: "0", count: 64))]
        #expect(throws: RenderError.dataFileChanged(path: path, detail: "recorded 100 bytes, found 2147483648")) {
            try BoundaryFromModel.input(for: rightHalfModel(recipe: r))
        }
    }

    @Test func renderAllSkipsWhatDoesNotApplyAndDrawsTheRest() throws {
        let theme = Theme(text: FontFile.renderer().renderer)
        let bare = try renderAll(rightHalfModel(), theme: theme)
        var made: [PictureKind] = [], skipped: [PictureKind: String] = [:]
        for o in bare {
            switch o {
            case let .made(kind, _, _): made.append(kind)
            case let .skipped(kind, reason): skipped[kind] = reason
            case let .failed(kind, error): Issue.record("\(kind) failed: \(error)")
            }
        }
        #expect(made == [.weights, .network])
        #expect(skipped[.confusion] == RenderError.noRecipe.description)
        #expect(skipped[.loss] == RenderError.noHistory.description)
        #expect(skipped[.boundary] == RenderError.noRecipe.description)
        #expect(skipped[.weightImages] != nil)

        let full = try renderAll(rightHalfModel(history: true, recipe: try circles()), theme: theme)
        let kinds = full.compactMap { o -> PictureKind? in if case let .made(k, _, _) = o { return k }; return nil }
        #expect(kinds == [.loss, .weights, .boundary, .confusion, .roc, .network])
    }

    /// Pictures are drawn from a loaded model, and a model with a misshapen tensor does not
    /// load: nothing is drawn from it (not even the loss curve its history would allow).
    @Test func aDamagedTensorDrawsNothing() throws {
        var file = rightHalfModel(history: true, recipe: try circles())
        file.tensors[2] = Tensor(name: "layers.2.weight", shape: [1, 3], values: [1, 2, 3])
        let error = try #require(throws: ModelLoadError.self) { try renderAll(file, theme: Theme(text: FontFile.renderer().renderer)) }
        #expect(error.description.contains("layers.2.weight"))
    }

    @Test func centringKeepsThePictureAndPadsWithWhite() throws {
        var c = try Canvas(width: 10, height: 6, background: RGBA(1, 0, 0))
        c.fillPixels(PixelBox(x0: 0, y0: 0, x1: 1, y1: 1), .black)
        let out = try c.centred(onAtLeast: 20, 10)
        #expect(out.width == 20 && out.height == 10)
        #expect(out.pixel(5, 2) == .black)
        #expect(out.pixel(6, 2) == RGBA(1, 0, 0))
        #expect(out.pixel(0, 0) == .white && out.pixel(19, 9) == .white)
        let same = try c.centred(onAtLeast: 5, 5)
        #expect(same.width == 10 && same.height == 6)
    }

    @Test func aLongTitleGivesWayToTheCompactOne() throws {
        let theme = Theme(text: FontFile.renderer().renderer)
        let (input, _) = try BoundaryFromModel.input(for: rightHalfModel(recipe: try circles()))
        let plot = FieldPlot(extent: Extent(xMin: -1, xMax: 1, yMin: -1, yMax: 1),
                             background: .probability(try ScalarGrid(width: 2, height: 2, values: [0, 0, 0, 0])))
        #expect(fittingTitle(input, plot: plot, width: 900, height: 700, theme: theme) == input.title)
        let narrow = fittingTitle(input, plot: plot, width: 330, height: 300, theme: theme)
        // Compact, cut or shortened to the held-out figure, the accuracy stays (it used to be
        // what the cut lost).
        #expect(narrow.hasSuffix("%") && narrow.count < input.title.count, "\(narrow)")
        #expect(narrow != input.title)
    }
}
