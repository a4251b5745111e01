/// Why a `.nnm` file's content cannot become a network: each case names the layer or tensor.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case noLayers
    /// More layers than ``Sequential/maximumLayerCount``.
    case tooManyLayers(count: Int)
    /// Layer `index`'s record says `inputs → outputs`, which its kind does not allow
    /// (activations keep their width) or which does not follow the previous layer.
    case layerShape(index: Int, kind: String, inputs: Int, outputs: Int, reason: String)
    case missingTensor(name: String)
    case duplicateTensor(name: String)
    /// A tensor no layer owns.
    case unexpectedTensor(name: String)
    case tensorShape(name: String, expected: [Int], found: [Int])
    /// The decoded values do not match the tensor's shape.
    case tensorValueCount(name: String, expected: Int, found: Int)
    /// A layer too large to build (see ``Linear/maximumParameterCount``).
    case layerTooLarge(index: Int, inputs: Int, outputs: Int)

    public var description: String {
        switch self {
        case .noLayers:
            return "the model file has no layers"
        case .tooManyLayers(let count):
            return "the model file has \(count) layers; at most \(Sequential.maximumLayerCount) are accepted"
        case let .layerShape(index, kind, inputs, outputs, reason):
            return "layer \(index) (\(kind), \(inputs) → \(outputs)): \(reason)"
        case .missingTensor(let name):
            return "tensor \(name) is missing"
        case .duplicateTensor(let name):
            return "tensor \(name) appears more than once"
        case .unexpectedTensor(let name):
            return "tensor \(name) belongs to no layer"
        case let .tensorShape(name, expected, found):
            return "tensor \(name) has shape \(found), but its layer needs \(expected)"
        case let .tensorValueCount(name, expected, found):
            return "tensor \(name) holds \(found) values, its shape needs \(expected)"
        case let .layerTooLarge(index, inputs, outputs):
            return "layer \(index) (\(inputs) → \(outputs)) is larger than this library accepts"
        }
    }
}
