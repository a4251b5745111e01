/// Why a picture cannot be made from a model file. Each case names what is missing and where,
/// so `nnm-render` can print one clear line instead of an empty picture.
public enum RenderError: Error, CustomStringConvertible, Equatable {
    /// The file records no training history.
    case noHistory
    /// The history has none of the series a loss picture needs.
    case noLossSeries(available: [String])
    /// The model has no Linear layer, so there are no weights to draw.
    case noLinearLayer
    /// A Linear layer's tensor is missing from the file.
    case missingTensor(name: String)
    /// A tensor's shape disagrees with its layer.
    case badTensorShape(name: String, shape: [Int], expected: [Int])
    /// A tensor's values could not be decoded.
    case unreadableTensor(name: String, reason: String)
    /// `--as-images RxC` asked for a shape no Linear layer's inputs fit.
    case noLayerForImages(rows: Int, cols: Int, inputCounts: [Int])
    /// A decision boundary needs a model with two inputs.
    case notTwoDimensional(inputs: Int)
    /// The model's answers for the grid had an unexpected size.
    case badModelOutput(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .noHistory:
            return "the model file has no training history (train with nnm-train, which records one per epoch)"
        case let .noLossSeries(available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "the training history has no 'train_loss' or 'val_loss' series (series present: \(list))"
        case .noLinearLayer:
            return "the model has no Linear layer, so there are no weights to draw"
        case let .missingTensor(name):
            return "tensor '\(name)' is missing from the model file"
        case let .badTensorShape(name, shape, expected):
            return "tensor '\(name)' has shape \(shapeText(shape)) but its layer needs \(shapeText(expected))"
        case let .unreadableTensor(name, reason):
            return "cannot read tensor '\(name)': \(reason)"
        case let .noLayerForImages(rows, cols, inputs):
            return "no Linear layer has \(rows * cols) inputs to show as \(rows)×\(cols) images (Linear input counts: \(inputs.map(String.init).joined(separator: ", ")))"
        case let .notTwoDimensional(inputs):
            return "a decision boundary needs a model with 2 inputs; this one has \(inputs)"
        case let .badModelOutput(expected, got):
            return "the model gave \(got) values for the grid, expected \(expected)"
        }
    }
}

func shapeText(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
