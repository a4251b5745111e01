/// Why a `.nnm` file's content cannot become a network with this library: each case names the
/// layer. (Tensors that disagree with their layers are NNMFormat's one check's to report:
/// `NNMFormatError.tensorMismatch`.)
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case noLayers
    /// More layers than ``Sequential/maximumLayerCount``.
    case tooManyLayers(count: Int)
    /// Layer `index`'s record says `inputs → outputs`, which its kind does not allow
    /// (activations keep their width) or which does not follow the previous layer.
    case layerShape(index: Int, kind: String, inputs: Int, outputs: Int, reason: String)
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
        case let .layerTooLarge(index, inputs, outputs):
            return "layer \(index) (\(inputs) → \(outputs)) is larger than this library accepts"
        }
    }
}
