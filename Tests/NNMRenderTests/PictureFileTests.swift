import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NNMFiles
import NNMPlot
import Testing
@testable import NNMRender

/// Pictures go to files through `PictureFile` (NNMFiles' atomic writer) and the PNG output
/// policy; these were NNMPlot's file tests before NNMPlot stopped touching files.
@Suite struct PictureFileTests {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "nnmrender-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func writeThenReadBackLeavesNoTemporaryFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Canvas(width: 37, height: 21)
        let size = try PictureFile.write(c, to: dir + "/out.png")
        #expect(size == (try PNG.encode(c)).count)
        #expect(try PNGFile.read(dir + "/out.png").width == 37)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.png"])
    }

    @Test func writeIntoMissingDirectoryIsAnError() throws {
        let c = try Canvas(width: 4, height: 4)
        #expect(throws: FileError.self) { try PictureFile.write(c, to: "/nonexistent-dir-nnm/x.png") }
    }

    @Test func aSymlinkIsWrittenThroughAndKept() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Canvas(width: 4, height: 4)
        try PictureFile.write(c, to: dir + "/target.png")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.png", withDestinationPath: "target.png")
        try PictureFile.write(try Canvas(width: 6, height: 5), to: dir + "/link.png")
        // The link is still a link, and its target holds the new picture.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.png") == "target.png")
        #expect(try PNGFile.read(dir + "/target.png").width == 6)
        // A dangling link creates its target.
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.png", withDestinationPath: dir + "/new.png")
        try PictureFile.write(c, to: dir + "/dangling.png")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/dangling.png") == dir + "/new.png")
        #expect(try PNGFile.read(dir + "/new.png").width == 4)
    }

    @Test func aDirectoryOrFIFOIsNeverReplaced() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Canvas(width: 4, height: 4)
        try FileManager.default.createDirectory(atPath: dir + "/d.png", withIntermediateDirectories: false)
        #expect(mkfifo(dir + "/pipe.png", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-pipe.png", withDestinationPath: "pipe.png")
        let policy = PictureFile.outputPolicy(force: true)
        for name in ["d.png", "pipe.png", "to-pipe.png"] {
            #expect(throws: FileError.self) { try PictureFile.write(c, to: dir + "/" + name) }
            #expect(throws: OutputRefusal.self) { try policy.check(dir + "/" + name) }  // answered without blocking
        }
        #expect(FileKind(at: dir + "/pipe.png") == .fifo)
        #expect(FileKind(at: dir + "/d.png") == .directory)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(left == ["d.png", "pipe.png", "to-pipe.png"])
    }

    /// An existing PNG is replaced without asking; any other file, even an empty one, needs force.
    @Test func theOutputPolicyRecognisesExistingPNGs() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = PictureFile.outputPolicy(force: false)
        #expect(try policy.check(dir + "/none.png").existing == .missing)
        try PictureFile.write(try Canvas(width: 2, height: 2), to: dir + "/a.png")
        #expect(try policy.check(dir + "/a.png").existing == .regular)
        try Data("NNM model bytes".utf8).write(to: URL(fileURLWithPath: dir + "/model.nnm"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.png"))
        for name in ["model.nnm", "empty.png"] {
            #expect(throws: OutputRefusal.unexpectedContent(path: dir + "/" + name)) { try policy.check(dir + "/" + name) }
            #expect(try PictureFile.outputPolicy(force: true).check(dir + "/" + name).existing == .regular)
        }
    }
}
