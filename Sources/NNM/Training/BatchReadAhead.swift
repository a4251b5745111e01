import CNNMKernels

/// Reads the next batch's rows on the kernels' helper thread while the current batch trains.
///
/// Training reads 32 rows per step from wherever they live: from a file (`IDXStream`: 32
/// system calls) or from a data set far larger than the caches (32 row copies that miss them).
/// Either costs a tenth of a W3 step on the training thread. Here the read of batch k + 1 is
/// posted to the helper once batch k's products are done (`nnm_background_post`), so it
/// overlaps the optimizer's step, and taken when batch k + 1 begins (`nnm_background_join`;
/// a two-way product, or an optimizer step over a large array, joins it too, which is why it is
/// not posted before the products): a helper
/// that has not started by then (the other core busy) leaves the read to the training thread,
/// so nothing waits on the scheduler. The rows are the same either way; only the time they
/// take moves.
///
/// Between ``post(_:order:range:)`` and ``take(into:)`` the helper thread owns `rows`, `buffer`
/// and `failure`; the training thread touches them only after the join, whose acquire makes
/// the helper's writes visible. That hand-off is why the class is `@unchecked Sendable`.
final class BatchReadAhead: @unchecked Sendable {
    private let source: any SampleSource
    /// The caller's compute options: task-local values do not reach the helper's thread, and
    /// a source's conversions (`Kernels.unitBytes`) must run on the kernel path asked for.
    private let options: ComputeOptions
    private var rows: [Int] = []
    private var buffer = Matrix.empty
    private var failure: (any Error)?
    private var pending: Range<Int>?
    private var posted = false

    init(_ source: any SampleSource, options: ComputeOptions = .current) {
        self.source = source
        self.options = options
    }

    /// Starts reading the samples `order[range]`.
    func post(order: [Int], range: Range<Int>) {
        guard pending == nil, range.lowerBound >= 0, range.upperBound <= order.count else { return }
        rows.removeAll(keepingCapacity: true)
        rows.append(contentsOf: order[range])
        pending = range
        posted = nnm_background_post({ context, _ in
            guard let context else { return }
            Unmanaged<BatchReadAhead>.fromOpaque(context).takeUnretainedValue().read()
        }, Unmanaged.passUnretained(self).toOpaque()) == 1
        if !posted { read() }  // the helper is busy or missing: read now, on this thread
    }

    /// Whether a read of `range` is under way or done.
    func holds(_ range: Range<Int>) -> Bool { pending == range }

    /// Finishes the posted read and puts its rows into `workspace` (features and labels).
    /// - Throws: the source's error when the read failed.
    func take(into workspace: inout Workspace) throws {
        if posted { nnm_background_join() }
        posted = false
        pending = nil
        if let failure {
            self.failure = nil
            throw failure
        }
        swap(&buffer, &workspace.activations[0])
        workspace.setLabels(from: source.labels, of: rows)
        workspace.setTargets(from: source.targets, of: rows)
    }

    /// Abandons a posted read (training stopped early): waits for the helper to finish it.
    func cancel() {
        if posted { nnm_background_join() }
        posted = false
        pending = nil
        failure = nil
    }

    deinit { cancel() }

    private func read() {
        buffer.reshape(rows: rows.count, columns: source.featureCount)
        ComputeOptions.$current.withValue(options) {
            do {
                try rows.withUnsafeBufferPointer { rows in
                    try buffer.storage.withUnsafeMutableBufferPointer { try source.readRows(rows, into: $0) }
                }
            } catch {
                failure = error
            }
        }
    }
}
