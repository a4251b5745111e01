import Testing
@testable import NNMFormat

/// The tensor name is built and parsed in one place, and `layerTensors()` is the one check
/// that layers and tensors agree, handing back each layer's tensors.
@Suite struct LayerTensorsTests {
    @Test func tensorNamesRoundTripAndRefuseNonCanonicalSpellings() {
        let name = TensorName(layer: 12, role: .scale)
        #expect(name.description == "layers.12.scale")
        #expect(TensorName("layers.12.scale") == name)
        #expect(TensorName("layers.0.weight") == TensorName(layer: 0, role: .weight))
        for bad in ["layers.01.weight", "layers.-1.bias", "layers.0.w", "layers..bias", "layer.0.bias",
                    "layers.0.bias.x", "layers.1e3.bias", "layers.9999999999.bias", ""] {
            #expect(TensorName(bad) == nil, "\(bad)")
        }
    }

    static let linear = LayerRecord(kind: .linear, inputs: 2, outputs: 3)
    static let weight = Tensor(name: "layers.0.weight", shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
    static let bias = Tensor(name: "layers.0.bias", shape: [3], values: [0, 0, 1])

    @Test func handsBackEachLayersTensors() throws {
        let file = ModelFile(layers: [Self.linear, LayerRecord(kind: .relu, inputs: 3, outputs: 3)],
                             tensors: [Self.weight, Self.bias])
        let layers = try file.layerTensors()
        #expect(layers.count == 2 && layers[1].tensors.isEmpty)
        #expect(layers[0].tensors.map(\.name) == [TensorName(layer: 0, role: .weight), TensorName(layer: 0, role: .bias)])
        #expect(try layers[0].values(.bias) == [0, 0, 1])
        #expect(layers[0][.weight]?.shape == [3, 2])
        #expect(throws: NNMFormatError.tensorMismatch(.missing(TensorName(layer: 1, role: .mean)))) { try layers[1].values(.mean) }
    }

    @Test func eachDisagreementHasItsReason() {
        func mismatch(_ layers: [LayerRecord], _ tensors: [Tensor]) -> NNMFormatError? {
            do { _ = try ModelFile(layers: layers, tensors: tensors).layerTensors(); return nil } catch {
                return error as? NNMFormatError
            }
        }
        let w = TensorName(layer: 0, role: .weight), b = TensorName(layer: 0, role: .bias)
        #expect(mismatch([Self.linear], [Self.weight]) == .tensorMismatch(.missing(b)))
        #expect(mismatch([Self.linear], [Self.bias, Self.weight]) == .tensorMismatch(.outOfOrder(found: "layers.0.bias", expected: w)))
        #expect(mismatch([Self.linear], [Self.weight, Self.bias, Self.bias]) == .tensorMismatch(.duplicate(name: "layers.0.bias")))
        let stray = Tensor(name: "extra", shape: [1], values: [1])
        #expect(mismatch([Self.linear], [Self.weight, Self.bias, stray]) == .tensorMismatch(.unowned(name: "extra")))
        let transposed = Tensor(name: "layers.0.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(mismatch([Self.linear], [transposed, Self.bias]) == .tensorMismatch(.shape(w, expected: [3, 2], found: [2, 3])))
        let short = Tensor(name: "layers.0.bias", shape: [3], values: [0])
        #expect(mismatch([Self.linear], [Self.weight, short]) == .tensorMismatch(.valueCount(b, expected: 3, found: 1)))
        #expect(mismatch([], [])?.code == "inconsistentModel")
        #expect(NNMFormatError.tensorMismatch(.missing(b)).code == "inconsistentModel")
        #expect("\(NNMFormatError.tensorMismatch(.missing(b)))" == "inconsistent model: tensor 'layers.0.bias' is missing")
    }
}
