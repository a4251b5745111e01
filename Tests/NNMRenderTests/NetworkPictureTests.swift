import Foundation
import NNM
import NNMFormat
import NNMPlot
import Testing
@testable import NNMRender

/// The network picture's pixels are checked against an independent forward pass: a thumbnail
/// shows its unit's computed output, an edge its weight's sign.
@Suite struct NetworkPictureTests {
    let theme = Theme(text: FontFile.renderer().renderer)

    /// A 2-3-1 tanh/sigmoid network with chosen weights, and a recipe so the plane is the data's.
    func twoInputModel() throws -> NNMModel {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 200
        settings.network = .classifier(hidden: [3], activation: .tanh)
        settings.epochs = 3
        return try TrainingSession(settings).run().model
    }

    /// tanh(w·x + b) by hand, in Double: not the library's kernels.
    func hiddenOutput(_ model: NNMModel, unit: Int, x: Double, y: Double) -> Double {
        let linear = model.network.layers.compactMap { $0 as? Linear }[0]
        let z = Double(linear.weight[unit, 0]) * x + Double(linear.weight[unit, 1]) * y + Double(linear.bias[unit])
        return tanh(z)
    }

    @Test func thumbnailColoursFollowTheUnitsComputedOutput() throws {
        let model = try twoInputModel()
        let picture = try renderNetwork(model, theme: theme)
        let extent = try #require(picture.extent)
        let boxes = picture.layout.slots[1]
        #expect(boxes.count == 3)
        for (k, box) in boxes.enumerated() {
            let unit = try #require(picture.units[1][k])
            let range = try #require(picture.ranges[1][k])
            let side = Int(box.width)
            for (i, j) in [(3, 5), (side / 2, side / 3), (side - 4, side - 2), (7, side - 9)] {
                let x = extent.xMin + (Double(i) + 0.5) / Double(side) * (extent.xMax - extent.xMin)
                let y = extent.yMax - (Double(j) + 0.5) / Double(side) * (extent.yMax - extent.yMin)
                let expected = Colormap.diverging.color(at: range.normalized(Float(hiddenOutput(model, unit: unit, x: x, y: y))))
                let got = picture.canvas.pixel(Int(box.minX) + i, Int(box.minY) + j)
                let (er, eg, eb, _) = expected.bytes, (gr, gg, gb, _) = got.bytes
                let off = max(abs(Int(er) - Int(gr)), abs(Int(eg) - Int(gg)), abs(Int(eb) - Int(gb)))
                #expect(off <= 6, "unit \(unit) pixel (\(i), \(j)): expected \(expected), got \(got)")
            }
        }
    }

    @Test func edgeColourFollowsTheWeightsSign() throws {
        let linear = try Linear(weight: Matrix(rows: 2, columns: 3, storage: [1.5, -1.5, 0.8, -0.9, 1.2, -0.3]), bias: [0, 0])
        let network = try Sequential([linear, Softmax()])
        let model = NNMModel(network: network)
        let picture = try renderNetwork(model, theme: theme)
        #expect(picture.layout.edgeEnds[0].count == 6)
        for (e, (a, b)) in picture.layout.edgeEnds[0].enumerated() {
            let weight = linear.weight[e % 2, e / 2]
            // Along the edge's middle third: the inked pixels lean red for +, blue for −.
            var votes = 0
            for s in stride(from: Float(0.4), through: 0.6, by: 0.02) {
                let p = picture.canvas.pixel(Int(a.x + (b.x - a.x) * s), Int(a.y + (b.y - a.y) * s))
                if p.r > p.b + 0.1 { votes += 1 } else if p.b > p.r + 0.1 { votes -= 1 }
            }
            #expect(weight > 0 ? votes > 0 : votes < 0, "edge \(e) weight \(weight): votes \(votes)")
        }
    }

    @Test func a784InputModelIsCollapsedAndTheSameModelGivesTheSameBytes() throws {
        var linear = try Linear(inputCount: 784, outputCount: 30)
        linear.updateParameters { values, _, _ in for i in values.indices { values[i] = Float((i * 7919) % 13) - 6 } }
        let model = NNMModel(network: try Sequential([linear, ReLU(), try Linear(inputCount: 30, outputCount: 10), Softmax()]))
        let picture = try renderNetwork(model, theme: theme)
        #expect(picture.units[0].count == 23 && picture.units[0].last == .some(nil))
        #expect(picture.units[1].count == 23)
        #expect(picture.units[2].count == 10)
        #expect(picture.canvas.width < 1400 && picture.canvas.height < 1000)
        let again = try renderNetwork(model, theme: theme)
        #expect(try PNG.encode(again.canvas) == PNG.encode(picture.canvas))
    }
}

