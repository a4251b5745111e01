import CNNMKernels

/// Work cut into pieces that the calling thread and the kernels' helper thread share.
///
/// The same helper as the two-way products (`nnm_run_two_way`, pool.c): cheap to wake, and
/// it declines (the caller then runs every piece) when it is busy with another job or has seen
/// another program want its core. Pieces must write disjoint memory, and the result must not
/// depend on which thread ran a piece.
enum TwoWayWork {
    /// Runs `piece(0)`, …, `piece(count − 1)`, on two threads when `options` allow more than
    /// one and the helper is free, else in order on this thread. Returns when all are done.
    static func run(pieces count: Int, options: ComputeOptions = .current, _ piece: (Int) -> Void) {
        guard count > 1, options.threads > 1 else {
            for index in 0..<count { piece(index) }
            return
        }
        withoutActuallyEscaping(piece) { piece in
            let job = Job(piece)
            let shared = withExtendedLifetime(job) {
                nnm_run_two_way({ context, index in
                    guard let context else { return }
                    Unmanaged<Job>.fromOpaque(context).takeUnretainedValue().piece(index)
                }, Unmanaged.passUnretained(job).toOpaque(), count)
            }
            if shared == 0 {
                for index in 0..<count { piece(index) }
            }
        }
    }

    /// Runs `body` over `0..<count` cut in two halves at `count / 2`, on two threads when
    /// `shares` and `options` allow, else over the whole range on this thread. For element-wise
    /// work, whose values do not depend on where it is cut. An empty half is never passed.
    static func halves(of count: Int, shares: Bool, options: ComputeOptions = .current,
                       _ body: (Range<Int>) -> Void) {
        let pieces = shares && count > 1 ? 2 : 1
        let cut = pieces == 2 ? count / 2 : count
        run(pieces: pieces, options: options) { piece in
            let range = piece == 0 ? 0..<cut : cut..<count
            if !range.isEmpty { body(range) }
        }
    }

    /// The pieces' closure, handed to C as an opaque pointer; `nnm_run_two_way` returns only
    /// after every piece has run, so the closure never outlives the call.
    private final class Job: @unchecked Sendable {
        let piece: (Int) -> Void
        init(_ piece: @escaping (Int) -> Void) { self.piece = piece }
    }
}
