/// One sample's class decision, with the probabilities it was made from.
public struct Classification: Sendable, Hashable {
    /// The index of the most probable class (for one sigmoid output: 1 when p ≥ 0.5).
    public let classIndex: Int
    /// That class's name, when the model records class names.
    public let className: String?
    /// One probability per class, in class order. A one-output (sigmoid) model's `p` becomes
    /// `[1 - p, p]`, so two-class and many-class models read alike.
    public let probabilities: [Float]
}

extension NNMModel {
    /// The network's output for one sample of ``inputCount`` features.
    ///
    /// Runs the one-sample path prepared when the model was made (no per-layer buffers, no
    /// weight packing; a few microseconds for a 784-100-10 network), with the same bits as
    /// ``predict(_:)-(Matrix)`` gives for that row.
    public func predict(_ sample: [Float]) throws -> [Float] {
        guard sample.count == inputCount else {
            throw ModelError.inputWidthMismatch(expected: inputCount, found: sample.count)
        }
        return rowPlan.predict(sample)
    }

    /// The network's output for a batch (`samples × inputCount`), one row per sample.
    public func predict(_ batch: Matrix) throws -> Matrix {
        try network.predict(batch)
    }

    /// The class of one sample, with its name and the class probabilities.
    /// - Throws: ``ModelError/notAClassifier(lastLayer:outputs:)`` unless the network ends in a
    ///   sigmoid with one output or a softmax; ``ModelError/inputWidthMismatch(expected:found:)``.
    public func classify(_ sample: [Float]) throws -> Classification {
        try checkIsClassifier()
        return classification(of: try predict(sample), names: classNames)
    }

    /// The class of each sample of a batch, in row order.
    public func classify(_ batch: Matrix) throws -> [Classification] {
        try checkIsClassifier()
        let outputs = try predict(batch)
        let names = classNames
        return (0..<outputs.rows).map { classification(of: outputs.row($0), names: names) }
    }

    /// Throws unless the outputs are class probabilities.
    private func checkIsClassifier() throws {
        switch network.lastLayerKind {
        case .sigmoid where outputCount == 1, .softmax:
            return
        default:
            throw ModelError.notAClassifier(lastLayer: network.lastLayerKind.name, outputs: outputCount)
        }
    }

    private func classification(of output: [Float], names: [String]?) -> Classification {
        let probabilities = output.count == 1 ? [1 - output[0], output[0]] : output
        let index = output.withUnsafeBufferPointer { Sequential.classIndex($0, start: 0, width: $0.count) }
        let name = names.flatMap { index < $0.count ? $0[index] : nil }
        return Classification(classIndex: index, className: name, probabilities: probabilities)
    }
}
