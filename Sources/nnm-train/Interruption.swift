#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@preconcurrency import Dispatch
import NNMCommandLine

/// Ctrl-C during a run: the first one asks training to stop after the current batch (the model
/// so far is then evaluated and saved, marked as interrupted, and nnm-train exits 130; on a
/// terminal a line says so at once); a second one quits at once, writing nothing.
///
/// SIGINT is ignored as a signal and delivered instead to a dispatch source, whose handler runs
/// on an ordinary thread: no code runs in signal context, and the training loop only reads
/// ``isRequested`` after each batch (`TrainingSession.run(progress:shouldStop:)`). While the
/// model file is being written (``writing(_:)``), a second Ctrl-C waits for the write to end,
/// so that a file is never left half-written, not even as a temporary file.
final class InterruptRequest {
    /// What the handler thread and the training thread share, behind one serial queue (not
    /// `Synchronization.Atomic`, which needs macOS 15 and iOS 18, above the package's minimum).
    /// Training reads it once per batch, an uncontended `sync`: nothing beside a batch.
    private final class State: @unchecked Sendable {  // every access goes through `queue`
        private let queue = DispatchQueue(label: "nnm-train.interrupt")
        private var count = 0
        private var isWriting = false
        private var isTraining = false

        /// Adds `signals` Ctrl-Cs; returns the total, whether a file is being written and
        /// whether training has begun.
        func add(_ signals: Int) -> (total: Int, writing: Bool, training: Bool) {
            queue.sync { count += signals; return (count, isWriting, isTraining) }
        }
        var total: Int { queue.sync { count } }
        /// Marks the write as started or ended; returns the Ctrl-Cs so far.
        func setWriting(_ writing: Bool) -> Int { queue.sync { isWriting = writing; return count } }
        func setTraining() { queue.sync { isTraining = true } }
    }

    private let state = State()
    private let source: any DispatchSourceSignal

    /// Starts listening for SIGINT (until the process ends).
    init() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [state, source] in  // the source lives as long as the process
            let (total, writing, training) = state.add(max(Int(source.data), 1))
            if total == 1, training, !writing, isatty(2) == 1 {
                // Evaluating the model so far can take a while on a large data set: say what
                // is going on, and how to leave at once. (Before the first batch the run ends
                // at once and says so itself; during the write a second Ctrl-C waits for it.)
                writeStandardError("\nnnm-train: stopping after this batch; the model so far is evaluated, then saved "
                    + "(Ctrl-C again quits without saving)\n")
            }
            if total >= 2, !writing {
                if isatty(2) == 1 { writeStandardError("\n") }  // the shell's prompt on a line of its own
                _exit(ExitStatus.interrupted)
            }
        }
        source.resume()
        self.source = source
    }

    /// True once Ctrl-C has been pressed.
    var isRequested: Bool { state.total > 0 }

    /// Called after every batch (from the progress line): a Ctrl-C from the first one on saves
    /// the model so far, and on a terminal says so at once.
    func trainingStarted() { state.setTraining() }

    /// Runs `write` with a second Ctrl-C held back until it returns; if one came meanwhile,
    /// exits 130 right after (the file is then complete).
    func writing<T>(_ write: () throws -> T) rethrows -> T {
        _ = state.setWriting(true)
        defer {
            if state.setWriting(false) >= 2 { _exit(ExitStatus.interrupted) }
        }
        return try write()
    }
}
