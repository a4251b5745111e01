#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NNMCommandLine

/// True when standard error is a terminal (the progress line is drawn only there).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }

/// Draws a one-line progress display on standard error, redrawn at most 10 times a second.
final class ProgressLine {
    private var lastDraw: ContinuousClock.Instant?
    private let clock = ContinuousClock()
    private var drawn = false

    func update(_ progress: TrainingProgressView) {
        let now = clock.now
        if !progress.isEpochEnd, let lastDraw, now - lastDraw < .milliseconds(100) { return }
        lastDraw = now
        writeStandardError("\r\u{1B}[2K" + progress.text)
        drawn = true
    }

    func finish() {
        if drawn { writeStandardError("\r\u{1B}[2K") }
        drawn = false
    }
}

/// The text of one progress line.
struct TrainingProgressView {
    var text: String
    var isEpochEnd: Bool
}
