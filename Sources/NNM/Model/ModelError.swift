/// Why a network could not be built, loaded or run: each case names the layer and sizes at fault.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A network needs at least one layer.
    case noLayers
    /// No layer fixes the input width (a network of activations only).
    case unknownInputWidth
    /// A layer size that is zero, negative or too large.
    case invalidLayerSize(inputs: Int, outputs: Int)
    /// Layer `index` needs `expected` inputs but the layer before it produces `found`.
    case widthMismatch(layer: Int, expected: Int, found: Int)
    /// The data has `found` features; the network takes `expected`.
    case inputWidthMismatch(expected: Int, found: Int)
    /// A parameter tensor has the wrong shape for its layer.
    case parameterShapeMismatch(layer: String, role: String, expected: [Int], found: [Int])
    /// `classify` on a network whose outputs are not class probabilities (it must end in a
    /// sigmoid with one output or in a softmax).
    case notAClassifier(lastLayer: String, outputs: Int)

    public var description: String {
        switch self {
        case .noLayers:
            return "the network has no layers"
        case .unknownInputWidth:
            return "the network's input width is unknown: it needs a linear or standardize layer"
        case let .invalidLayerSize(inputs, outputs):
            return "invalid layer size \(inputs) → \(outputs): widths must be between 1 and \(Linear.maximumWidth)"
                + " and a layer may hold at most \(Linear.maximumParameterCount) weights"
        case let .widthMismatch(layer, expected, found):
            return "layer \(layer) takes \(expected) inputs but the layer before it produces \(found)"
        case let .inputWidthMismatch(expected, found):
            return "the data has \(found) features per sample but the network takes \(expected)"
        case let .parameterShapeMismatch(layer, role, expected, found):
            return "\(layer) \(role) has shape \(found), expected \(expected)"
        case let .notAClassifier(lastLayer, outputs):
            return "the network ends in \(lastLayer) with \(outputs) output\(outputs == 1 ? "" : "s"), not in class probabilities "
                + "(a sigmoid with one output or a softmax): use predict for its raw outputs"
        }
    }
}
