import Foundation
import Testing
@testable import NNMFormat
#if canImport(Glibc)
import Glibc
#endif

/// `ModelFile.write(to:)` replaces only regular files: a symlink's target is written (the link
/// stays), and a FIFO, directory or device is refused with a typed error and left untouched.
@Suite struct AtomicWriteTests {
    static func inTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnm-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func aSymlinkIsFollowedAndKept() throws {
        try Self.inTemporaryDirectory { directory in
            let target = directory + "/real.nnm", link = directory + "/link.nnm"
            try Fixtures.everyKind.write(to: target)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.nnm")
            let other = Fixtures.model([LayerRecord(kind: .linear, inputs: 3, outputs: 1)], seed: 9)
            try other.write(to: link)
            #expect(Self.kind(link) == S_IFLNK, "the link itself stays a link")
            #expect(try sameContent(try ModelFile(contentsOf: target), other), "its target holds the new model")
        }
    }

    @Test func aDanglingSymlinkCreatesItsTarget() throws {
        try Self.inTemporaryDirectory { directory in
            let link = directory + "/link.nnm"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory + "/new.nnm")
            try Fixtures.everyKind.write(to: link)
            #expect(Self.kind(link) == S_IFLNK)
            #expect(Self.kind(directory + "/new.nnm") == S_IFREG)
        }
    }

    @Test func aFIFOIsRefusedAndLeftInPlace() throws {
        try Self.inTemporaryDirectory { directory in
            let fifo = directory + "/fifo.nnm"
            #expect(mkfifo(fifo, 0o644) == 0)
            #expect(throws: NNMFormatError.notARegularFile(path: fifo, kind: "a FIFO (named pipe)")) {
                try Fixtures.everyKind.write(to: fifo)
            }
            #expect(Self.kind(fifo) == S_IFIFO)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(leftovers == ["fifo.nnm"], "no temporary file left behind")
        }
    }

    @Test func aDirectoryAndADeviceAreRefused() throws {
        try Self.inTemporaryDirectory { directory in
            let sub = directory + "/sub.nnm"
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
            #expect(throws: NNMFormatError.notARegularFile(path: sub, kind: "a directory")) {
                try Fixtures.everyKind.write(to: sub)
            }
            // A link to a device is refused too (as root, rename would have replaced /dev/null).
            let link = directory + "/null.nnm"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
            #expect(throws: NNMFormatError.notARegularFile(path: link, kind: "a character device")) {
                try Fixtures.everyKind.write(to: link)
            }
            #expect(Self.kind("/dev/null") == S_IFCHR)
        }
    }
}

/// Reading a path that is not a regular file said "cannot read (not a regular file) '/dev/null':
/// Invalid argument (errno 22)"; it names what the path is, with the identifier `io` as before.
@Suite struct NonRegularReadTests {
    @Test func aDeviceOrDirectoryToReadIsNamedByItsKind() {
        for (path, kind) in [("/dev/null", "a character device"), ("/tmp", "a directory")] {
            do {
                _ = try ModelFile(contentsOf: path)
                Issue.record("\(path) was read")
            } catch let error as NNMFormatError {
                #expect(error.code == "io" && error.category == .io)
                if kind == "a character device" {
                    #expect(error.description == "cannot read '/dev/null': it is a character device, not a regular file")
                } else {
                    #expect(error.description.contains("cannot read '/tmp'"))
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
