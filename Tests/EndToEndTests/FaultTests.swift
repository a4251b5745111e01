import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Faults a user's machine has: a writer killed at any moment (kill -9, a power cut), a full
/// disk, a read-only file system. The old file stays intact or the new one is complete; stray
/// temporary files are named so a user recognises them, and later writes clean them up.
@Suite struct KilledWriterTests {
    static let train = Tool(name: "nnm-train")
    /// A run whose model (2-700-700-1, about 2 MB) takes a moment to write.
    static func arguments(output: String, seed: Int) -> [String] {
        ["-o", output, "--samples", "100", "--hidden", "700,700", "--epochs", "1", "--quiet", "--seed", "\(seed)"]
    }

    static func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// `.model.nnm.tmp-PID-RANDOM`: a leftover that says what it was for.
    static func isRecognisableTemporary(_ name: String) -> Bool {
        name.range(of: #"^\.model\.nnm\.tmp-[0-9]+-[0-9a-z]+$"#, options: .regularExpression) != nil
    }

    @Test func killingNNMTrainAtAnyMomentKeepsTheOldModelOrWritesTheNewOneWhole() throws {
        try Tool.inTemporaryDirectory { directory in
            let output = directory + "/model.nnm"
            let first = try Self.train.run(Self.arguments(output: output, seed: 1))
            #expect(first.status == 0, "\(first.stderr)")
            var accepted = [try Data(contentsOf: URL(fileURLWithPath: output))]

            // How long a whole run takes here, then kills spread over it (the write is last).
            let started = Date()
            _ = try Self.train.run(Self.arguments(output: directory + "/timing.nnm", seed: 2))
            let whole = Date().timeIntervalSince(started)
            try FileManager.default.removeItem(atPath: directory + "/timing.nnm")

            for (attempt, fraction) in [0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 1.0].enumerated() {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Self.train.path)
                process.arguments = Self.arguments(output: output, seed: 10 + attempt)
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                usleep(useconds_t(whole * fraction * 1_000_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()

                let now = try Data(contentsOf: URL(fileURLWithPath: output))
                if !accepted.contains(now) {
                    // Not a file seen before: it must be a complete, valid new model.
                    let verify = try Tool(name: "nnm-inspect").run(["--verify", output])
                    #expect(verify.status == 0, "after a kill at \(fraction) of the run: \(verify.stdout)\(verify.stderr)")
                    accepted.append(now)
                }
                for name in Self.files(in: directory) where name != "model.nnm" {
                    #expect(Self.isRecognisableTemporary(name), "unexpected leftover \(name)")
                }
            }

            // Leftovers that have been quiet for a while belong to no live writer: the next
            // successful write removes them.
            for name in Self.files(in: directory) where name != "model.nnm" {
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)],
                                                      ofItemAtPath: directory + "/" + name)
            }
            let last = try Self.train.run(Self.arguments(output: output, seed: 99))
            #expect(last.status == 0, "\(last.stderr)")
            #expect(Self.files(in: directory) == ["model.nnm"])
        }
    }
}

/// A small file system of its own (tmpfs), for a full disk or a read-only one. Mounting needs
/// root (CI runs as root); elsewhere these tests are skipped.
final class ScratchFileSystem {
    let path: String

    static let isAvailable: Bool = {
        guard geteuid() == 0, let probe = try? ScratchFileSystem(kilobytes: 64) else { return false }
        _ = probe
        return true
    }()

    init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("nnm-fs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=\(kilobytes)k tmpfs '\(path)'") else {
            try? FileManager.default.removeItem(atPath: path)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    func makeReadOnly() -> Bool { Self.shell("mount -o remount,ro '\(path)'") }

    deinit {
        _ = Self.shell("umount '\(path)'")
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    static func shell(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

@Suite(.enabled(if: ScratchFileSystem.isAvailable, "needs root to mount a tmpfs"))
struct FullAndReadOnlyDiskTests {
    /// A small model trained outside, copied onto the scratch file system.
    static func smallModel(into directory: String) throws -> Data {
        try Tool.inTemporaryDirectory { outside in
            let run = try Tool(name: "nnm-train").run(["-o", outside + "/m.nnm", "--epochs", "5", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: outside + "/m.nnm"))
            try bytes.write(to: URL(fileURLWithPath: directory + "/model.nnm"))
            return bytes
        }
    }

    @Test func aFullDiskGivesOneClearErrorAndKeepsTheOldFiles() throws {
        let disk = try ScratchFileSystem(kilobytes: 64)
        let old = try Self.smallModel(into: disk.path)
        let output = disk.path + "/model.nnm"

        let train = try Tool(name: "nnm-train").run(["-o", output, "--samples", "100", "--hidden", "200,200",
                                                     "--epochs", "1", "--quiet"])
        #expect(train.status == 1)
        #expect(train.stderr == "nnm-train: error: cannot write '\(output)': No space left on device (errno 28)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == old)

        // Fill the rest of the disk, then a picture cannot be written either.
        let filler = disk.path + "/filler"
        ScratchFileSystem.shell("dd if=/dev/zero of='\(filler)' bs=1k count=1000")
        let render = try Tool(name: "nnm-render").run(["loss", output, "-o", disk.path + "/loss.png"])
        #expect(render.status == 1)
        #expect(render.stderr.contains("No space left on device") && render.stderr.split(separator: "\n").count == 1,
                "\(render.stderr)")
        let predict = try Tool(name: "nnm-predict").run([output, "-o", disk.path + "/p.csv"])
        #expect(predict.status != 0)
        #expect(predict.stderr.contains("No space left on device"), "\(predict.stderr)")
        try FileManager.default.removeItem(atPath: filler)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted() == ["model.nnm"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == old)
    }

    @Test func aReadOnlyFileSystemIsRefusedBeforeTraining() throws {
        let disk = try ScratchFileSystem(kilobytes: 256)
        let old = try Self.smallModel(into: disk.path)
        #expect(disk.makeReadOnly())
        let output = disk.path + "/model.nnm"
        let started = Date()
        let train = try Tool(name: "nnm-train").run(["-o", output, "--epochs", "100000", "--quiet"])
        #expect(train.status == 1)
        #expect(train.stderr.contains("is not writable"), "\(train.stderr)")
        #expect(Date().timeIntervalSince(started) < 30, "refused before training, not after")
        let render = try Tool(name: "nnm-render").run(["loss", output, "-o", disk.path + "/loss.png"])
        #expect(render.status == 1 && render.stderr.contains("not writable"), "\(render.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == old)
    }
}
