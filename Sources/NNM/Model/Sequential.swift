import NNMFormat

/// A network that applies its layers one after another.
///
/// ```swift
/// var model = try Sequential {
///     Linear(inputCount: 2, outputCount: 16)
///     ReLU()
///     Linear(inputCount: 16, outputCount: 1)
///     Sigmoid()
/// }
/// model.initializeParameters(seed: 42)
/// let probabilities = try model(points)
/// ```
///
/// Widths are checked when the network is built, so a mismatch is an error at construction,
/// not a crash in the middle of training.
public struct Sequential: Sendable, CustomStringConvertible {
    /// The layers, in forward order. Mutated in place by training.
    public internal(set) var layers: [any Layer]
    /// Features per input sample.
    public let inputCount: Int
    /// Values per output sample.
    public let outputCount: Int
    /// Width after each layer (`widths[0]` is the input width; `widths.count == layers.count + 1`).
    public let widths: [Int]

    /// A network of `layers`, whose widths must chain.
    public init(_ layers: [any Layer]) throws {
        guard !layers.isEmpty else { throw ModelError.noLayers }
        guard let first = layers.compactMap(\.requiredInputCount).first else {
            throw ModelError.unknownInputWidth
        }
        var widths = [first]
        for (index, layer) in layers.enumerated() {
            let current = widths[widths.count - 1]
            if let required = layer.requiredInputCount, required != current {
                throw ModelError.widthMismatch(layer: index, expected: required, found: current)
            }
            widths.append(layer.outputCount(inputCount: current))
        }
        self.layers = layers
        self.widths = widths
        inputCount = first
        outputCount = widths[widths.count - 1]
    }

    /// A network built from a list of layers written as a block (see ``SequentialBuilder``).
    public init(@SequentialBuilder _ build: () throws -> [any Layer]) throws {
        try self.init(build())
    }

    public var description: String {
        "Sequential(" + layers.map(\.description).joined(separator: ", ") + ")"
    }

    /// Total number of stored scalars (weights, biases, standardization statistics).
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Floats one pass over `batchSize` rows keeps at once when every layer's output is held
    /// (as training does): the input and each layer's output. Training holds as many again
    /// for the gradients. Lets a caller refuse a batch that would not fit in memory before
    /// allocating it.
    public func activationCount(batchSize: Int) -> Int {
        let (count, overflow) = max(0, batchSize).multipliedReportingOverflow(by: widths.reduce(0, +))
        return overflow ? Int.max : count
    }

    /// The name of the first parameter tensor holding a NaN or an infinity, in canonical order;
    /// nil when every value is finite. A model with such a value must not be saved.
    public var firstNonFiniteParameter: TensorName? {
        for (index, layer) in layers.enumerated() {
            for parameter in layer.parameters where !parameter.values.allSatisfy(\.isFinite) {
                return TensorName(layer: index, role: parameter.role)
            }
        }
        return nil
    }

    /// The kind of the last layer (what the output means: probabilities, logits…).
    public var lastLayerKind: LayerKind { layers[layers.count - 1].kind }
}

/// Lets a network be written as a block of layers, with `if` and `for` inside.
@resultBuilder
public enum SequentialBuilder {
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    public static func buildExpression(_ layers: [any Layer]) -> [any Layer] { layers }
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
    public static func buildEither(first part: [any Layer]) -> [any Layer] { part }
    public static func buildEither(second part: [any Layer]) -> [any Layer] { part }
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}
