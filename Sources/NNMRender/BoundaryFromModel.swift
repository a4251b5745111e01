import NNM
import NNMFormat
import NNMPlot
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a decision-boundary picture takes its points from.
public enum BoundaryPoints: Sendable, Equatable {
    /// The dataset recipe stored in the model file, regenerated exactly (`recipe.makeSplit()`).
    case recipe
    /// A CSV file named by the user (`--data csv:PATH`). When the model was trained on a CSV file
    /// and PATH holds that very file (same size and SHA-256), the training split is regenerated
    /// from it; otherwise every row is drawn as a held-out point and the accuracy is measured on
    /// all of them.
    case csv(path: String)
}

/// Builds the `BoundaryInput` of a model file: the network from its layers and tensors, the
/// points from its recipe (or a CSV file), the accuracy measured on the held-out points.
///
/// Checks run cheapest first, so a model with the wrong number of inputs is refused before any
/// data is generated or read.
public enum BoundaryFromModel {
    /// Rows per forward pass when evaluating the grid: bounds the memory of one batch
    /// (16384 rows × the widest layer) whatever the picture size.
    static let batchRows = 16_384

    /// What `input(for:points:title:)` found besides the picture's input, for the caller to report.
    public struct Summary: Sendable {
        /// Where the points came from, e.g. "circles (seed 42)" or "data.csv".
        public var source: String
        public var trainCount: Int
        public var testCount: Int
        /// Accuracy on the test points (or on the training points when there are none).
        public var accuracy: Double?
        /// "test" or "train" or "data": what `accuracy` was measured on.
        public var accuracyOn: String
        /// Things the user should be told, one line each: how a CSV's labels were mapped to the
        /// model's classes, how many of the points are drawn.
        public var notes: [String] = []
    }

    /// Most points drawn. Beyond a few thousand, more points only cover the field and cost time
    /// and memory; the accuracy still uses every point.
    public static let maxDrawnPoints = 5_000
    /// The seed of the subsample of drawn points (`SeededRandom`, selection sampling): the same
    /// data always shows the same points.
    public static let subsampleSeed: UInt64 = 20_240_601

    public static func input(for file: ModelFile, points: BoundaryPoints = .recipe,
                             title: String? = nil) throws -> (input: BoundaryInput, summary: Summary) {
        let inputs = file.layers.first?.inputs ?? 0
        guard inputs == 2 else { throw RenderError.notTwoDimensional(inputs: inputs) }
        let model: Sequential
        do { model = try Sequential(file: file) } catch {
            throw RenderError.unloadableModel(reason: String(describing: error))
        }
        let outputs = model.outputCount
        let classCount = outputs == 1 ? 2 : outputs
        let (train, test, source, testLabel, isCSV) = try data(for: file, points: points)
        var notes: [String] = []
        // Labels that do not fit the model make a meaningless picture: refuse more classes than
        // it has, and say how other class names were mapped (sorted order → class index).
        let dataClasses = max(train.classCount, test.classCount)
        if dataClasses > classCount {
            throw RenderError.tooManyClasses(source: source, found: dataClasses, model: classCount)
        }
        if case .csv = points, testLabel == "data", let names = test.classNames,
           names != (0..<names.count).map(String.init) {
            let mapping = names.enumerated().map { "\(printable($0.element)) → class \($0.offset)" }.joined(separator: ", ")
            notes.append("labels of \(printable(source)) mapped to the model's classes in sorted order: \(mapping)")
        }

        // Accuracy on held-out points when there are any: that is the number that says how
        // good the boundary is, as sklearn's examples print the test score on the plot.
        // In batches, so millions of rows never make one huge activation matrix.
        func accuracy(_ d: Dataset) throws -> Double? {
            guard d.sampleCount > 0 else { return nil }
            var right = 0, start = 0
            let storage = d.features.storage
            while start < d.sampleCount {
                let end = min(d.sampleCount, start + batchRows)
                let batch = Matrix(rows: end - start, columns: 2, storage: Array(storage[(2 * start)..<(2 * end)]))
                let predicted = try model.predictClasses(batch)
                for (i, p) in predicted.enumerated() where p == d.labels[start + i] { right += 1 }
                start = end
            }
            return Double(right) / Double(d.sampleCount)
        }
        let testAccuracy = try accuracy(test), trainAccuracy = try accuracy(train)
        let shown = testAccuracy ?? trainAccuracy
        let on = testAccuracy != nil ? testLabel : "train"

        let total = train.sampleCount + test.sampleCount
        let drawn = min(total, maxDrawnPoints)
        if drawn < total {
            notes.append("showing \(grouped(drawn)) of \(grouped(total)) points (a seeded random subsample); the accuracy uses all of them")
        }
        var scatter: [ScatterPoint] = []
        scatter.reserveCapacity(drawn)
        // Selection sampling (Knuth's algorithm S): exactly `drawn` points, each equally likely,
        // in their original order, in one pass without an index array.
        var random = SeededRandom(seed: subsampleSeed)
        var seen = 0
        for (d, isTest) in [(train, false), (test, true)] {
            for i in 0..<d.sampleCount {
                let keep = drawn == total
                    || Double(total - seen) * random.uniform() < Double(drawn - scatter.count)
                seen += 1
                guard keep else { continue }
                scatter.append(ScatterPoint(x: Double(d.features[i, 0]), y: Double(d.features[i, 1]),
                                            label: d.labels[i], isTest: isTest))
            }
        }

        // The accuracies go in the title, where they hide no point; a title of the user's own
        // moves them to the corner box.
        var parts: [String] = []
        if let trainAccuracy, train.sampleCount > 0 { parts.append("train \(percent(trainAccuracy))") }
        if let testAccuracy { parts.append("\(testLabel) \(percent(testAccuracy))") }
        let accuracyText = parts.isEmpty ? nil : "accuracy " + parts.joined(separator: ", ")
        let pictureTitle = title ?? ([source, accuracyText].compactMap { $0 }.joined(separator: " · "))
        let corner = title == nil ? [] : [accuracyText].compactMap { $0 }
        // The same words as the full title, only the dataset's parameters left out.
        let compact = title == nil
            ? ([shortName(file.dataset, points), accuracyText].compactMap { $0 }.joined(separator: " · "))
            : nil

        let needsSigmoid = outputs == 1 && model.lastLayerKind != .sigmoid
        let needsSoftmax = outputs > 1 && model.lastLayerKind != .softmax
        let evaluate: ([(x: Double, y: Double)]) throws -> [Float] = { samples in
            var out: [Float] = []
            out.reserveCapacity(samples.count * outputs)
            var start = 0
            while start < samples.count {
                let end = min(samples.count, start + batchRows)
                var flat = [Float](repeating: 0, count: (end - start) * 2)
                for i in start..<end {
                    flat[2 * (i - start)] = Float(samples[i].x)
                    flat[2 * (i - start) + 1] = Float(samples[i].y)
                }
                let y = try model.predict(Matrix(rows: end - start, columns: 2, storage: flat))
                out.append(contentsOf: y.storage)
                start = end
            }
            // A model that ends in raw scores is shown as the probabilities its loss implies.
            if needsSigmoid { return out.map { 1 / (1 + expf(-$0)) } }
            if needsSoftmax { return softmaxRows(out, width: outputs) }
            return out
        }
        var input = BoundaryInput(points: scatter, classCount: classCount, evaluate: evaluate,
                                  cornerText: corner, title: pictureTitle,
                                  classNames: classNames(of: file, points: points, classCount: classCount)
                                      ?? train.classNames ?? test.classNames)
        input.compactTitle = compact
        // A CSV's header names the axes ("height", "weight" rather than x₁, x₂).
        if isCSV, let names = train.featureNames ?? test.featureNames, names.count == 2,
           !names.contains(where: { $0.isEmpty }) {
            input.axisNames = (names[0], names[1])
        }
        var summary = Summary(source: source, trainCount: train.sampleCount, testCount: test.sampleCount,
                              accuracy: shown, accuracyOn: on)
        summary.notes = notes
        return (input, summary)
    }

    /// The class names the model file records (`data.class_names.*`, written by nnm-train for a
    /// CSV with named labels), when the points are the model's own (no `--data`: another CSV's
    /// labels name its own classes) and there is one name per class of the picture.
    static func classNames(of file: ModelFile, points: BoundaryPoints, classCount: Int) -> [String]? {
        guard case .recipe = points, let names = file.classNames, names.count == classCount else { return nil }
        return names
    }

    /// Train points, held-out points, a short name of the source, and the name of the held-out part.
    static func data(for file: ModelFile, points: BoundaryPoints) throws
        -> (train: Dataset, test: Dataset, source: String, testLabel: String, isCSV: Bool) {
        switch points {
        case .recipe:
            guard let recipe = file.dataset else { throw RenderError.absent("rcpe", in: file, otherwise: .noRecipe) }
            try checkRecordedSizes(recipe)
            let split = try regenerate(recipe)
            try checkTwoFeatures(split.train, source: recipeName(recipe))
            return (split.train, split.test, recipeName(recipe), "test", recipe.generator == "csv")
        case .csv(let path):
            let name = path.split(separator: "/").last.map(String.init) ?? path
            var labelColumn = "-1", header = CSVHeaderMode.auto
            if let recipe = file.dataset, recipe.generator == "csv" {
                if case .string(let c)? = recipe.parameters["label_column"] { labelColumn = c }
                if case .string(let h)? = recipe.parameters["header"], let mode = CSVHeaderMode(rawValue: h) { header = mode }
                // The same file as in training: show the very same split.
                // A different size is a different file: known from `stat`, before reading it.
                var moved = recipe
                moved.parameters["file_path"] = .string(path)
                if (try? checkRecordedSizes(moved)) != nil, let split = try? moved.makeSplit() {
                    try checkTwoFeatures(split.train, source: name)
                    return (split.train, split.test, "\(name) (the training file)", "test", true)
                }
            }
            let all: Dataset
            do { all = try Dataset.loadCSV(path: path, labelColumn: labelColumn, header: header) } catch {
                throw RenderError.cannotRegenerate(generator: "csv", reason: String(describing: error))
            }
            try checkTwoFeatures(all, source: name)
            let empty = Dataset(features: Matrix(rows: 0, columns: 2, storage: []), labels: [],
                                classCount: all.classCount, featureNames: all.featureNames, classNames: all.classNames)
            return (empty, all, name, "data", true)
        }
    }

    /// Refuses a recipe's data file whose size is not the recorded one, from `stat` alone: a
    /// changed 375 MB file is rejected at once instead of after reading and hashing it.
    static func checkRecordedSizes(_ recipe: DatasetRecipe) throws {
        for prefix in ["file", "images", "labels"] {
            guard case .string(let path)? = recipe.parameters["\(prefix)_path"],
                  case .int(let expected)? = recipe.parameters["\(prefix)_bytes"] else { continue }
            var st = stat()
            guard stat(path, &st) == 0 else { continue }  // missing: the reader says so
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw RenderError.dataFileChanged(path: path, detail: "it is not a regular file")
            }
            if Int64(st.st_size) != expected {
                throw RenderError.dataFileChanged(path: path, detail: "recorded \(expected) bytes, found \(st.st_size)")
            }
        }
    }

    /// "9,000,000": thousands grouped so big counts read at a glance.
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    /// A name from a file, safe to print on a terminal: control characters (an escape sequence
    /// in a CSV label) become "?".
    static func printable(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }

    /// `recipe.makeSplit()` with the data-file errors a user can fix turned into advice.
    static func regenerate(_ recipe: DatasetRecipe) throws -> DatasetSplit {
        do {
            return try recipe.makeSplit()
        } catch let error as DataError {
            switch error {
            case let .unreadableFile(path, reason):
                throw RenderError.dataFileMissing(path: path, reason: reason)
            case let .fileChanged(path, detail):
                throw RenderError.dataFileChanged(path: path, detail: detail)
            default:
                throw RenderError.cannotRegenerate(generator: recipe.generator, reason: error.description)
            }
        } catch {
            throw RenderError.cannotRegenerate(generator: recipe.generator, reason: String(describing: error))
        }
    }

    static func checkTwoFeatures(_ d: Dataset, source: String) throws {
        guard d.featureCount == 2 else { throw RenderError.dataNotTwoDimensional(source: source, features: d.featureCount) }
    }

    /// "circles (1000 samples, noise 0.05)" or "data.csv".
    static func recipeName(_ recipe: DatasetRecipe) -> String {
        if recipe.generator == "csv", case .string(let name)? = recipe.parameters["file_name"] { return name }
        var parts: [String] = []
        if recipe.generator == "spiral", case .int(let k)? = recipe.parameters["classes"], k != 2 { parts.append("\(k) arms") }
        if recipe.generator == "blobs", case .int(let k)? = recipe.parameters["centers"] { parts.append("\(k) centers") }
        if case .int(let n)? = recipe.parameters["samples"] { parts.append("\(n) samples") }
        if case .double(let v)? = recipe.parameters["noise"] { parts.append("noise \(NiceTicks.shortest(v))") }
        return parts.isEmpty ? recipe.generator : "\(recipe.generator) (\(parts.joined(separator: ", ")))"
    }

    /// "98.5 %": one decimal always, so numbers side by side line up.
    /// "spiral (3 arms)", "moons", "data.csv": the source without its parameters.
    static func shortName(_ recipe: DatasetRecipe?, _ points: BoundaryPoints) -> String? {
        if case .csv(let path) = points { return path.split(separator: "/").last.map(String.init) ?? path }
        guard let recipe else { return nil }
        if recipe.generator == "csv", case .string(let name)? = recipe.parameters["file_name"] { return name }
        if recipe.generator == "spiral", case .int(let k)? = recipe.parameters["classes"], k != 2 { return "spiral (\(k) arms)" }
        if recipe.generator == "blobs", case .int(let k)? = recipe.parameters["centers"] { return "blobs (\(k) centers)" }
        return recipe.generator
    }

    static func percent(_ a: Double) -> String {
        let tenths = Int((max(0, min(1, a)) * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10) %"
    }

    static func softmaxRows(_ v: [Float], width: Int) -> [Float] {
        var out = v
        var start = 0
        while start + width <= out.count {
            let m = out[start..<(start + width)].max() ?? 0
            var total: Float = 0
            for j in start..<(start + width) { out[j] = expf(out[j] - m); total += out[j] }
            if total > 0 { for j in start..<(start + width) { out[j] /= total } }
            start += width
        }
        return out
    }
}
