#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to standard error.
func printError(_ message: String) {
    writeStandardError(message + "\n")
}

/// Writes raw text to file descriptor 2 (unbuffered, so progress and errors appear at once).
func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = write(2, base + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

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
