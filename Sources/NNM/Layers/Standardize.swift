import NNMFormat

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
        fit(chunks: { visit in visit(features) })
    }

    /// Sets mean and scale from rows handed over chunk by chunk, so a caller never has to hold
    /// every row at once. `chunks` is called twice (once for the mean, once for the deviations)
    /// and must hand over the same rows in the same order each time; the result has the same bits
    /// as ``fit(_:)`` on all rows in one matrix, since both accumulate row by row in order.
    /// Nothing changes if no rows arrive or a chunk has the wrong width.
    public mutating func fit(chunks: ((Matrix) -> Void) -> Void) {
        let width = featureCount
        fit(summing: { sums in
            var rowCount = 0
            var widthsMatch = true
            // Each column's sum takes the rows in order (the kernel's lanes run across columns), so
            // the bits are those of a scalar loop over rows and columns (spec/training.md §1).
            chunks { chunk in
                guard chunk.columns == width else { widthsMatch = false; return }
                rowCount += chunk.rows
                chunk.storage.withUnsafeBufferPointer { x in
                    Kernels.columnSums(rows: chunk.rows, width: width, x: x.baseAddress, sums: sums.baseAddress)
                }
            }
            return widthsMatch ? rowCount : 0
        }, squaring: { mean, squares in
            chunks { chunk in
                guard chunk.columns == width else { return }
                chunk.storage.withUnsafeBufferPointer { x in
                    Kernels.columnSquaredDeviations(rows: chunk.rows, width: width, x: x.baseAddress,
                                                    mean: mean.baseAddress, squares: squares.baseAddress)
                }
            }
        })
    }

    /// The fit's two passes, whatever holds the rows: `summing` adds every row to the column
    /// sums (binary64, rows in order) and returns how many rows it added (0: nothing changes);
    /// `squaring` adds every row's squared deviations from the given column means.
    /// An error thrown by either leaves the layer as it was.
    mutating func fit(summing: (UnsafeMutableBufferPointer<Double>) throws -> Int,
                      squaring: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void) rethrows {
        let width = featureCount
        var sums = [Double](repeating: 0, count: width)
        let rowCount = try sums.withUnsafeMutableBufferPointer { try summing($0) }
        guard rowCount > 0 else { return }
        let count = Double(rowCount)
        for j in 0..<width { sums[j] /= count }
        var squares = [Double](repeating: 0, count: width)
        try squares.withUnsafeMutableBufferPointer { squares in
            try sums.withUnsafeBufferPointer { mean in try squaring(mean, squares) }
        }
        for j in 0..<width {
            let std = (squares[j] / count).squareRoot()
            mean[j] = Float(sums[j])
            scale[j] = std < 1e-12 ? 1 : Float(1 / std)
        }
        isFitted = true
    }

    public func forward(_ input: Matrix, into output: inout Matrix) {
        Kernels.standardizeRows(input, mean: mean, scale: scale, into: &output)
    }

    /// One feature standardized, `(x − mean) · scale`: the one-sample path for a few features;
    /// the kernel (`nnm_standardize_rows`, the batch path and wide rows) rounds the same two
    /// steps, and the tests compare it with this.
    @inline(__always)
    static func standardized(_ x: Float, mean: Float, scale: Float) -> Float { (x - mean) * scale }

    public mutating func backward(
        input: Matrix, output: Matrix, outputGradient: Matrix,
        inputGradient: inout Matrix, computesInputGradient: Bool
    ) {
        guard computesInputGradient else { return }
        Matrix.mapElements(outputGradient, columnValues: mean, scale, into: &inputGradient) { dy, _, s in dy * s }
    }

    public var parameters: [ParameterTensor] {
        [ParameterTensor(role: .mean, shape: [featureCount], values: mean),
         ParameterTensor(role: .scale, shape: [featureCount], values: scale)]
    }
}
