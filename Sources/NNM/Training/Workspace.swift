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
    mutating func gather(_ data: Dataset, order: [Int], range: Range<Int>) {
        let width = data.featureCount
        var input = Matrix.empty
        swap(&input, &activations[0])
        input.reshape(rows: range.count, columns: width)
        labels.removeAll(keepingCapacity: true)
        data.features.storage.withUnsafeBufferPointer { source in
            input.storage.withUnsafeMutableBufferPointer { target in
                var row = 0
                for position in range {
                    let sample = order[position]
                    let from = sample * width
                    let to = row * width
                    for j in 0..<width { target[to + j] = source[from + j] }
                    labels.append(data.labels[sample])
                    row += 1
                }
            }
        }
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
