import NNM
import NNMFormat
import NNMPlot

/// Boundaries beyond two inputs: the picture of a wider model is the slice through two of its
/// inputs with every other input held at its training mean (scikit-learn #29017's request), and
/// says so under the plot, since a slice is not the whole model.
extension BoundaryFromModel {
    /// What the user asked for: two inputs (nil: the default pair), and the names they go by.
    struct SliceRequest {
        var axes: (x: Int, y: Int)?
        var featureNames: [String]?
        /// The model's label column name, by which a CSV file's labels are found.
        var labelName: String?
    }

    /// The plane drawn, how to name its axes, which points to draw and what to say about it.
    struct SlicePlan {
        var slice: InputSlice
        var axisNames: (x: String, y: String)?
        var drawsTrain = true
        var drawsTest = true
        /// The footnote under the picture: wordings from the longest to the shortest, each a
        /// list of lines (``BoundaryInput/footnote``).
        var footnote: [[String]] = []
        /// Lines for stderr: the slice in full words.
        var notes: [String] = []

        /// A two-input model's own plane: every point drawn as it is, nothing to explain.
        static let wholePlane = SlicePlan(slice: .wholePlane, axisNames: nil)
    }

    /// Whether the network's first layer standardizes its inputs with fitted statistics, so the
    /// training means are in the file whatever data is at hand.
    static func standardizes(_ network: Sequential) -> Bool {
        (network.layers.first as? Standardize)?.isFitted == true
    }

    /// The slice for `network` over `data`: the requested axes (or x₁, x₂; for a wider model the
    /// two the first layer weighs most, ``InputSlice/defaultAxes(_:network:)``), the other
    /// inputs at their training means.
    static func slicePlan(network: Sequential, data: PointData, request: SliceRequest) throws -> SlicePlan {
        let count = network.inputCount
        // A data file's header names its features; a generator's x1, x2 are no names.
        let names = request.featureNames ?? (data.fromFile ? data.train.featureNames ?? data.test.featureNames : nil)
        if count == 2 && (request.axes.map { $0 == (0, 1) } ?? true) {
            var plan = SlicePlan.wholePlane
            plan.axisNames = data.axisNames ?? request.featureNames.map { (display($0[0]), display($0[1])) }
            return plan
        }
        let drawn = data.test.sampleCount > 0 ? data.test : data.train
        let axes = request.axes ?? InputSlice.defaultAxes(data.train.sampleCount > 1 ? data.train : drawn, network: network)
        var base = [Float](repeating: 0, count: count)
        var held: HeldValues?
        if count > 2 {
            let reference: HeldValues? = data.train.sampleCount > 0
                ? .trainingSplit(count: data.train.sampleCount)
                : .data(name: data.source, count: data.test.sampleCount)
            guard let values = InputSlice.heldValues(network: network, reference: data.train.sampleCount > 0 ? data.train : data.test,
                                                     referenceSource: reference) else {
                throw RenderError.noSliceMeans(held: count - 2)
            }
            (base, held) = (values.base, values.source)
        }
        var plan = SlicePlan(slice: InputSlice(x: axes.x, y: axes.y, base: base),
                             axisNames: (axisName(axes.x, names: names, count: count), axisName(axes.y, names: names, count: count)))
        guard let held else { return plan }  // two inputs, swapped: still the whole plane
        let isTest = data.test.sampleCount > 0
        plan.drawsTrain = !isTest
        let part = isTest ? (data.testLabel == "test" ? "test" : "held-out") : "training"
        let heldWords = held.phrases(held: count - 2)
        var long = [heldWords[0], "Points: the \(part) points projected onto this plane; they do not lie on the slice"]
        var middle = [heldWords[1], "Points: the \(part) points, projected (not on the slice)"]
        if request.axes == nil {
            long.append("Axes: features \(axes.x) and \(axes.y), which the first layer weighs most (|w| × spread); choose others with --features I,J")
            middle.append("Axes: the 2 features weighed most; choose with --features I,J")
        }
        // A small picture has room for one line: what the slice is and that the points are off it.
        plan.footnote = [long, middle, ["slice: " + heldWords[2] + "; points projected"]]
        plan.notes = long
        return plan
    }

    /// An input's name on an axis: its recorded name, a square image's pixel, else x₃ with its
    /// 0-based index, the number `--features` takes.
    static func axisName(_ k: Int, names: [String]?, count: Int) -> String {
        if let names, k < names.count, !names[k].isEmpty { return display(names[k]) }
        if let square = squareImageShape(inputs: count) {
            return "pixel (\(k / square.cols), \(k % square.cols)), index \(k)"
        }
        return "x" + NetworkLabels.subscripted(k + 1) + " (index \(k))"
    }

    static func display(_ name: String) -> String { NetworkLabels.clipped(escapeForDisplay(name)) }
}
