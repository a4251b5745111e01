import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import NNMFiles

/// A successful write removes the temporary files that killed writers of the same target left,
/// and nothing else.
@Suite struct AbandonedTemporaryFileTests {
    /// A PID no process has (Linux's pid_max is at most 2²²).
    static let deadPID = 999_999_999

    static func make(_ path: String, ageSeconds: Int) throws {
        try put([0xAB], path)
        let past = Date().addingTimeInterval(-Double(ageSeconds))
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
    }

    @Test func aWriteRemovesOnlyAbandonedQuietTemporariesOfItsOwnTarget() throws {
        try inTemporaryDirectory { directory in
            let abandoned = ".model.nnm.tmp-\(Self.deadPID)-3k9x"
            let recent = ".model.nnm.tmp-\(Self.deadPID)-zz1"         // dead writer, but touched just now
            let live = ".model.nnm.tmp-\(getpid())-abc"                  // this process: alive
            let otherTarget = ".other.nnm.tmp-\(Self.deadPID)-abc"      // another target's
            let notOurs = ".model.nnm.tmp-notapid-abc"                  // not of the form
            try Self.make(directory + "/" + abandoned, ageSeconds: 600)
            try Self.make(directory + "/" + recent, ageSeconds: 5)
            try Self.make(directory + "/" + live, ageSeconds: 600)
            try Self.make(directory + "/" + otherTarget, ageSeconds: 600)
            try Self.make(directory + "/" + notOurs, ageSeconds: 600)
            try AtomicFile.write([1, 2], to: directory + "/model.nnm")
            let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
            #expect(left == ["model.nnm", recent, live, otherTarget, notOurs])
        }
    }

    @Test func aFailedWriteRemovesNothingElse() throws {
        try inTemporaryDirectory { directory in
            let abandoned = ".model.nnm.tmp-\(Self.deadPID)-3k9x"
            try Self.make(directory + "/" + abandoned, ageSeconds: 600)
            try FileManager.default.createDirectory(atPath: directory + "/model.nnm", withIntermediateDirectories: false)
            #expect(throws: FileError.self) { try AtomicFile.write([1], to: directory + "/model.nnm") }
            #expect(FileManager.default.fileExists(atPath: directory + "/" + abandoned))
        }
    }

    @Test(arguments: [("123-abc", 123), ("7-0", 7), ("-1-abc", nil), ("12", nil), ("12-", nil), ("x-abc", nil), ("5-AB", nil)] as [(String, Int?)])
    func theWriterIsReadFromTheName(_ rest: String, _ pid: Int?) {
        #expect(AbandonedTemporaryFiles.writerProcess(of: Substring(rest)).map(Int.init) == pid)
    }
}
