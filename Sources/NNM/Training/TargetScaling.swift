/// How a regression run standardizes its targets: `t' = (t − shift) / scale` per output, the
/// inverse of the final ``Rescale`` layer's `y = x · scale + shift`.
public struct TargetScaling: Sendable, Equatable {
    public var scale: [Float]
    public var shift: [Float]

    public init(scale: [Float], shift: [Float]) {
        self.scale = scale
        self.shift = shift
    }

    /// No scaling: targets are compared as they are (a network without a ``Rescale`` layer).
    public static let identity = TargetScaling(scale: [1], shift: [0])
}

extension Loss {
    /// The plan for regression on `model`: squared error of its one output against the
    /// standardized targets. A final ``Rescale`` layer is read past (the loss reads its input,
    /// so training learns standardized targets) and gives the standardization; without one the
    /// targets are used as they are.
    /// - Throws: ``LossError`` for a loss other than mse, or a network that does not end in one
    ///   unbounded output (a Rescale, Linear or Identity layer).
    public func regressionPlan(for model: Sequential) throws -> LossPlan {
        guard self == .meanSquaredError else { throw LossError.regressionNeedsSquaredError(self) }
        guard model.outputCount == 1 else { throw LossError.regressionOutputs(model.outputCount) }
        switch model.lastLayerKind {
        case .rescale:
            guard let rescale = model.layers.last as? Rescale else { throw LossError.regressionOutputs(model.outputCount) }
            return LossPlan(loss: self, fusesLastLayer: true,
                            targetScaling: TargetScaling(scale: rescale.scale, shift: rescale.shift))
        case .linear, .identity:
            return LossPlan(loss: self, fusesLastLayer: false, targetScaling: .identity)
        case let last:
            throw LossError.needsLastLayer(loss: self, expected: "linear or rescale (regression)", found: last)
        }
    }
}

extension Sequential {
    /// Fits an unfitted final ``Rescale`` layer on regression `targets` (their mean and
    /// standard deviation), so that the network learns standardized targets.
    public mutating func fitTargetScaling(on targets: [Float]) {
        guard var rescale = layers.last as? Rescale, !rescale.isFitted else { return }
        rescale.fit(targets: targets)
        layers[layers.count - 1] = rescale
    }
}
