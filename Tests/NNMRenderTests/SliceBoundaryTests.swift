import Foundation
import Testing
import NNM
import NNMFormat
import NNMPlot
@testable import NNMRender

/// Boundaries beyond two inputs: the slice through two features with the others at their
/// training means. The field's pixels are checked against a forward pass written out here, not
/// the engine's, with the held features at the means the test knows.
@Suite struct SliceBoundaryTests {
    /// Four inputs: standardize (means and scales below), 4 → 3 ReLU, 3 → 1, sigmoid.
    static let mean: [Float] = [0.3, 0.6, 0.8, 0.2]
    static let scale: [Float] = [2, 1.5, 3, 1.25]
    static let w1: [[Float]] = [[1.5, 0.4, -2.0, 0.3], [-1.0, 0.8, 1.2, -0.6], [0.5, -1.4, 0.7, 2.2]]
    static let b1: [Float] = [0.2, -0.1, 0.3]
    static let w2: [Float] = [1.8, -1.6, 1.1]
    static let b2: Float = -0.4

    static func network(standardizes: Bool = true) throws -> Sequential {
        var layers: [any Layer] = []
        if standardizes { layers.append(try Standardize(mean: mean, scale: scale)) }
        layers += [try Linear(weight: Matrix(rows: 3, columns: 4, storage: w1.flatMap { $0 }), bias: b1), ReLU(),
                   try Linear(weight: Matrix(rows: 1, columns: 3, storage: w2), bias: [b2]), Sigmoid()]
        return try Sequential(layers)
    }

    /// P(class 1) for one raw input row, in binary64, from the weights above.
    static func forward(_ x: [Double], standardizes: Bool = true) -> Double {
        let z = (0..<4).map { j in standardizes ? (x[j] - Double(mean[j])) * Double(scale[j]) : x[j] }
        let h = (0..<3).map { r in max(0, (0..<4).reduce(Double(b1[r])) { $0 + Double(w1[r][$1]) * z[$1] }) }
        let logit = (0..<3).reduce(Double(b2)) { $0 + Double(w2[$1]) * h[$1] }
        return 1 / (1 + exp(-logit))
    }

    static func bits4() throws -> DataRecipe {
        try DataRecipe.parse("bits4", seed: 1, validationFraction: 0, testFraction: 0.25)
    }

    static let names = ["alpha", "beta", "gamma", "delta"]

    static func model(standardizes: Bool = true, recipe: DataRecipe? = nil) throws -> NNMModel {
        NNMModel(network: try network(standardizes: standardizes), metadata: ModelFile.featureNameMetadata(names),
                 recipe: recipe)
    }

    /// Where on the washed probability map (0...1) a field pixel's colour lies.
    static func mapPosition(_ c: RGBA) -> Double {
        let map = Colormap.probability.washed(0.75)
        func distance(_ i: Int) -> Float {
            let m = map.color(at: Float(i) / 1000)
            return (m.r - c.r) * (m.r - c.r) + (m.g - c.g) * (m.g - c.g) + (m.b - c.b) * (m.b - c.b)
        }
        return Double((0...1000).min { distance($0) < distance($1) } ?? 0) / 1000
    }

    @Test func fieldPixelsFollowAnIndependentForwardPassAtTheTrainingMeans() throws {
        // x across is gamma (input 2), y up is alpha (input 0): beta and delta are held.
        var (input, _) = try BoundaryFromModel.input(for: try Self.model(recipe: try Self.bits4()),
                                                      features: FeatureChoice("gamma,alpha"))
        input.points = []  // no marker over a sampled pixel
        let extent = Extent(xMin: -0.5, xMax: 1.5, yMin: -0.5, yMax: 1.5)
        let options = BoundaryOptions(width: 640, height: 560, extent: extent)
        let t = Fixture.theme()
        let canvas = try renderBoundary(input, options: options, theme: t)
        let box = FieldChart.plotBox(try boundaryPlot(input, options: options, theme: t).plot, width: 640, height: 560, theme: t)
        var checked = 0, sensitive = 0
        for i in 1..<12 {
            for j in 1..<12 {
                let gamma = -0.5 + 2 * Double(i) / 12, alpha = -0.5 + 2 * Double(j) / 12
                let expected = Self.forward([alpha, Double(Self.mean[1]), gamma, Double(Self.mean[3])])
                // Away from the 0.5 contour line, which is drawn over the field.
                guard abs(expected - 0.5) > 0.06 else { continue }
                let px = Int(box.minX + Float((gamma + 0.5) / 2) * box.width)
                let py = Int(box.maxY - Float((alpha + 0.5) / 2) * box.height)
                let seen = Self.mapPosition(canvas.pixel(px, py))
                #expect(abs(seen - expected) < 0.025, "gamma \(gamma), alpha \(alpha): pixel says \(seen), model \(expected)")
                checked += 1
                // The test can tell held-at-means from held-at-zero: the field differs there.
                if abs(Self.forward([alpha, 0, gamma, 0]) - expected) > 0.1 { sensitive += 1 }
            }
        }
        #expect(checked > 60 && sensitive > 20, "checked \(checked), sensitive \(sensitive)")
    }

    @Test func withoutStandardizationTheMeansAreTheTrainingSplits() throws {
        let recipe = try Self.bits4()
        let (input, summary) = try BoundaryFromModel.input(for: try Self.model(standardizes: false, recipe: recipe),
                                                           features: FeatureChoice("1,3"))
        let train = try recipe.makeSplit().train
        let means = (0..<4).map { j in (0..<train.sampleCount).reduce(0.0) { $0 + Double(train.features[$1, j]) } / Double(train.sampleCount) }
        let samples: [(x: Double, y: Double)] = [(0.1, 0.9), (0.7, -0.2), (1.2, 0.4)]
        let field = try input.evaluate(samples)
        for (k, s) in samples.enumerated() {
            let expected = Self.forward([means[0], s.x, means[2], s.y], standardizes: false)
            #expect(abs(Double(field[k]) - expected) < 1e-5, "\(s): \(field[k]) vs \(expected)")
        }
        #expect(input.axisNames?.x == "beta" && input.axisNames?.y == "delta")
        let words = input.footnote.first ?? []
        #expect(words.first == "Slice: the other 2 features held at their training means (over \(train.sampleCount) training points)")
        #expect(words.contains { $0.hasPrefix("Points: the test points projected") })
        #expect(!words.contains { $0.hasPrefix("Axes:") }, "the user chose the axes")
        #expect(summary.notes.contains(words[0]))
        // The drawn points: the test split only, projected onto beta and delta.
        let test = try recipe.makeSplit().test
        #expect(input.points.count == test.sampleCount && input.points.allSatisfy(\.isTest))
        #expect(input.points.map(\.x) == (0..<test.sampleCount).map { Double(test.features[$0, 1]) })
        #expect(input.points.map(\.y) == (0..<test.sampleCount).map { Double(test.features[$0, 3]) })
    }

    @Test func theFootnoteIsOnThePictureAndShortensWhenNarrow() throws {
        let (input, _) = try BoundaryFromModel.input(for: try Self.model(recipe: try Self.bits4()))
        let t = Fixture.theme()
        let wide = try boundaryPlot(input, options: BoundaryOptions(width: 720), theme: t).plot.footnote
        #expect(wide.count == 3 && wide[0].contains("the model's standardization layer"), "\(wide)")
        #expect(wide[2].hasPrefix("Axes: features "), "the default axes are named: \(wide)")
        let narrow = try boundaryPlot(input, options: BoundaryOptions(width: 320, height: 240), theme: t).plot.footnote
        #expect(narrow == ["slice: other 2 at training means; points projected"])
        #expect(narrow.allSatisfy { FieldChart.footnoteFits($0, width: 320, theme: t) })
        // The plot fills its box (features in units of their own), not equal aspect.
        #expect(input.equalAspect == false)
    }

    @Test func theDefaultAxesAreTheInputsTheFirstLayerWeighsMost() throws {
        // Column norms of w1 times the scales: alpha 3.7, beta 2.5, gamma 7.3, delta 2.9 (all
        // four vary the same in bits4): gamma and alpha, in index order.
        let (input, _) = try BoundaryFromModel.input(for: try Self.model(recipe: try Self.bits4()))
        #expect(input.axisNames?.x == "alpha" && input.axisNames?.y == "gamma")
        // A constant input scores nothing, however large its weights.
        let d = Dataset(features: Matrix(rows: 3, columns: 4, storage: [0, 1, 5, 2, 1, 2, 5, 0, 2, 0, 5, 1]),
                        labels: [0, 1, 0], classCount: 2)
        #expect(InputSlice.defaultAxes(d, network: try Self.network()) == (0, 3))
    }

    @Test func theFoldedNetworkIsTheSameFunction() throws {
        for standardizes in [true, false] {
            let net = try Self.network(standardizes: standardizes)
            let slice = InputSlice(x: 3, y: 1, base: [0.7, -2, 1.3, 5])
            let reduced = try #require(slice.reducedNetwork(of: net))
            #expect(reduced.inputCount == 2)
            let samples: [(x: Double, y: Double)] = [(0, 0), (0.5, -1), (-2, 3), (1.25, 0.75)]
            let full = try net.predict(slice.rows(samples[...])).storage
            let folded = try reduced.predict(Matrix(rows: 4, columns: 2, storage: samples.flatMap { [Float($0.x), Float($0.y)] })).storage
            for k in 0..<4 { #expect(abs(full[k] - folded[k]) < 1e-5, "\(standardizes) \(samples[k]): \(full[k]) vs \(folded[k])") }
        }
    }

    @Test func featuresAreNamesOrZeroBasedIndices() throws {
        let choice = { (text: String, names: [String]?) in try FeatureChoice(text).resolve(names: names, count: 4) }
        #expect(try choice("gamma,alpha", Self.names) == (2, 0))
        #expect(try choice("3,1", Self.names) == (3, 1))
        #expect(try choice("x4,x₂", nil) == (3, 1), "1-based x names for a model without names")
        #expect(try choice("a,b,delta", ["a,b", "c", "d", "delta"]) == (0, 3), "a name with a comma")
        #expect(throws: RenderError.unknownFeature(name: "proline", known: Self.names)) { try choice("alpha,proline", Self.names) }
        #expect(throws: RenderError.featureOutOfRange(index: 4, inputs: 4)) { try choice("4,0", Self.names) }
        #expect(throws: RenderError.featureOutOfRange(index: 4, inputs: 4)) { try choice("x5,x1", nil) }
        #expect(throws: RenderError.sameFeatureTwice(feature: "beta")) { try choice("beta,beta", Self.names) }
        #expect(throws: RenderError.sameFeatureTwice(feature: "1")) { try choice("1,beta", Self.names) }
        #expect(throws: RenderError.badFeatureChoice(text: "alpha")) { try choice("alpha", Self.names) }
    }

    @Test func refusalsSayWhatIsMissing() throws {
        let one = NNMModel(network: try Sequential([try Linear(weight: Matrix(rows: 1, columns: 1, storage: [1]), bias: [0]), Sigmoid()]),
                           recipe: try Self.bits4())
        #expect(throws: RenderError.notTwoDimensional(inputs: 1)) { try BoundaryFromModel.input(for: one) }
        #expect(RenderError.notTwoDimensional(inputs: 1).description == "a decision boundary needs a model with at least 2 inputs; this one has 1")
        // No standardization and no recipe: no means to hold the other features at.
        #expect(throws: RenderError.noSliceMeans(held: 2)) { try BoundaryFromModel.input(for: try Self.model(standardizes: false)) }
        // A wrong choice is refused before any data is looked at (there is none here).
        #expect(throws: RenderError.featureOutOfRange(index: 9, inputs: 4)) {
            try BoundaryFromModel.input(for: try Self.model(), features: FeatureChoice("0,9"))
        }
        #expect(RenderError.featureOutOfRange(index: 9, inputs: 4).isBadChoice)
        // Data of another width than the model's input.
        let circles = try DataRecipe.parse("circles", samples: 60, seed: 2, validationFraction: 0, testFraction: 0.2)
        #expect(throws: RenderError.dataDoesNotFitModel(source: "circles (60 samples, noise 0.05)", features: 2, inputs: 4)) {
            try BoundaryFromModel.input(for: try Self.model(recipe: circles))
        }
    }

    @Test func aTwoInputModelKeepsItsWholePlane() throws {
        let net = try Sequential([try Linear(weight: Matrix(rows: 1, columns: 2, storage: [3, -1]), bias: [0]), Sigmoid()])
        let recipe = try DataRecipe.parse("circles", samples: 60, seed: 2, validationFraction: 0, testFraction: 0.2)
        let (plain, _) = try BoundaryFromModel.input(network: net, recipe: recipe)
        #expect(plain.footnote.isEmpty && plain.equalAspect == nil && plain.points.contains { !$0.isTest })
        // Swapped axes: still every point (nothing is held), x₂ across.
        let (swapped, _) = try BoundaryFromModel.input(network: net, recipe: recipe, features: FeatureChoice("1,0"))
        #expect(swapped.footnote.isEmpty && swapped.points.contains { !$0.isTest })
        #expect(swapped.axisNames?.x == "x₂ (index 1)")
        let p = try swapped.evaluate([(x: 0.5, y: 0.2)])
        #expect(abs(Double(p[0]) - 1 / (1 + exp(-(3 * 0.2 - 0.5)))) < 1e-6)
    }
}
