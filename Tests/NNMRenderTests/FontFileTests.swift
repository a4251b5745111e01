import Foundation
import NNMPlot
import Testing
@testable import NNMRender
#if canImport(Glibc)
import Glibc
#endif

/// Fonts are read through the file layer: a FIFO named as a font is refused at once instead of
/// blocking the open (FreeType opened paths itself before), and what is not a font warns.
@Suite struct FontFileTests {
    @Test(.timeLimit(.minutes(1))) func aFIFOIsRefusedWithoutWaiting() throws {
        let directory = NSTemporaryDirectory() + "nnm-font-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/font.ttf"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(FontFile.face(at: fifo) == nil)
        let (renderer, warning) = FontFile.renderer(path: fifo)
        #expect(renderer.face == nil)
        #expect(warning?.contains(fifo) == true)
    }

    @Test func theDefaultFontLoadsAndAMissingOneWarnsOnce() {
        #expect(FontFile.face(at: FontFile.defaultPath) != nil)
        let (renderer, warning) = FontFile.renderer(path: "/nonexistent/font.ttf")
        #expect(renderer.face == nil)
        #expect(warning?.contains("/nonexistent/font.ttf") == true)
        let (_, none) = FontFile.renderer()
        #expect(none == nil)
    }
}
