/// The trainer's path for narrow networks: `Ops.narrowForward` / `Ops.narrowBackward` run 16
/// samples across the vector lanes through all layers, instead of one small matrix product per
/// layer. Their weight and bias gradients use the 16-partial batch split (spec/training.md §1),
/// so they differ in the last bits from the layer-by-layer path: the trainer takes this path
/// for every network of this shape (never depending on CPU or threads), so the same command
/// always gives the same file.
///
/// It applies when everything below the loss is `Linear` layers, each optionally followed by
/// `ReLU`, the last one without, all within `Ops.narrowMaximumWidth` and
/// `Ops.narrowMaximumLayers` (e.g. 2-16-16-1 ReLU with a sigmoid fused into binary
/// cross-entropy).
struct NarrowTraining {
    /// Index in `model.layers` of each linear layer, and the activation fused after it.
    private let linearIndices: [Int]
    private let fusedActivations: [Ops.FusedActivation]
    private var layers: [Ops.NarrowLayer] = []
    private var outputs = Ops.NarrowActivations()
    private var weightGradients: [Matrix] = []
    private var biasGradients: [[Float]] = []

    /// nil when the layers below `lossIndex` do not have the narrow shape.
    init?(model: Sequential, lossIndex: Int) {
        var indices: [Int] = []
        var activations: [Ops.FusedActivation] = []
        var index = 0
        while index < lossIndex {
            guard model.layers[index] is Linear else { return nil }
            indices.append(index)
            if index + 1 < lossIndex, model.layers[index + 1].kind == .relu {
                activations.append(.relu)
                index += 2
            } else {
                activations.append(.identity)
                index += 1
            }
        }
        guard !indices.isEmpty, activations.last == .identity else { return nil }
        linearIndices = indices
        fusedActivations = activations
        layers.reserveCapacity(indices.count)
        guard loadLayers(model), Ops.fitsNarrowPath(inputs: model.inputCount, layers: layers) else { return nil }
        layers.removeAll(keepingCapacity: true)
    }

    /// Fills `layers` with the model's current weights (shared, not copied); false when a layer
    /// is no longer `Linear`.
    private mutating func loadLayers(_ model: Sequential) -> Bool {
        layers.removeAll(keepingCapacity: true)
        for (index, activation) in zip(linearIndices, fusedActivations) {
            guard let linear = model.layers[index] as? Linear else { return false }
            layers.append(Ops.NarrowLayer(weight: linear.weight, bias: linear.bias, activation: activation))
        }
        return true
    }

    /// Forward pass of `workspace.activations[0]`, writing the loss input into
    /// `workspace.activations[lossIndex]` and, when the last layer is fused into the loss and
    /// `runsFinalLayer`, the network output into `workspace.activations[top]`. Returns false if
    /// the kernels refused.
    mutating func forward(
        _ model: Sequential, _ workspace: inout Workspace, lossIndex: Int, top: Int, runsFinalLayer: Bool = true
    ) -> Bool {
        guard loadLayers(model), Ops.narrowForward(workspace.activations[0], layers: layers, into: &outputs) else { return false }
        let last = layers.count - 1
        var logits = Matrix.empty
        swap(&logits, &workspace.activations[lossIndex])
        logits.reshape(rows: outputs.batch, columns: outputs.widths[last])
        outputs.withOutput(last) { source in
            logits.storage.withUnsafeMutableBufferPointer { target in
                for i in 0..<min(source.count, target.count) { target[i] = source[i] }
            }
        }
        swap(&logits, &workspace.activations[lossIndex])
        if lossIndex < top, runsFinalLayer {
            var output = Matrix.empty
            swap(&output, &workspace.activations[top])
            model.layers[top - 1].forward(workspace.activations[lossIndex], into: &output)
            swap(&output, &workspace.activations[top])
        }
        return true
    }

    /// Forward pass and fused binary cross-entropy (a last linear layer of one output whose
    /// sigmoid is fused into the loss) in one pass over the batch: the gradient goes into
    /// `workspace.gradients[lossIndex]`, σ(logit) — the network's output — into
    /// `workspace.activations[top]`, and the batch's loss sum is returned: the bits of
    /// ``forward(_:_:lossIndex:top:runsFinalLayer:)`` followed by `LossPlan.evaluate`. The
    /// logits themselves are not written out (nothing reads them). nil when the kernels refused.
    mutating func forwardWithBinaryCrossEntropy(
        _ model: Sequential, _ workspace: inout Workspace, lossIndex: Int, top: Int
    ) -> Double? {
        guard loadLayers(model) else { return nil }
        var gradient = Matrix.empty, output = Matrix.empty
        swap(&gradient, &workspace.gradients[lossIndex])
        swap(&output, &workspace.activations[top])
        defer {
            swap(&gradient, &workspace.gradients[lossIndex])
            swap(&output, &workspace.activations[top])
        }
        return Ops.narrowForwardBinaryCrossEntropy(
            workspace.activations[0], layers: layers, labels: workspace.labels, into: &outputs,
            gradient: &gradient, probabilities: &output)
    }

    /// ``forwardWithBinaryCrossEntropy(_:_:lossIndex:top:)`` and ``backward(_:_:lossIndex:)`` in
    /// one call to the kernels (each half of the batch forward and back on one thread), with
    /// their bits; also counts the rows whose output decides the label's class. nil when the
    /// kernels refused (nothing handed to the layers: the caller runs the batch another way).
    mutating func stepWithBinaryCrossEntropy(
        _ model: inout Sequential, _ workspace: inout Workspace, lossIndex: Int, top: Int
    ) -> (loss: Double, correct: Int)? {
        guard loadLayers(model) else { return nil }
        var gradient = Matrix.empty, output = Matrix.empty
        swap(&gradient, &workspace.gradients[lossIndex])
        swap(&output, &workspace.activations[top])
        let result = Ops.narrowStepBinaryCrossEntropy(
            workspace.activations[0], layers: layers, labels: workspace.labels, into: &outputs,
            gradient: &gradient, probabilities: &output,
            weightGradients: &weightGradients, biasGradients: &biasGradients)
        swap(&gradient, &workspace.gradients[lossIndex])
        swap(&output, &workspace.activations[top])
        // Release the shared weight buffers before the optimizer writes the weights in place.
        layers.removeAll(keepingCapacity: true)
        guard let result else { return nil }
        handGradients(to: &model)
        return result
    }

    /// Backward pass after ``forward(_:_:lossIndex:top:)`` from `workspace.gradients[lossIndex]`,
    /// handing each linear layer its gradients. Returns false if the kernels refused.
    mutating func backward(_ model: inout Sequential, _ workspace: inout Workspace, lossIndex: Int) -> Bool {
        let done = Ops.narrowBackward(
            workspace.activations[0], layers: layers, activations: outputs,
            outputGradient: workspace.gradients[lossIndex],
            weightGradients: &weightGradients, biasGradients: &biasGradients)
        // Release the shared weight buffers before the optimizer writes the weights in place.
        layers.removeAll(keepingCapacity: true)
        guard done else { return false }
        handGradients(to: &model)
        return true
    }

    /// Gives each linear layer its weight and bias gradients (swapped in, not copied).
    private mutating func handGradients(to model: inout Sequential) {
        for (position, index) in linearIndices.enumerated() {
            model.layers[index].swapGradient(&weightGradients[position].storage, role: .weight)
            model.layers[index].swapGradient(&biasGradients[position], role: .bias)
        }
    }
}
