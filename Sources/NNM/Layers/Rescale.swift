import NNMFormat

/// The output layer of a regression network: `y = x · scale + shift`, per output.
///
/// A regression network trains on standardized targets (`(t − mean) / std` of the training
/// split), which keeps the loss and the gradients near 1 whatever the target's units. Its last
/// layer maps those standardized values back (`scale = std`, `shift = mean`), so a saved model
/// predicts in the target's own units. The loss reads the layer's input (``LossPlan``), so the
/// layer is never back-propagated through and holds nothing trainable. Format 1.1, kind 9.
public struct Rescale: Layer {
    /// One per output: the training targets' standard deviation (1 for a constant target).
    public private(set) var scale: [Float]
    /// One per output: the training targets' mean.
    public private(set) var shift: [Float]
    /// False until ``fit(targets:)`` ran or values were given; the trainer fits unfitted layers.
    public private(set) var isFitted: Bool

    /// An unfitted layer for `outputCount` outputs (identity until fitted).
    public init(outputCount: Int) throws {
        guard outputCount > 0, outputCount <= Linear.maximumWidth else {
            throw ModelError.invalidLayerSize(inputs: outputCount, outputs: outputCount)
        }
        scale = [Float](repeating: 1, count: outputCount)
        shift = [Float](repeating: 0, count: outputCount)
        isFitted = false
    }

    /// A fitted layer with known values (both arrays the same, non-zero length).
    public init(scale: [Float], shift: [Float]) throws {
        guard !scale.isEmpty, scale.count == shift.count else {
            throw ModelError.parameterShapeMismatch(
                layer: "Rescale", role: "shift", expected: [scale.count], found: [shift.count])
        }
        self.scale = scale
        self.shift = shift
        isFitted = true
    }

    public var outputWidth: Int { scale.count }
    public var kind: LayerKind { .rescale }
    public var requiredInputCount: Int? { outputWidth }
    public var description: String { "Rescale(outputCount: \(outputWidth))" }

    /// Sets shift and scale to the mean and population standard deviation of `targets` (one
    /// output: one target per sample), accumulated in binary64 in sample order; a standard
    /// deviation below 1e-12 gives scale 1 (spec/training.md §4b).
    public mutating func fit(targets: [Float]) {
        guard outputWidth == 1, !targets.isEmpty else { return }
        let statistics = TargetStatistics(targets)
        shift = [Float(statistics.mean)]
        scale = [statistics.standardDeviation < 1e-12 ? 1 : Float(statistics.standardDeviation)]
        isFitted = true
    }

    /// The standardized form of target `t` for output `k`, in binary64: `(t − shift) / scale`.
    /// What the loss compares the layer's input with.
    @inline(__always)
    func standardized(_ t: Float, output k: Int) -> Double {
        (Double(t) - Double(shift[k])) / Double(scale[k])
    }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        // Two roundings (product, then sum), never a fused multiply-add: spec §6 and training §1.
        Matrix.mapElements(input, columnValues: scale, shift, into: &output) { x, s, b in
            let product = x * s
            return product + b
        }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(outputGradient, columnValues: scale, shift, into: &inputGradient) { dy, s, _ in dy * s }
    }

    public var parameters: [ParameterTensor] {
        [ParameterTensor(role: .scale, shape: [outputWidth], values: scale),
         ParameterTensor(role: .shift, shape: [outputWidth], values: shift)]
    }
}

/// Mean and population standard deviation of regression targets, in binary64 over the values
/// in order (two passes: the mean, then the squared deviations from it).
public struct TargetStatistics: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double

    public init(_ values: [Float]) {
        count = values.count
        guard !values.isEmpty else { mean = .nan; standardDeviation = .nan; return }
        var sum = 0.0
        for value in values { sum += Double(value) }
        mean = sum / Double(values.count)
        var squares = 0.0
        for value in values {
            let d = Double(value) - mean
            squares += d * d
        }
        standardDeviation = (squares / Double(values.count)).squareRoot()
    }
}
