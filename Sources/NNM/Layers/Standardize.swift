/// Per-feature standardization: `y = (x − mean) · scale`, with `scale = 1 / std`.
///
/// It holds no trainable parameters. The trainer fits it on the training split before the
/// first epoch (mean and population standard deviation of each feature), so a saved model
/// takes raw features — the same ones the CSV or IDX file holds — and standardizes them itself.
public struct Standardize: Layer {
    /// One per feature.
    public private(set) var mean: [Float]
    /// One per feature: `1 / std`, or 1 for a constant feature.
    public private(set) var scale: [Float]
    /// False until ``fit(_:)`` ran or statistics were given; the trainer fits unfitted layers.
    public private(set) var isFitted: Bool

    /// An unfitted layer for `featureCount` features (identity until fitted).
    public init(featureCount: Int) throws {
        guard featureCount > 0, featureCount <= Linear.maximumWidth else {
            throw ModelError.invalidLayerSize(inputs: featureCount, outputs: featureCount)
        }
        mean = [Float](repeating: 0, count: featureCount)
        scale = [Float](repeating: 1, count: featureCount)
        isFitted = false
    }

    /// A fitted layer with known statistics (both arrays the same, non-zero length).
    public init(mean: [Float], scale: [Float]) throws {
        guard !mean.isEmpty, mean.count == scale.count else {
            throw ModelError.parameterShapeMismatch(
                layer: "Standardize", role: "scale", expected: [mean.count], found: [scale.count])
        }
        self.mean = mean
        self.scale = scale
        isFitted = true
    }

    public var featureCount: Int { mean.count }
    public var kind: LayerKind { .standardize }
    public var requiredInputCount: Int? { featureCount }
    public var description: String { "Standardize(featureCount: \(featureCount))" }

    /// Sets mean and scale from `features` (rows = samples), accumulating in binary64 in row
    /// order. A feature whose standard deviation is below 1e-12 gets scale 1.
    public mutating func fit(_ features: Matrix) {
        guard features.columns == featureCount, features.rows > 0 else { return }
        var sums = [Double](repeating: 0, count: featureCount)
        var squares = [Double](repeating: 0, count: featureCount)
        features.storage.withUnsafeBufferPointer { x in
            for row in 0..<features.rows {
                for j in 0..<featureCount { sums[j] += Double(x[row * featureCount + j]) }
            }
            let count = Double(features.rows)
            for j in 0..<featureCount { sums[j] /= count }
            for row in 0..<features.rows {
                for j in 0..<featureCount {
                    let d = Double(x[row * featureCount + j]) - sums[j]
                    squares[j] += d * d
                }
            }
            for j in 0..<featureCount {
                let std = (squares[j] / count).squareRoot()
                mean[j] = Float(sums[j])
                scale[j] = std < 1e-12 ? 1 : Float(1 / std)
            }
        }
        isFitted = true
    }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        output.reshape(rows: input.rows, columns: input.columns)
        let width = input.columns
        guard width == featureCount else { return }
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                mean.withUnsafeBufferPointer { m in
                    scale.withUnsafeBufferPointer { s in
                        for row in 0..<input.rows {
                            let start = row * width
                            for j in 0..<width { y[start + j] = (x[start + j] - m[j]) * s[j] }
                        }
                    }
                }
            }
        }
    }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        inputGradient.reshape(rows: outputGradient.rows, columns: outputGradient.columns)
        let width = outputGradient.columns
        guard width == featureCount else { return }
        outputGradient.storage.withUnsafeBufferPointer { dy in
            inputGradient.storage.withUnsafeMutableBufferPointer { dx in
                scale.withUnsafeBufferPointer { s in
                    for row in 0..<outputGradient.rows {
                        let start = row * width
                        for j in 0..<width { dx[start + j] = dy[start + j] * s[j] }
                    }
                }
            }
        }
    }

    public var parameters: [ParameterTensor] {
        [ParameterTensor(role: "mean", shape: [featureCount], values: mean),
         ParameterTensor(role: "scale", shape: [featureCount], values: scale)]
    }
}
