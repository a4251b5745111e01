/// Reusable buffers for one network's forward and backward passes.
///
/// `activations[i]` is the input of layer `i` (`activations[layers.count]` the output);
/// `gradients[i]` is ∂loss/∂`activations[i]`. Each buffer keeps its capacity across batches,
/// so after the first batch of the largest size, training allocates nothing.
struct Workspace {
    var activations: [Matrix]
    var gradients: [Matrix]
    var labels: [Int] = []
    /// Regression: the batch's targets, in the source's units (empty for classification).
    var targets: [Float] = []

    init(layerCount: Int) {
        activations = [Matrix](repeating: .empty, count: layerCount + 1)
        gradients = [Matrix](repeating: .empty, count: layerCount + 1)
    }

    /// Reads the rows `order[range]` of `data` into `activations[0]` and their labels into `labels`.
    ///
    /// One ``SampleSource/readRows(_:into:)`` call per batch: a ``Dataset`` copies raw rows (for
    /// a batch of 32 MNIST rows, per-element copying once cost a quarter of the step), a stream
    /// reads them from its file. Indices come from the trainer's own permutation of
    /// `0..<data.sampleCount`; a range outside `order` reads nothing.
    mutating func gather(_ data: some SampleSource, order: [Int], range: Range<Int>) throws {
        guard range.lowerBound >= 0, range.upperBound <= order.count else { return }
        var input = Matrix.empty
        swap(&input, &activations[0])
        defer { swap(&input, &activations[0]) }
        input.reshape(rows: range.count, columns: data.featureCount)
        setLabels(from: data.labels, of: order[range])
        setTargets(from: data.targets, of: order[range])
        try order.withUnsafeBufferPointer { order in
            try input.storage.withUnsafeMutableBufferPointer { target in
                try data.readRows(UnsafeBufferPointer(rebasing: order[range]), into: target)
            }
        }
    }
}

extension Workspace {
    /// `labels` becomes the labels of `samples` (an index outside `all` gets class 0, like the
    /// row it stands for, which is never read).
    mutating func setLabels(from all: [Int], of samples: some Collection<Int>) {
        labels.removeAll(keepingCapacity: true)
        for sample in samples { labels.append(sample >= 0 && sample < all.count ? all[sample] : 0) }
    }

    /// `targets` becomes the targets of `samples` (none for classification; an index outside
    /// `all` gets 0, like its label).
    mutating func setTargets(from all: [Float]?, of samples: some Collection<Int>) {
        targets.removeAll(keepingCapacity: true)
        guard let all else { return }
        for sample in samples { targets.append(sample >= 0 && sample < all.count ? all[sample] : 0) }
    }
}

extension Sequential {
    /// Runs the first `layerCount` layers (all by default) on `workspace.activations[0]`,
    /// filling the activations after them.
    func forward(_ workspace: inout Workspace, layerCount: Int? = nil) {
        for index in 0..<min(layerCount ?? layers.count, layers.count) {
            var output = Matrix.empty
            swap(&output, &workspace.activations[index + 1])
            layers[index].forward(workspace.activations[index], into: &output)
            swap(&output, &workspace.activations[index + 1])
        }
    }

    /// Back-propagates from `workspace.gradients[top]` (∂loss/∂activations[top]) down to layer
    /// `bottom`, storing every layer's parameter gradients. Layers at or above `top` are
    /// skipped (a final layer fused into the loss); so are the layers below `bottom` (pass
    /// ``lowestTrainableLayer``), which have nothing to learn, and layer `bottom` computes no
    /// input gradient: behind a ``Standardize`` layer, the first ``Linear`` layer's input
    /// gradient would cost as much as its weight gradient, for nothing.
    mutating func backward(_ workspace: inout Workspace, from top: Int, downTo bottom: Int = 0) {
        var index = top - 1
        while index >= bottom {
            var inputGradient = Matrix.empty
            swap(&inputGradient, &workspace.gradients[index])
            layers[index].backward(
                input: workspace.activations[index], output: workspace.activations[index + 1],
                outputGradient: workspace.gradients[index + 1], inputGradient: &inputGradient,
                computesInputGradient: index > bottom)
            swap(&inputGradient, &workspace.gradients[index])
            index -= 1
        }
    }
}

extension Sequential {
    /// The index of the first layer with trainable parameters (a weight or a bias), or
    /// `layers.count` when none has any: back-propagation ends there.
    var lowestTrainableLayer: Int {
        layers.firstIndex { layer in layer.parameters.contains { $0.role == .weight || $0.role == .bias } }
            ?? layers.count
    }
}
