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
    /// IDX image and label files named by the user (`--data idx:IMAGES,LABELS`), as a CSV file:
    /// the very files the model was trained on give its split again, any others are all held out.
    case idx(images: String, labels: String)

    /// The file a message about the points names (the labels, for IDX); nil for the recipe.
    var fileForMessages: String? {
        switch self {
        case .recipe: return nil
        case .csv(let path): return path
        case .idx(_, let labels): return labels
        }
    }
}

/// Builds the `BoundaryInput` of a model: the network, the points from its recipe (or a CSV
/// file), the accuracy measured on the held-out points.
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

    /// The picture's input for a model: its network, its recipe's points (or `points`), and
    /// the class names it records. A model with more than two inputs is drawn as the slice
    /// through `features` (default: the two the first layer weighs most) with the others at their
    /// training means.
    public static func input(for model: NNMModel, points: BoundaryPoints = .recipe,
                             title: String? = nil, features: FeatureChoice? = nil) throws -> (input: BoundaryInput, summary: Summary) {
        guard model.inputCount >= 2 else { throw RenderError.notTwoDimensional(inputs: model.inputCount) }
        // Cheapest first: the user's choice of features is checked before any data is read.
        let axes = try features?.resolve(names: model.featureNames, count: model.inputCount)
        if model.inputCount > 2, model.datasetRecipe == nil, case .recipe = points, !standardizes(model.network) {
            throw RenderError.noSliceMeans(held: model.inputCount - 2)
        }
        let request = SliceRequest(axes: axes, featureNames: model.featureNames, labelName: model.labelName)
        if model.isRegression {
            return try valueFieldInput(network: model.network, recipe: try storedRecipe(of: model, points: points),
                                       labelName: model.labelName, points: points, title: title, request: request)
        }
        return try input(network: model.network, recipe: try storedRecipe(of: model, points: points),
                         classNames: model.classNames, points: points, title: title, request: request)
    }

    /// The picture's input for a network held in memory. `recipe` gives the points unless
    /// `points` names a CSV file; `classNames` (one per class of the picture) name the legend
    /// when the points are the recipe's; `features` picks the slice of a wider network.
    public static func input(network: Sequential, recipe: DataRecipe?, classNames: [String]? = nil,
                             points: BoundaryPoints = .recipe, title: String? = nil,
                             features: FeatureChoice? = nil, featureNames: [String]? = nil) throws -> (input: BoundaryInput, summary: Summary) {
        guard network.inputCount >= 2 else { throw RenderError.notTwoDimensional(inputs: network.inputCount) }
        let axes = try features?.resolve(names: featureNames, count: network.inputCount)
        let request = SliceRequest(axes: axes, featureNames: featureNames)
        if network.lastLayerKind == .rescale {
            return try valueFieldInput(network: network, recipe: recipe, labelName: nil, points: points, title: title, request: request)
        }
        return try input(network: network, recipe: recipe, classNames: classNames, points: points, title: title, request: request)
    }

    static func input(network: Sequential, recipe: DataRecipe?, classNames: [String]?, points: BoundaryPoints,
                      title: String?, request: SliceRequest) throws -> (input: BoundaryInput, summary: Summary) {
        let outputs = network.outputCount
        let classCount = outputs == 1 ? 2 : outputs
        let data = try matchedToModelClasses(pointData(recipe: recipe, points: points, features: network.inputCount,
                                                       columns: ModelColumns(request)),
                                             points: points, classNames: classNames, classCount: classCount)
        let plan = try slicePlan(network: network, data: data, request: request)
        var notes = try labelNotes(data, points: points, classCount: classCount)

        // Accuracy on held-out points when there are any: that is the number that says how
        // good the boundary is, as sklearn's examples print the test score on the plot.
        let testAccuracy = try accuracy(of: network, on: data.test)
        let trainAccuracy = try accuracy(of: network, on: data.train)
        let (scatter, subsampleNotes) = drawnPoints(data, plan: plan)
        notes += plan.notes + subsampleNotes

        let titles = Titles(source: data.source, shortSource: shortName(recipe, points), userTitle: title,
                            trainAccuracy: trainAccuracy, testAccuracy: testAccuracy, testLabel: data.testLabel)
        var input = BoundaryInput(points: scatter, classCount: classCount, evaluate: evaluator(of: network, slice: plan.slice),
                                  cornerText: titles.corner, title: titles.full,
                                  classNames: recordedNames(classNames, points: points, classCount: classCount)
                                      ?? data.train.classNames ?? data.test.classNames)
        input.compactTitle = titles.compact
        input.titleSuffix = titles.suffix
        input.axisNames = plan.axisNames
        input.footnote = plan.footnote
        if plan.slice.heldCount > 0 { input.equalAspect = false }
        var summary = Summary(source: data.source, trainCount: data.train.sampleCount,
                              testCount: data.test.sampleCount, accuracy: testAccuracy ?? trainAccuracy,
                              accuracyOn: testAccuracy != nil ? data.testLabel : "train")
        summary.notes = notes
        return (input, summary)
    }

    /// The class names a model records (`data.class_names.*`, written by nnm-train for a CSV
    /// with named labels), when the points are the model's own and there is one name per class
    /// of the picture. (With `--data`, ``matchedToModelClasses`` gives the points these names.)
    static func recordedNames(_ names: [String]?, points: BoundaryPoints, classCount: Int) -> [String]? {
        guard case .recipe = points, let names, names.count == classCount else { return nil }
        return names
    }

    /// Labels that do not fit the model make a meaningless picture: refuses more classes than it
    /// has, and says how another CSV's class names were mapped (sorted order → class index).
    static func labelNotes(_ data: PointData, points: BoundaryPoints, classCount: Int) throws -> [String] {
        let dataClasses = max(data.train.classCount, data.test.classCount)
        if dataClasses > classCount {
            throw RenderError.tooManyClasses(source: data.source, found: dataClasses, model: classCount)
        }
        guard points != .recipe, data.testLabel == "data", !data.classesMatchedByName, let names = data.test.classNames,
              names != (0..<names.count).map(String.init) else { return [] }
        let mapping = names.enumerated().map { "\(printable($0.element)) → class \($0.offset)" }.joined(separator: ", ")
        return ["labels of \(printable(data.source)) mapped to the model's classes in sorted order: \(mapping)"]
    }

    /// The share of `d`'s samples the network classifies right (nil when there are none), in
    /// batches, so millions of rows never make one huge activation matrix.
    static func accuracy(of network: Sequential, on d: Dataset) throws -> Double? {
        guard d.sampleCount > 0 else { return nil }
        var right = 0, start = 0
        let storage = d.features.storage, width = d.featureCount
        while start < d.sampleCount {
            let end = min(d.sampleCount, start + batchRows)
            let batch = Matrix(rows: end - start, columns: width, storage: Array(storage[(width * start)..<(width * end)]))
            let predicted = try network.predictClasses(batch)
            for (i, p) in predicted.enumerated() where p == d.labels[start + i] { right += 1 }
            start = end
        }
        return Double(right) / Double(d.sampleCount)
    }

    /// At most ``maxDrawnPoints`` of the train then test points (those `plan` draws), projected
    /// onto the slice's two inputs, and a note when not all are
    /// drawn. Selection sampling (Knuth's algorithm S): exactly that many points, each equally
    /// likely, in their original order, in one pass without an index array.
    static func drawnPoints(_ data: PointData, plan: SlicePlan = .wholePlane) -> (points: [ScatterPoint], notes: [String]) {
        let parts = (plan.drawsTrain ? [(data.train, false)] : []) + (plan.drawsTest ? [(data.test, true)] : [])
        let total = parts.reduce(0) { $0 + $1.0.sampleCount }
        let (px, py) = (plan.slice.x, plan.slice.y)
        let drawn = min(total, maxDrawnPoints)
        var scatter: [ScatterPoint] = []
        scatter.reserveCapacity(drawn)
        var random = SeededRandom(seed: subsampleSeed)
        var seen = 0
        for (d, isTest) in parts {
            for i in 0..<d.sampleCount {
                let keep = drawn == total
                    || Double(total - seen) * random.uniform() < Double(drawn - scatter.count)
                seen += 1
                guard keep else { continue }
                scatter.append(ScatterPoint(x: Double(d.features[i, px]), y: Double(d.features[i, py]),
                                            label: d.labels[i], isTest: isTest, value: d.targets?[i]))
            }
        }
        guard drawn < total else { return (scatter, []) }
        return (scatter, ["showing \(grouped(drawn)) of \(grouped(total)) points (a seeded random subsample); the accuracy uses all of them"])
    }

    /// The picture's titles. The accuracies go in the title, where they hide no point; a title
    /// of the user's own moves them to the corner box.
    struct Titles {
        var full: String
        var corner: [String]
        /// The same words as the full title, only the dataset's parameters left out.
        var compact: String?
        /// The accuracies, which a cut title keeps (nil with a title of the user's own).
        var suffix: String?

        init(source: String, shortSource: String?, userTitle: String?,
             trainAccuracy: Double?, testAccuracy: Double?, testLabel: String) {
            var parts: [String] = []
            if let trainAccuracy { parts.append("train \(percent(trainAccuracy))") }
            // A data file's rows alone ("data") need no part name: "pts.csv · accuracy 94.00 %".
            if let testAccuracy {
                let named = trainAccuracy != nil || testLabel != "data"
                parts.append(named ? "\(testLabel) \(percent(testAccuracy))" : percent(testAccuracy))
            }
            let accuracyText = parts.isEmpty ? nil : "accuracy " + parts.joined(separator: ", ")
            full = userTitle ?? [source, accuracyText].compactMap { $0 }.joined(separator: " · ")
            corner = userTitle == nil ? [] : [accuracyText].compactMap { $0 }
            compact = userTitle == nil ? [shortSource, accuracyText].compactMap { $0 }.joined(separator: " · ") : nil
            suffix = userTitle == nil ? accuracyText : nil
        }
    }

    /// The network's class probabilities at grid points, in batches of ``batchRows``. A model
    /// that ends in raw scores is shown as the probabilities its loss implies.
    static func evaluator(of network: Sequential, slice: InputSlice) -> ([(x: Double, y: Double)]) throws -> [Float] {
        let outputs = network.outputCount
        // A regression output (rescale) is a value in the target's units, drawn as it is.
        let needsSigmoid = outputs == 1 && network.lastLayerKind != .sigmoid && network.lastLayerKind != .rescale
        let needsSoftmax = outputs > 1 && network.lastLayerKind != .softmax
        // A slice through a wider model runs on two inputs, the held ones folded into a bias;
        // a two-input model's own plane runs the network as it is.
        let reduced = slice.heldCount > 0 ? slice.reducedNetwork(of: network) : nil
        let plane = InputSlice(x: 0, y: 1, base: [0, 0])
        return { samples in
            var out: [Float] = []
            out.reserveCapacity(samples.count * outputs)
            var start = 0
            while start < samples.count {
                let end = min(samples.count, start + batchRows)
                let y = try reduced.map { try $0.predict(plane.rows(samples[start..<end])) }
                    ?? network.predict(slice.rows(samples[start..<end]))
                out.append(contentsOf: y.storage)
                start = end
            }
            if needsSigmoid { return out.map { 1 / (1 + expf(-$0)) } }
            if needsSoftmax { return softmaxRows(out, width: outputs) }
            return out
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

    /// "98.50 %": the accuracy as every tool writes it (``MetricText``).
    static func percent(_ a: Double) -> String { MetricText.accuracy(a) }

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
