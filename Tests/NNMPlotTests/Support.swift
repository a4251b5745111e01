import Foundation
@testable import NNMPlot

/// Shared helpers for the NNMPlot tests.
enum Support {
    /// A text renderer with DejaVu Sans (the tests need the font to check text pixels).
    static func theme(scale: Float = 1) -> Theme {
        Theme(scale: scale, text: TextRenderer(face: dejaVuSans()))
    }

    /// DejaVu Sans from its usual Debian place, read here: NNMPlot itself reads no file.
    static func dejaVuSans() -> FontFace? {
        FileManager.default.contents(atPath: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
            .flatMap { FontFace(bytes: [UInt8]($0)) }
    }

    /// A fresh temporary directory for written files.
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "nnmplot-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes `canvas` to `$NNMPLOT_DEMO_DIR/name.png` when that variable is set (for looking at).
    static func demo(_ canvas: Canvas, _ name: String) throws {
        guard let dir = ProcessInfo.processInfo.environment["NNMPLOT_DEMO_DIR"] else { return }
        try PNGFile.write(canvas, to: dir + "/" + name + ".png")
    }

    /// Euclidean distance between two colours in 0...255 units (alpha ignored).
    static func distance(_ a: RGBA, _ b: RGBA) -> Float {
        let d = ((a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) + (a.b - b.b) * (a.b - b.b)).squareRoot()
        return d * 255
    }
}
