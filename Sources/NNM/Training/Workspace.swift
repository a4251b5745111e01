/// Reusable buffers for one network's forward and backward passes.
///
/// `activations[i]` is the input of layer `i` (`activations[layers.count]` the output);
/// `gradients[i]` is ∂loss/∂`activations[i]`. Each buffer keeps its capacity across batches,
/// so after the first batch of the largest size, training allocates nothing.
struct Workspace {
    var activations: [Matrix]
    var gradients: [Matrix]
    var labels: [Int] = []

    init(layerCount: Int) {
        activations = [Matrix](repeating: .empty, count: layerCount + 1)
        gradients = [Matrix](repeating: .empty, count: layerCount + 1)
    }

    /// Copies the rows `order[range]` of `data` into `activations[0]` and their labels into `labels`.
    ///
    /// Raw row copies (no per-element checks): this runs once per batch, and for a batch of 32
    /// MNIST rows it otherwise cost a quarter of the step. Indices come from the trainer's own
    /// permutation of `0..<data.sampleCount`; an index outside the data is skipped, not read.
    mutating func gather(_ data: Dataset, order: [Int], range: Range<Int>) {
        let width = data.featureCount
        var input = Matrix.empty
        swap(&input, &activations[0])
        input.reshape(rows: range.count, columns: width)
        var batchLabels: [Int] = []
        swap(&batchLabels, &labels)
        if batchLabels.count != range.count {
            batchLabels.removeAll(keepingCapacity: true)
            batchLabels.append(contentsOf: repeatElement(0, count: range.count))
        }
        let sampleCount = min(data.sampleCount, data.features.rows)
        data.features.storage.withUnsafeBufferPointer { source in
            data.labels.withUnsafeBufferPointer { sourceLabels in
                order.withUnsafeBufferPointer { order in
                    input.storage.withUnsafeMutableBufferPointer { target in
                        batchLabels.withUnsafeMutableBufferPointer { targetLabels in
                            guard let from = source.baseAddress, let to = target.baseAddress,
                                  range.lowerBound >= 0, range.upperBound <= order.count else { return }
                            var row = 0
                            for position in range {
                                let sample = order[position]
                                guard sample >= 0, sample < sampleCount else { row += 1; continue }
                                let target = to + row * width, source = from + sample * width
                                if width == 2 {  // the 2-D data sets: two moves, no loop
                                    target[0] = source[0]
                                    target[1] = source[1]
                                } else if width <= 16 {  // a call to memmove costs more than a few floats
                                    for j in 0..<width { target[j] = source[j] }
                                } else {
                                    target.update(from: source, count: width)
                                }
                                targetLabels[row] = sourceLabels[sample]
                                row += 1
                            }
                        }
                    }
                }
            }
        }
        swap(&batchLabels, &labels)
        swap(&input, &activations[0])
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

    /// Back-propagates from `workspace.gradients[top]` (∂loss/∂activations[top]) down to the
    /// first layer, storing every layer's parameter gradients. Layers at or above `top` are
    /// skipped (a final layer fused into the loss).
    mutating func backward(_ workspace: inout Workspace, from top: Int) {
        var index = top - 1
        while index >= 0 {
            var inputGradient = Matrix.empty
            swap(&inputGradient, &workspace.gradients[index])
            layers[index].backward(
                input: workspace.activations[index], output: workspace.activations[index + 1],
                outputGradient: workspace.gradients[index + 1], inputGradient: &inputGradient,
                computesInputGradient: index > 0)
            swap(&inputGradient, &workspace.gradients[index])
            index -= 1
        }
    }
}
