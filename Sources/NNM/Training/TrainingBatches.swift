/// The batches of one training run, in one place: the visiting order, its shuffle at the start
/// of each epoch, and reading each batch's rows and labels into the workspace (spec/training.md §3).
///
/// Each epoch resets the order to `0, 1, …, n−1` and shuffles it with one generator,
/// `SeededRandom(seed, stream: .shuffle)`, continued from epoch to epoch; batches are
/// consecutive runs of `batchSize` indices of that order, the last one maybe smaller.
/// Full-batch training (one batch holds the whole split) visits the samples in their stored
/// order: the gradient sums the same samples whatever the order (up to rounding), so a shuffle
/// would only cost time. Its one batch is read once, for the whole run.
///
/// With a second thread, each batch's rows are read on the helper while the optimizer steps
/// on the batch before it (``BatchReadAhead``; a step over a large array, shared two-way,
/// waits for the read first): the rows are the same either way.
struct TrainingBatches<Source: SampleSource> {
    let source: Source
    let batchSize: Int
    let batchCount: Int
    /// False for full-batch training: no shuffle, one read.
    let shuffles: Bool
    private var order: [Int]
    private var random: SeededRandom
    /// The generator as it was before the current epoch's shuffle (a part-done epoch is
    /// resumed by shuffling again from here).
    private(set) var generatorBeforeShuffle: SeededRandom
    /// The generator now: the one the next epoch's shuffle starts from.
    var generator: SeededRandom { random }
    private let readAhead: BatchReadAhead?
    private var fullBatchIsRead = false

    /// The batches of `source` (which holds at least one sample); a `batchSize` above the
    /// sample count is taken as the sample count.
    /// `generator` continues a stored shuffle instead of starting one from `seed`.
    init(_ source: Source, batchSize: Int, seed: UInt64, generator: SeededRandom? = nil) {
        self.source = source
        self.batchSize = min(batchSize, source.sampleCount)
        batchCount = (source.sampleCount + self.batchSize - 1) / self.batchSize
        shuffles = batchCount > 1
        order = Array(0..<source.sampleCount)
        random = generator ?? SeededRandom(seed: seed, stream: .shuffle)
        generatorBeforeShuffle = random
        readAhead = shuffles && ComputeOptions.current.threads > 1 ? BatchReadAhead(source) : nil
    }

    /// The positions in the epoch's order of batch `batch` (0-based).
    func range(of batch: Int) -> Range<Int> {
        batch * batchSize ..< min((batch + 1) * batchSize, source.sampleCount)
    }

    /// Starts an epoch: a fresh shuffle of the order, unless the one batch holds everything.
    mutating func startEpoch() {
        guard shuffles else { return }
        generatorBeforeShuffle = random
        for i in order.indices { order[i] = i }
        random.shuffle(&order)
    }

    /// Puts the rows and labels of batch `batch` of this epoch into `workspace`: the rows read
    /// ahead when ``startReadingAhead(after:)`` started them, else read now. Returns the batch's range
    /// in the order.
    /// - Throws: the source's error when its rows cannot be read.
    mutating func load(_ batch: Int, into workspace: inout Workspace) throws -> Range<Int> {
        let range = range(of: batch)
        if let readAhead, readAhead.holds(range) {
            try readAhead.take(into: &workspace)
        } else if shuffles || !fullBatchIsRead {
            try workspace.gather(source, order: order, range: range)
            fullBatchIsRead = !shuffles
        }
        return range
    }

    /// With a read-ahead, starts reading the batch after `batch` on the helper thread. Called
    /// once batch `batch`'s products are done: a two-way product first finishes the read under
    /// way (the helper does one job at a time), so a read started before the forward pass
    /// would hold up its first product instead of overlapping the optimizer's step.
    func startReadingAhead(after batch: Int) {
        guard let readAhead, batch + 1 < batchCount else { return }
        readAhead.post(order: order, range: range(of: batch + 1))
    }

    /// Abandons a read under way (training stopped early or failed).
    func cancelReadAhead() {
        readAhead?.cancel()
    }
}
