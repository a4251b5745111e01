/// Early stopping with best-weight keeping (`--patience`): after each epoch's validation, the
/// weights with the lowest validation loss so far are kept; `patience` epochs in a row without
/// a lower loss end training, and the kept weights are the result.
///
/// Resuming (spec/training.md §3), the loaded weights are the ones to beat: their validation
/// loss is the best so far (``init(patience:loaded:)``), so a resumed run never ends worse on
/// validation than what it was given.
struct EarlyStopping {
    struct Kept {
        var loss: Double
        var model: Sequential
        /// 1-based, counted over the whole history.
        var epoch: Int
    }

    let patience: Int
    /// The best weights so far; nil until an epoch (or the loaded weights) had a finite loss.
    private(set) var best: Kept?
    private var epochsWithoutImprovement = 0
    /// Whether the latest ``shouldStop(after:loss:model:)`` kept the weights it was given: the
    /// kept weights are then the latest ones. (Comparing epoch numbers cannot tell: a resumed
    /// run that finishes a partly trained epoch keeps that epoch's number for the loaded
    /// weights and for the finished ones.)
    private(set) var keptLatest = false

    /// - Parameter loaded: when resuming, the loaded weights, their validation loss and the
    ///   epoch they belong to; ignored when the loss is not finite.
    /// - Parameter epochsSinceLoaded: epochs already trained after the loaded weights' epoch
    ///   without beating them (an exact continuation carries its count on).
    init(patience: Int, loaded: Kept? = nil, epochsSinceLoaded: Int = 0) {
        self.patience = patience
        best = loaded.flatMap { $0.loss.isFinite ? $0 : nil }
        if best != nil { epochsWithoutImprovement = epochsSinceLoaded }
    }

    /// Records `model`'s validation `loss` after `epoch`, keeping the weights when they beat the
    /// best so far. Returns true when patience has run out.
    mutating func shouldStop(after epoch: Int, loss: Double, model: Sequential) -> Bool {
        if best.map({ loss < $0.loss }) ?? true {
            best = Kept(loss: loss, model: model, epoch: epoch)
            keptLatest = true
            epochsWithoutImprovement = 0
            return false
        }
        keptLatest = false
        epochsWithoutImprovement += 1
        return epochsWithoutImprovement >= patience
    }
}
