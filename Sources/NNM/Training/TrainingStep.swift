/// One batch's forward pass, loss and backward pass, done the way chosen once per run from the
/// network's shape (spec/training.md §1):
///
/// * **narrow with fused loss**: a narrow network whose sigmoid is fused into binary
///   cross-entropy; the whole step is one call to the kernels (forward, loss and backward, each
///   half of the batch on one thread), and σ(logit) fills the network's output;
/// * **narrow**: any other narrow network (``NarrowTraining``): the narrow kernels forward and
///   back, the loss between them;
/// * **layer by layer**: everything else, each layer's own forward and backward.
///
/// The choice never depends on the CPU, the kernel path or the thread count, so the same
/// settings always give the same bits. The one exception is owned here: when the narrow kernels
/// refuse a batch (they cannot get their scratch memory), that batch is done another way — a
/// refused one-call step as a narrow forward then backward, a refused forward layer by layer —
/// and a refused backward pass moves the rest of the run to the layer-by-layer path.
struct TrainingStep {
    enum Path: Equatable {
        case layerByLayer, narrow, narrowWithFusedLoss
    }

    private let plan: LossPlan
    /// `activations[top]` is the network's output; `activations[lossIndex]` what the loss reads
    /// (the logits, below the last layer, when the loss fuses it).
    private let top: Int
    private let lossIndex: Int
    /// Back-propagation ends at this layer (``Sequential/lowestTrainableLayer``).
    private let bottom: Int
    /// Fused binary cross-entropy computes σ(z) anyway: it fills the output, not the layer.
    private let lossWritesOutput: Bool
    /// nil on the layer-by-layer path.
    private var narrow: NarrowTraining?
    /// Whether the current batch's forward pass ran on the narrow kernels (its backward pass
    /// must too).
    private var batchIsNarrow = false

    init(model: Sequential, plan: LossPlan, usesFusedKernels: Bool) {
        self.plan = plan
        top = model.layers.count
        lossIndex = plan.fusesLastLayer ? top - 1 : top
        bottom = model.lowestTrainableLayer
        lossWritesOutput = plan.producesSigmoidOutput
        narrow = usesFusedKernels ? NarrowTraining(model: model, lossIndex: lossIndex) : nil
    }

    /// The path batches take now.
    var path: Path { narrow == nil ? .layerByLayer : lossWritesOutput ? .narrowWithFusedLoss : .narrow }

    /// Runs the batch in `workspace` forward, evaluates the loss and back-propagates it: the
    /// output fills `workspace.activations[top]`, the loss gradient
    /// `workspace.gradients[lossIndex]`, every layer's parameter gradients are left in `model`
    /// for the optimizer. Returns the batch's loss sum and, when this path counted them on the
    /// way, the rows whose output decides the label's class (nil: the caller counts).
    mutating func run(_ model: inout Sequential, _ workspace: inout Workspace) -> (loss: Double, correct: Int?) {
        // Narrow with the fused loss: forward and back in one call to the kernels.
        if lossWritesOutput,
           let done = narrow?.stepWithBinaryCrossEntropy(&model, &workspace, lossIndex: lossIndex, top: top) {
            return (done.loss, done.correct)
        }
        let loss = forward(model, &workspace)
        backward(&model, &workspace)
        return (loss, nil)
    }

    /// Runs the batch in `workspace` forward and evaluates the loss: the output fills
    /// `workspace.activations[top]`, the loss gradient `workspace.gradients[lossIndex]`.
    /// Returns the batch's loss sum.
    private mutating func forward(_ model: Sequential, _ workspace: inout Workspace) -> Double {
        batchIsNarrow = false
        if lossWritesOutput,
           let loss = narrow?.forwardWithBinaryCrossEntropy(model, &workspace, lossIndex: lossIndex, top: top) {
            batchIsNarrow = true
            return loss
        }
        batchIsNarrow = narrow?.forward(
            model, &workspace, lossIndex: lossIndex, top: top, runsFinalLayer: !lossWritesOutput) ?? false
        if !batchIsNarrow { model.forward(&workspace, layerCount: lossWritesOutput ? top - 1 : top) }
        return TrainingStep.loss(plan, &workspace, lossIndex: lossIndex, top: top, writesOutput: lossWritesOutput)
    }

    /// Back-propagates the batch of the last ``forward(_:_:)``, leaving every layer's parameter
    /// gradients in `model` for the optimizer.
    private mutating func backward(_ model: inout Sequential, _ workspace: inout Workspace) {
        if batchIsNarrow {
            if narrow?.backward(&model, &workspace, lossIndex: lossIndex) == true { return }
            // The kernels refused: redo this batch layer by layer, and stay there.
            narrow = nil
            model.forward(&workspace, layerCount: lossIndex)
        }
        model.backward(&workspace, from: lossIndex, downTo: bottom)
    }

    /// The loss of the batch in `workspace` (its sum over the batch), with its gradient put into
    /// `workspace.gradients[lossIndex]` and, for fused binary cross-entropy with `writesOutput`,
    /// σ(logit) into `workspace.activations[top]`.
    static func loss(_ plan: LossPlan, _ workspace: inout Workspace, lossIndex: Int, top: Int,
                     writesOutput: Bool) -> Double {
        var gradient = Matrix.empty
        var output = Matrix.empty
        swap(&gradient, &workspace.gradients[lossIndex])
        if writesOutput { swap(&output, &workspace.activations[top]) }
        defer {
            swap(&gradient, &workspace.gradients[lossIndex])
            if writesOutput { swap(&output, &workspace.activations[top]) }
        }
        return plan.evaluate(
            workspace.activations[lossIndex], labels: workspace.labels, targets: workspace.targets,
            gradient: &gradient, computesGradient: true,
            sigmoidOutput: &output, writesSigmoidOutput: writesOutput)
    }
}
