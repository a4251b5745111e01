#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NNM
import NNMCommandLine

/// What nnm-train asks of the terminal: is a stream one, and how wide is it.
enum Terminal {
    /// True when standard error is a terminal (the progress line is drawn only there).
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
    static var standardOutputIsTerminal: Bool { isatty(1) == 1 }

    /// The width in columns of the terminal on file descriptor `descriptor` (TIOCGWINSZ), asked
    /// afresh each time so that a resized window is followed; nil when it is not a terminal or
    /// does not say (a pseudo-terminal with no size set reports 0).
    static func columns(of descriptor: Int32) -> Int? {
        guard isatty(descriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// The width a line drawn on `descriptor` may use: one column less than the terminal's,
    /// because writing the last column makes some terminals wrap (and `\r` then clears only the
    /// new row, leaving the old one behind). 80 columns when the terminal does not say.
    static func usableWidth(of descriptor: Int32) -> Int {
        max((columns(of: descriptor) ?? 80) - 1, 1)
    }

    /// The width of a line redrawn in place: ``usableWidth(of:)`` less two columns for the
    /// `^C` a terminal echoes after it on Ctrl-C, which would otherwise wrap and strand it.
    static func redrawWidth(of descriptor: Int32) -> Int {
        max(usableWidth(of: descriptor) - 2, 1)
    }
}

/// nnm-train's progress display on standard error: one line redrawn in place (at most 10 times
/// a second, always fitted to the terminal's width), and a record kept on screen.
///
/// The record, like Keras's `verbose=2` but thinned: the end of every `recordEvery` epochs
/// (chosen so that a run leaves at most about ten lines) and always the last epoch run, so
/// that after the run the screen shows how it went. The live line is erased when the run ends.
final class ProgressLine {
    private var lastDraw: ContinuousClock.Instant?
    private let clock = ContinuousClock()
    private var drawn = false
    private let recordEvery: Int
    /// The latest validation figures, shown during the next epoch too.
    private var validation: (loss: Double, accuracy: Double)?
    /// The last finished epoch not yet kept on screen.
    private var unrecorded: (progress: TrainingProgress, validation: (loss: Double, accuracy: Double)?)?
    private let width: () -> Int

    init(epochs: Int, width: @escaping () -> Int = { Terminal.redrawWidth(of: 2) }) {
        recordEvery = ProgressLine.recordInterval(epochs: epochs)
        self.width = width
    }

    /// The step between kept lines for a run of `epochs` epochs: the smallest of 1, 2, 5, 10,
    /// 20, 50, … that leaves at most ten of them.
    static func recordInterval(epochs: Int) -> Int {
        var step = 1
        let factors = [2, 5, 10]
        var decade = 1
        var index = 0
        while epochs > step * 10 {
            if index == factors.count { decade *= 10; index = 0 }
            step = factors[index] * decade
            index += 1
        }
        return step
    }

    func update(_ progress: TrainingProgress) {
        if progress.isEpochEnd {
            if let loss = progress.validationLoss, let accuracy = progress.validationAccuracy {
                validation = (loss, accuracy)
            }
            unrecorded = (progress, validation)
            if progress.epoch % recordEvery == 0 || progress.epoch == progress.epochs {
                keep()
                return
            }
        }
        let now = clock.now
        if !progress.isEpochEnd, let lastDraw, now - lastDraw < .milliseconds(100) { return }
        lastDraw = now
        draw(ProgressText(progress, validation: validation).fitted(width: width()))
    }

    /// Erases the live line and keeps the last finished epoch on screen if it is not yet.
    func finish() {
        keep()
        if drawn { writeStandardError("\r\u{1B}[2K") }
        drawn = false
    }

    /// Writes the last finished epoch as a line that stays.
    private func keep() {
        guard let (progress, validation) = unrecorded else { return }
        unrecorded = nil
        let line = ProgressText(record: progress, validation: validation).fitted(width: width())
        writeStandardError("\r\u{1B}[2K" + line + "\n")
        drawn = false
    }

    private func draw(_ line: String) {
        writeStandardError("\r\u{1B}[2K" + line)
        drawn = true
    }
}
