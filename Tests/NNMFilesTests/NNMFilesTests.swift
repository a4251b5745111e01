import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import NNMFiles

/// A fresh directory, removed after `body`.
func inTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "nnmfiles-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try body(directory)
}

func put(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

@Suite struct ReadOnlyFileTests {
    @Test func readsAtAnyOffsetAndRefusesReadsPastTheEnd() throws {
        try inTemporaryDirectory { directory in
            let path = directory + "/f"
            try put(Array(0..<100), path)
            let file = try ReadOnlyFile(path: path)
            #expect(file.length == 100)
            #expect(try file.read(at: 90, count: 10) == Array(90..<100))
            #expect(try file.prefix(1000) == Array(0..<100))
            #expect(try file.starts(with: [0, 1, 2]) && !(try file.starts(with: [1])))
            #expect(throws: FileError.readPastEnd(path: path, offset: 95, count: 10, length: 100)) {
                try file.read(at: 95, count: 10)
            }
        }
    }

    /// A read of many megabytes goes into a buffer that is not zeroed first and is offered
    /// huge pages: every byte is still the file's, at any offset, and a file that shrank is
    /// still an error, not a buffer with stale bytes.
    @Test func largeReadsAreTheFilesBytes() throws {
        try inTemporaryDirectory { directory in
            let path = directory + "/large"
            let count = LargeBuffer.hugePageMinimum + 3 * 4096 + 5
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }  // no period of 256
            try put(bytes, path)
            let file = try ReadOnlyFile(path: path)
            #expect(try file.readAll() == bytes)
            #expect(try file.read(at: 4097, count: count - 4100) == Array(bytes[4097 ..< count - 3]))
            #expect(truncate(path, off_t(count / 2)) == 0)
            #expect(throws: FileError.endedEarly(path: path, offset: count / 2, missing: count - count / 2, length: count)) {
                try file.readAll()
            }
        }
    }

    @Test func aFileThatShrankIsAnErrorNotAShortRead() throws {
        try inTemporaryDirectory { directory in
            let path = directory + "/f"
            try put(Array(repeating: 7, count: 100), path)
            let file = try ReadOnlyFile(path: path)
            #expect(truncate(path, 40) == 0)
            #expect(throws: FileError.endedEarly(path: path, offset: 40, missing: 60, length: 100)) { try file.readAll() }
        }
    }

    @Test func onlyRegularFilesAreOpenedAndAFIFODoesNotBlock() throws {
        try inTemporaryDirectory { directory in
            #expect(mkfifo(directory + "/fifo", 0o644) == 0)
            #expect(throws: FileError.notARegularFile(path: directory + "/fifo", kind: .fifo)) {
                try ReadOnlyFile(path: directory + "/fifo")
            }
            #expect(throws: FileError.notARegularFile(path: directory, kind: .directory)) { try ReadOnlyFile(path: directory) }
            #expect(throws: FileError.system(path: directory + "/none", operation: .open, errno: ENOENT)) {
                try ReadOnlyFile(path: directory + "/none")
            }
        }
    }
}

@Suite struct AtomicFileTests {
    @Test func writesReplacesAndLeavesNoTemporaryFile() throws {
        try inTemporaryDirectory { directory in
            let path = directory + "/out"
            try AtomicFile.write([1, 2, 3], to: path)
            try AtomicFile.write([4, 5], to: path)
            #expect(try ReadOnlyFile(path: path).readAll() == [4, 5])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out"])
        }
    }

    @Test func aSymlinkIsFollowedAndKept() throws {
        try inTemporaryDirectory { directory in
            try put([1], directory + "/real")
            try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: "real")
            try AtomicFile.write([9, 9], to: directory + "/link")
            #expect(FileKind(ofLinkAt: directory + "/link") == .symbolicLink)
            #expect(try ReadOnlyFile(path: directory + "/real").readAll() == [9, 9])
        }
    }

    @Test func nonRegularTargetsAreRefusedAndLeftInPlace() throws {
        try inTemporaryDirectory { directory in
            #expect(mkfifo(directory + "/fifo", 0o644) == 0)
            try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)
            try FileManager.default.createSymbolicLink(atPath: directory + "/null", withDestinationPath: "/dev/null")
            #expect(throws: FileError.notARegularFile(path: directory + "/fifo", kind: .fifo)) {
                try AtomicFile.write([1], to: directory + "/fifo")
            }
            #expect(throws: FileError.notARegularFile(path: directory + "/sub", kind: .directory)) {
                try AtomicFile.write([1], to: directory + "/sub")
            }
            #expect(throws: FileError.notARegularFile(path: directory + "/null", kind: .characterDevice)) {
                try AtomicFile.write([1], to: directory + "/null")
            }
            #expect(FileKind(ofLinkAt: directory + "/fifo") == .fifo)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["fifo", "null", "sub"])
        }
    }

    @Test func aLinkLoopAndAMissingDirectoryAreErrors() throws {
        try inTemporaryDirectory { directory in
            try FileManager.default.createSymbolicLink(atPath: directory + "/a", withDestinationPath: "b")
            try FileManager.default.createSymbolicLink(atPath: directory + "/b", withDestinationPath: "a")
            #expect(throws: FileError.tooManySymbolicLinks(path: directory + "/a")) { try AtomicFile.write([1], to: directory + "/a") }
            #expect(throws: FileError.self) { try AtomicFile.write([1], to: directory + "/missing/x") }
        }
    }
}

@Suite struct OutputPolicyTests {
    static let signature: [UInt8] = Array("SIG!".utf8)

    @Test func filesOfTheExpectedKindAreReplacedOthersNeedForce() throws {
        try inTemporaryDirectory { directory in
            let policy = OutputPolicy(signature: Self.signature, replacesEmptyFiles: true, force: false)
            try put(Self.signature + [1, 2], directory + "/mine")
            try put(Array("notes".utf8), directory + "/notes")
            try put([], directory + "/empty")
            #expect(try policy.check(directory + "/new").existing == .missing)
            #expect(try policy.check(directory + "/mine").existing == .regular)
            #expect(try policy.check(directory + "/empty").existing == .regular)
            #expect(throws: OutputRefusal.unexpectedContent(path: directory + "/notes")) { try policy.check(directory + "/notes") }
            let strict = OutputPolicy(signature: Self.signature, replacesEmptyFiles: false, force: false)
            #expect(throws: OutputRefusal.unexpectedContent(path: directory + "/empty")) { try strict.check(directory + "/empty") }
            let forced = OutputPolicy(signature: Self.signature, replacesEmptyFiles: false, force: true)
            #expect(try forced.check(directory + "/notes").existing == .regular)
        }
    }

    @Test func anInputIsRecognisedByIdentityEvenWithForce() throws {
        try inTemporaryDirectory { directory in
            let forced = OutputPolicy(signature: Self.signature, replacesEmptyFiles: true, force: true)
            try put([1, 2, 3], directory + "/data.csv")
            try FileManager.default.createSymbolicLink(atPath: directory + "/link.csv", withDestinationPath: "data.csv")
            #expect(link(directory + "/data.csv", directory + "/hard.csv") == 0)
            for spelling in ["/link.csv", "/hard.csv", "/./data.csv"] {
                #expect(throws: OutputRefusal.isAnInput(path: directory + spelling, input: directory + "/data.csv")) {
                    try forced.check(directory + spelling, inputs: [directory + "/other", directory + "/data.csv"])
                }
            }
            #expect(OutputPolicy.input(sameAs: directory + "/new", among: [directory + "/data.csv"]) == nil)
        }
    }

    @Test func pathsThatCannotHoldTheFileAreRefused() throws {
        try inTemporaryDirectory { directory in
            let forced = OutputPolicy(signature: Self.signature, replacesEmptyFiles: true, force: true)
            #expect(throws: OutputRefusal.emptyPath) { try forced.check("") }
            #expect(throws: OutputRefusal.namesADirectory(path: directory + "/new/")) { try forced.check(directory + "/new/") }
            #expect(throws: OutputRefusal.notARegularFile(path: directory, target: directory, kind: .directory)) {
                try forced.check(directory)
            }
            #expect(throws: OutputRefusal.missingDirectory(path: directory + "/no/x", directory: directory + "/no")) {
                try forced.check(directory + "/no/x")
            }
            try FileManager.default.createSymbolicLink(atPath: directory + "/away", withDestinationPath: "gone/x")
            #expect(throws: OutputRefusal.missingLinkTargetDirectory(path: directory + "/away", target: directory + "/gone/x")) {
                try forced.check(directory + "/away")
            }
            #expect(mkfifo(directory + "/fifo", 0o644) == 0)
            try FileManager.default.createSymbolicLink(atPath: directory + "/to-fifo", withDestinationPath: "fifo")
            #expect(throws: OutputRefusal.notARegularFile(path: directory + "/to-fifo", target: directory + "/fifo", kind: .fifo)) {
                try forced.check(directory + "/to-fifo")
            }
        }
    }
}

@Suite struct SHA256Tests {
    @Test func knownDigestsAndStreamingAgree() throws {
        #expect(Hex.string(try SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.string(try SHA256.digest(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let sha = try SHA256()
        sha.update(bytes[..<1])
        sha.update(bytes[1..<5000])
        sha.update(Array(bytes[5000...]))
        #expect(try sha.finish() == (try SHA256.digest(bytes)))
        #expect(throws: FileError.self) { try sha.finish() }
    }

    @Test func aFileIsHashedInPieces() throws {
        try inTemporaryDirectory { directory in
            let bytes = (0..<10_001).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try put(bytes, directory + "/f")
            let file = try ReadOnlyFile(path: directory + "/f")
            #expect(try SHA256.digest(of: file, chunkSize: 999) == (try SHA256.digest(bytes)))
            try put([], directory + "/empty")
            #expect(try SHA256.digest(of: try ReadOnlyFile(path: directory + "/empty")) == (try SHA256.digest([])))
        }
    }

    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        #expect(Hex.string([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}

/// Hostile-output cases found by trying: a write-protected file, a name near NAME_MAX.
@Suite struct ProtectedAndLongOutputTests {
    @Test func aWriteProtectedFileNeedsForceAndKeepsItsMode() throws {
        try inTemporaryDirectory { directory in
            let path = directory + "/kept"
            try put(OutputPolicyTests.signature + [9], path)
            #expect(chmod(path, 0o444) == 0)
            let policy = OutputPolicy(signature: OutputPolicyTests.signature, replacesEmptyFiles: true, force: false)
            #expect(throws: OutputRefusal.writeProtected(path: path)) { try policy.check(path) }
            let forced = OutputPolicy(signature: OutputPolicyTests.signature, replacesEmptyFiles: true, force: true)
            #expect(try forced.check(path).existing == .regular)
            try AtomicFile.write(OutputPolicyTests.signature + [7], to: path)
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o444)
            #expect(try ReadOnlyFile(path: path).readAll() == OutputPolicyTests.signature + [7])
        }
    }

    @Test func aTargetNameOfAnyLegalLengthLeavesRoomForTheTemporaryName() throws {
        try inTemporaryDirectory { directory in
            let name = String(repeating: "é", count: 120) + ".nnm"   // 244 bytes of UTF-8
            #expect(name.utf8.count <= 255)
            let path = directory + "/" + name
            try AtomicFile.write([1, 2, 3], to: path)
            #expect(try ReadOnlyFile(path: path).readAll() == [1, 2, 3])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [name])
            let temporary = AtomicFile.temporaryName(for: name)
            #expect(temporary.utf8.count < 100 && temporary.hasPrefix(".éé"))
        }
    }
}
