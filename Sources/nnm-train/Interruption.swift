#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@preconcurrency import Dispatch
import NNMCommandLine
import Synchronization

/// Ctrl-C during a run: the first one asks training to stop after the current batch (the model
/// so far is then saved, marked as interrupted, and nnm-train exits 130); a second one quits at
/// once, writing nothing.
///
/// SIGINT is ignored as a signal and delivered instead to a dispatch source, whose handler runs
/// on an ordinary thread: no code runs in signal context, and the training loop only reads
/// ``isRequested`` after each batch (`TrainingSession.run(progress:shouldStop:)`). While the
/// model file is being written (``writing(_:)``), a second Ctrl-C waits for the write to end,
/// so that a file is never left half-written, not even as a temporary file.
final class InterruptRequest {
    /// What the handler thread and the training thread share: two atomics, nothing else.
    private final class State: Sendable {
        let count = Atomic<Int>(0)
        let isWriting = Atomic<Bool>(false)
    }

    private let state = State()
    private let source: any DispatchSourceSignal

    /// Starts listening for SIGINT (until the process ends).
    init() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [state, source] in  // the source lives as long as the process
            let signals = max(Int(source.data), 1)
            let total = state.count.wrappingAdd(signals, ordering: .sequentiallyConsistent).newValue
            if total >= 2, !state.isWriting.load(ordering: .sequentiallyConsistent) {
                if isatty(2) == 1 { writeStandardError("\n") }  // the shell's prompt on a line of its own
                _exit(ExitStatus.interrupted)
            }
        }
        source.resume()
        self.source = source
    }

    /// True once Ctrl-C has been pressed.
    var isRequested: Bool { state.count.load(ordering: .sequentiallyConsistent) > 0 }

    /// Runs `write` with a second Ctrl-C held back until it returns; if one came meanwhile,
    /// exits 130 right after (the file is then complete).
    func writing<T>(_ write: () throws -> T) rethrows -> T {
        state.isWriting.store(true, ordering: .sequentiallyConsistent)
        defer {
            state.isWriting.store(false, ordering: .sequentiallyConsistent)
            if state.count.load(ordering: .sequentiallyConsistent) >= 2 { _exit(ExitStatus.interrupted) }
        }
        return try write()
    }
}
