import ArgumentParser
import Foundation
import NNMCommandLine
import NNMFormat
import NNMPlot
import NNMRender

/// A failure `nnm-render` reports as one line on stderr before exiting with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command body: prints a failure as `nnm-render: ...` and exits 1; nothing else escapes.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        printError("nnm-render: \(failure.description)")
        throw ExitCode.failure
    }
}

/// Reads the model file, or fails with the reader's reason.
func loadModel(_ path: String) throws -> ModelFile {
    do {
        return try ModelFile(contentsOf: path)
    } catch {
        throw CommandFailure("\(path): \(error)")
    }
}

/// The sentence for a picture error, naming the model and the picture.
func explain(_ error: Error, model: String, picture: String) -> CommandFailure {
    switch error {
    case RenderError.noHistory:
        return CommandFailure("\(model) has no training history; nothing to plot for `\(picture)` (nnm-train records one per epoch)")
    case RenderError.noRecipe:
        return CommandFailure("\(model) has no dataset recipe, so there are no points to draw for `\(picture)`; give points with --data csv:PATH")
    case let e as RenderError:
        return CommandFailure("\(model): `\(picture)`: \(e.description)")
    case let e as CommandFailure:
        return e
    default:
        return CommandFailure("\(model): `\(picture)`: \(error)")
    }
}

/// Checks an output path before any work is done: its directory exists, it is not the model
/// itself, it is not a directory, device or FIFO (refused even with `--force`: replacing one with
/// a plain file is never what was meant), and an existing file there is a PNG (or `--force` was
/// given). A symlink is followed: the picture replaces its target and the link stays.
func checkOutput(_ path: String, model: String, force: Bool) throws {
    guard !path.isEmpty else { throw CommandFailure("the output path is empty") }
    let fm = FileManager.default
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw CommandFailure("cannot write \(path): the directory \(dir) does not exist")
    }
    let target: String
    do { target = try OutputPath.resolve(path) } catch { throw CommandFailure("\(error)") }
    if target != path {
        let targetDir = URL(fileURLWithPath: target).deletingLastPathComponent().path
        guard fm.fileExists(atPath: targetDir, isDirectory: &isDir), isDir.boolValue else {
            throw CommandFailure("cannot write \(path): it is a symlink to \(target), whose directory does not exist")
        }
    }
    if OutputPath.kind(of: target) == .regular {
        let a = URL(fileURLWithPath: target).resolvingSymlinksInPath().path, b = URL(fileURLWithPath: model).resolvingSymlinksInPath().path
        if a == b { throw CommandFailure("refusing to write the picture over the model file itself (\(path))") }
        if PNG.existingFileIsPNG(target) == false && !force {
            throw CommandFailure("refusing to overwrite \(path): it exists and is not a PNG file (a typo such as -o model.nnm would destroy it); use --force to replace it, or another -o")
        }
    }
}

/// Makes `--out-dir` the way `mkdir` (without -p) would: only its last component is created, and
/// its parent must exist, as `-o` needs an existing directory; so a typo in a parent is an error,
/// not a new tree of directories.
func checkOutputDirectory(_ dir: String) throws {
    guard !dir.isEmpty else { throw CommandFailure("--out-dir is empty") }
    switch OutputPath.kind(of: dir) {
    case .directory: return
    case .missing:
        let parent = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        guard OutputPath.kind(of: parent) == .directory else {
            throw CommandFailure("cannot create --out-dir \(dir): its parent \(parent) does not exist (nnm-render creates only the last directory)")
        }
    case let k:
        throw CommandFailure("--out-dir \(dir) exists and is \(k.noun), not a directory")
    }
}

/// Encodes and writes atomically (temporary file + rename), then prints what was written.
/// `started` nil leaves the time out (`all` reports one total).
func writePicture(_ canvas: Canvas, to path: String, started: ContinuousClock.Instant?, note: String? = nil) throws {
    let bytes: [UInt8]
    do {
        bytes = try PNG.encode(canvas)
        try PNG.writeAtomically(bytes, to: path)
    } catch {
        throw CommandFailure("\(error)")
    }
    let time = started.map { " in " + seconds(ContinuousClock.now - $0) } ?? ""
    print("wrote \(path) (\(canvas.width)×\(canvas.height), \(kilobytes(bytes.count)))\(time)")
    if let note { print("  note: \(note)") }
}

func kilobytes(_ n: Int) -> String { n < 1024 ? "\(n) B" : "\((n + 512) / 1024) kB" }

func seconds(_ d: Duration) -> String {
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return String(format: s < 10 ? "%.2f s" : "%.1f s", s)
}
