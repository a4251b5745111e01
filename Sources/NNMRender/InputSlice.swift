#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNM
import NNMFormat

/// A plane through a model's input space: inputs `x` and `y` vary over the picture, every other
/// input is held at its value in `base` (its training mean). A model with two inputs is the
/// plane itself (`base` is never read for x and y), so its picture is the whole model; with
/// more, it is one slice, which the picture says.
struct InputSlice: Sendable, Equatable {
    var x: Int
    var y: Int
    /// One value per model input; entries `x` and `y` are overwritten by the grid's coordinates.
    var base: [Float]

    var inputCount: Int { base.count }
    /// How many inputs are held fixed (0 for a two-input model).
    var heldCount: Int { base.count - 2 }

    /// The plane of a two-input model: x₁ across, x₂ up.
    static let wholePlane = InputSlice(x: 0, y: 1, base: [0, 0])

    /// `samples` as model input rows: the base row with x and y set to each sample's coordinates.
    func rows(_ samples: ArraySlice<(x: Double, y: Double)>) -> Matrix {
        let width = base.count
        var flat = [Float](repeating: 0, count: samples.count * width)
        for (i, s) in samples.enumerated() {
            let row = i * width
            for j in 0..<width { flat[row + j] = base[j] }
            flat[row + x] = Float(s.x)
            flat[row + y] = Float(s.y)
        }
        return Matrix(rows: samples.count, columns: width, storage: flat)
    }
}

/// The two inputs a user asked for with `--features I,J`: names as the model records them
/// (`data.feature_names.*`), else 0-based input indices, else `x3`/`x₃` (1-based, the way the
/// pictures name inputs that have no recorded name).
public struct FeatureChoice: Sendable, Equatable {
    /// The text as given, e.g. "alcohol,proline" or "0,12".
    public var text: String
    public init(_ text: String) { self.text = text }

    /// The two input indices `text` names, for a model with `count` inputs and these recorded
    /// names. A name with a comma in it is found by trying each comma as the separator.
    func resolve(names: [String]?, count: Int) throws -> (x: Int, y: Int) {
        let commas = text.indices.filter { text[$0] == "," }
        guard !commas.isEmpty else { throw RenderError.badFeatureChoice(text: text) }
        var firstError: RenderError?
        for comma in commas {
            let a = String(text[..<comma]), b = String(text[text.index(after: comma)...])
            do {
                let pair = (x: try Self.index(of: a, names: names, count: count),
                            y: try Self.index(of: b, names: names, count: count))
                guard pair.x != pair.y else { throw RenderError.sameFeatureTwice(feature: a) }
                return pair
            } catch let error as RenderError {
                firstError = firstError ?? error
            }
        }
        throw firstError ?? RenderError.badFeatureChoice(text: text)
    }

    /// The input one spec names: a recorded name first (exactly), then a 0-based index, then
    /// `xN`/`xₙ` (1-based) for a model without names.
    static func index(of spec: String, names: [String]?, count: Int) throws -> Int {
        let wanted = spec.trimmingWhitespace()
        guard !wanted.isEmpty else { throw RenderError.badFeatureChoice(text: spec) }
        if let names, let i = names.firstIndex(of: wanted) { return i }
        if let i = Int(wanted) {
            guard i >= 0, i < count else { throw RenderError.featureOutOfRange(index: i, inputs: count) }
            return i
        }
        if names == nil, let n = oneBasedName(wanted) {
            guard n >= 1, n <= count else { throw RenderError.featureOutOfRange(index: n - 1, inputs: count) }
            return n - 1
        }
        throw RenderError.unknownFeature(name: wanted, known: names)
    }

    /// 3 for "x3" or "x₃", nil for anything else.
    static func oneBasedName(_ s: String) -> Int? {
        guard s.first == "x", s.count > 1 else { return nil }
        let subscripts: [Character: Character] = ["₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4",
                                                  "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9"]
        let digits = String(s.dropFirst().map { subscripts[$0] ?? $0 })
        guard digits.allSatisfy(\.isASCII), digits.count <= 9 else { return nil }
        return Int(digits)
    }
}

/// Where the values the other inputs are held at come from, as the picture states it.
enum HeldValues: Sendable, Equatable {
    /// The model's standardization layer: the means of the training split, stored in the file.
    case standardization
    /// The training split the recipe regenerates (`count` points).
    case trainingSplit(count: Int)
    /// A data file given with --data that is not the training file: its own means.
    case data(name: String, count: Int)

    /// The footnote's words for the held features, long and short.
    func phrases(held: Int) -> [String] {
        let what = "the other \(held) feature\(held == 1 ? "" : "s")"
        switch self {
        case .standardization:
            return ["Slice: \(what) held at their training means (the model's standardization layer)",
                    "Slice: \(what) held at their training means", "other \(held) at training means"]
        case .trainingSplit(let n):
            return ["Slice: \(what) held at their training means (over \(n) training points)",
                    "Slice: \(what) held at their training means", "other \(held) at training means"]
        case let .data(name, n):
            return ["Slice: \(what) held at their means over \(name) (\(n) rows), not the training means",
                    "Slice: \(what) held at their means over \(name)", "other \(held) at their means in \(name)"]
        }
    }
}

extension InputSlice {
    /// The values to hold the inputs at: the model's standardization means when its first
    /// layer standardizes, else the mean of `reference`'s rows (binary64, in row order).
    static func heldValues(network: Sequential, reference: Dataset?, referenceSource: HeldValues?) -> (base: [Float], source: HeldValues)? {
        if let standardize = network.layers.first as? Standardize, standardize.isFitted,
           standardize.featureCount == network.inputCount {
            return (standardize.mean, .standardization)
        }
        guard let reference, reference.sampleCount > 0, let referenceSource else { return nil }
        let width = reference.featureCount
        var sums = [Double](repeating: 0, count: width)
        let storage = reference.features.storage
        for row in 0..<reference.sampleCount {
            for j in 0..<width { sums[j] += Double(storage[row * width + j]) }
        }
        return (sums.map { Float($0 / Double(reference.sampleCount)) }, referenceSource)
    }

    /// The two inputs the network is most sensitive to across `d`'s spread, in index order:
    /// input j scores ‖W[:, j]‖ · s_j · σ_j, the first Linear layer's weights on it (W), the
    /// standardization scale before that layer (s, 1 without one) and the feature's standard
    /// deviation over `d` (σ): how far one typical step along the feature moves the first
    /// layer's units. A constant input (an image's empty corner) scores 0. Ties and a network
    /// without a Linear layer first (after standardization) fall back to the lower indices.
    static func defaultAxes(_ d: Dataset, network: Sequential) -> (x: Int, y: Int) {
        let count = network.inputCount
        var layers = network.layers[...]
        var scale = [Float](repeating: 1, count: count)
        if let s = layers.first as? Standardize, s.featureCount == count { scale = s.scale; layers = layers.dropFirst() }
        guard let linear = layers.first as? Linear, linear.inputCount == count,
              d.featureCount == count, d.sampleCount > 1 else { return (0, 1) }
        let spread = deviations(d)
        let w = linear.weight
        let scores = (0..<count).map { j -> Double in
            var sum = 0.0
            for r in 0..<w.rows { sum += Double(w[r, j]) * Double(w[r, j]) }
            let score = sum.squareRoot() * Double(scale[j]) * spread[j]
            return score.isFinite ? score : 0
        }
        // Stable: the higher score first, the lower index among equals.
        let ranked = (0..<count).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        guard scores[ranked[1]] > 0 else { return (0, 1) }
        return (min(ranked[0], ranked[1]), max(ranked[0], ranked[1]))
    }

    /// Each feature's population standard deviation over `d`'s rows (binary64).
    static func deviations(_ d: Dataset) -> [Double] {
        let width = d.featureCount, n = Double(d.sampleCount), x = d.features.storage
        var mean = [Double](repeating: 0, count: width), square = [Double](repeating: 0, count: width)
        for row in 0..<d.sampleCount { for j in 0..<width { mean[j] += Double(x[row * width + j]) } }
        for j in 0..<width { mean[j] /= n }
        for row in 0..<d.sampleCount {
            for j in 0..<width { let v = Double(x[row * width + j]) - mean[j]; square[j] += v * v }
        }
        return square.map { ($0 / n).squareRoot() }
    }
}

extension InputSlice {
    /// The network restricted to this slice: the standardization (if any) and the first Linear
    /// layer folded into one Linear layer of the two free inputs, whose bias carries the held
    /// inputs' contribution (computed once, in binary64). Same function, but a 784-input model's
    /// field costs what a 2-input model's does. Nil when the network does not start that way.
    func reducedNetwork(of network: Sequential) -> Sequential? {
        var layers = network.layers[...]
        var mean = [Float](repeating: 0, count: inputCount), scale = [Float](repeating: 1, count: inputCount)
        if let s = layers.first as? Standardize {
            guard s.featureCount == inputCount else { return nil }
            (mean, scale) = (s.mean, s.scale)
            layers = layers.dropFirst()
        }
        guard let linear = layers.first as? Linear, linear.inputCount == inputCount else { return nil }
        let w = linear.weight, units = linear.outputCount
        var weight = [Float](repeating: 0, count: units * 2), bias = [Float](repeating: 0, count: units)
        for r in 0..<units {
            var b = Double(linear.bias[r])
            for j in 0..<inputCount where j != x && j != y {
                b += Double(w[r, j]) * Double(scale[j]) * (Double(base[j]) - Double(mean[j]))
            }
            let wx = Double(w[r, x]) * Double(scale[x]), wy = Double(w[r, y]) * Double(scale[y])
            b -= wx * Double(mean[x]) + wy * Double(mean[y])
            (weight[2 * r], weight[2 * r + 1], bias[r]) = (Float(wx), Float(wy), Float(b))
        }
        guard let folded = try? Linear(weight: Matrix(rows: units, columns: 2, storage: weight), bias: bias) else { return nil }
        return try? Sequential([folded] + Array(layers.dropFirst()))
    }
}
