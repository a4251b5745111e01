import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNM
import NNMCommandLine
import NNMFiles
import NNMFormat
import NNMPlot
import NNMRender

/// A failure `nnm-render` reports as one line on stderr before exiting with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command body: prints a failure as `nnm-render: error: ...` (the prefix every tool's
/// errors share, so scripts can grep for it) and exits 1; nothing else escapes.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        printError("nnm-render: error: \(failure.description)")
        throw ExitCode.failure
    }
}

/// Loads the model (every tensor checked), or fails with the reader's reason: nothing is
/// drawn from a file that does not load whole.
func loadModel(_ path: String) throws -> NNMModel {
    do {
        return try NNMModel(contentsOf: path)
    } catch where error.kind == .notANetwork {
        throw CommandFailure("\(path): the model cannot be run: \(error.detail); nothing written")
    } catch {
        throw CommandFailure("\(path): \(error.detail)")
    }
}

/// What every one-model picture command does, in this order: check the output path before any
/// work, load the model whole, draw, and write the PNG atomically with a line saying so.
/// `draw` gives the canvas and a note for a requested size it could not honour; its errors
/// are explained naming the model and the picture (an `ExitCode` passes through as it is).
func drawPicture(_ picture: String, of model: String, to output: String, force: Bool,
                 draw: (NNMModel) throws -> (canvas: Canvas, note: String?)) throws {
    try reportingFailures {
        let started = ContinuousClock.now
        try checkOutput(output, model: model, force: force)
        let loaded = try loadModel(model)
        let drawn: (canvas: Canvas, note: String?)
        do {
            drawn = try draw(loaded)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw explain(error, model: model, picture: picture)
        }
        try writePicture(drawn.canvas, to: output, started: started, note: drawn.note)
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

/// Checks an output path before any work is done (``OutputPolicy``): its directory exists and
/// is writable, it is not the model itself (same device and inode), it is not a directory,
/// device or FIFO (refused even with `--force`: replacing one with a plain file is never what
/// was meant), and an existing file there is a PNG (or `--force` was given). A symlink is
/// followed: the picture replaces its target and the link stays.
func checkOutput(_ path: String, model: String, force: Bool) throws {
    do {
        try PictureFile.outputPolicy(force: force).check(path, inputs: [model])
    } catch let refusal as OutputRefusal {
        throw CommandFailure(sentence(for: refusal))
    }
}

/// `nnm-render`'s words for a refused output path.
func sentence(for refusal: OutputRefusal) -> String {
    switch refusal {
    case .emptyPath:
        return "the output path is empty"
    case .namesADirectory(let path):
        return "cannot write \(path): it ends in '/', so it names a directory, not a file"
    case let .missingDirectory(path, _):
        return "cannot write \(path): the directory \(URL(fileURLWithPath: path).deletingLastPathComponent().path) does not exist"
    case let .notARegularFile(path, target, kind):
        let via = target == path ? "" : " (the target of the symlink \(path))"
        return "cannot write '\(target)': it is \(kind.noun)\(via), not a regular file; refusing to replace it with a PNG"
    case let .unresolvable(path, .tooManySymbolicLinks):
        return "cannot write '\(path)': too many levels of symbolic links"
    case let .unresolvable(_, error):
        return "\(error)"
    case let .missingLinkTargetDirectory(path, target):
        return "cannot write \(path): it is a symlink to \(target), whose directory does not exist"
    case .isAnInput(let path, _):
        return "refusing to write the picture over the model file itself (\(path))"
    case .unexpectedContent(let path):
        return "refusing to overwrite \(path): it exists and is not a PNG file (a typo such as -o model.nnm would destroy it); use --force to replace it, or another -o"
    case .writeProtected(let path):
        return "refusing to overwrite \(path): it is write-protected; use --force to replace it (the new picture keeps its mode)"
    case let .unwritableDirectory(path, directory):
        return "cannot write \(path): directory \(directory) is not writable"
    }
}

/// Makes `--out-dir` the way `mkdir` (without -p) would: only its last component is created, and
/// its parent must exist, as `-o` needs an existing directory; so a typo in a parent is an error,
/// not a new tree of directories.
func checkOutputDirectory(_ dir: String) throws {
    guard !dir.isEmpty else { throw CommandFailure("--out-dir is empty") }
    switch FileKind(at: dir) {
    case .directory: return
    case .missing:
        let parent = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        guard FileKind(at: parent) == .directory else {
            throw CommandFailure("cannot create --out-dir \(dir): its parent \(parent) does not exist (nnm-render creates only the last directory)")
        }
    case let k:
        throw CommandFailure("--out-dir \(dir) exists and is \(k == .other ? "not a regular file" : k.noun), not a directory")
    }
}

/// Encodes and writes atomically (``PictureFile``), then prints what was written.
/// `started` nil leaves the time out (`all` reports one total).
func writePicture(_ canvas: Canvas, to path: String, started: ContinuousClock.Instant?, note: String? = nil) throws {
    let size = try writePictureFile(canvas, to: path)
    do {
        try reportPicture(canvas, at: path, size: size, started: started, note: note)
    } catch let failure as CommandFailure {
        // The picture is there: say so, as nnm-train does for its model.
        throw CommandFailure("the picture was written to \(path), but its report was not: \(failure)")
    }
}

/// Encodes and writes atomically (``PictureFile``); returns the file's size in bytes.
func writePictureFile(_ canvas: Canvas, to path: String) throws -> Int {
    do {
        return try PictureFile.write(canvas, to: path)
    } catch let error as FileError {
        throw CommandFailure(sentence(for: error, writing: path))
    } catch {
        throw CommandFailure("\(error)")
    }
}

/// "wrote PATH (W×H, N kB) in T s", and the notes, on standard output.
func reportPicture(_ canvas: Canvas, at path: String, size: Int, started: ContinuousClock.Instant?, note: String?) throws {
    let time = started.map { " in " + seconds(ContinuousClock.now - $0) } ?? ""
    try say("wrote \(path) (\(canvas.width)×\(canvas.height), \(kilobytes(size)))\(time)")
    if let note { try say("  note: \(note)") }
    if let other = otherImageFormat(path) { try say("  note: the file is a PNG image whatever its name (.\(other)): nnm-render writes PNG only") }
}

/// The extension of another image format (`x.jpg`), which the PNG written there does not have.
func otherImageFormat(_ path: String) -> String? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: ".") else { return nil }
    let ext = name[name.index(after: dot)...].lowercased()
    return ["jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff", "svg", "pdf", "eps"].contains(ext) ? ext : nil
}

/// One line on standard output; a report that cannot be written is a failure, not silence.
func say(_ line: String) throws {
    do { try printOutput(line) } catch let error as StandardOutputError {
        throw CommandFailure("\(error)")
    }
}

/// `nnm-render`'s words for a failed picture write: "cannot write 'PATH': REASON".
func sentence(for error: FileError, writing path: String) -> String {
    let reason = switch error {
    case let .system(_, _, code): FileError.text(of: code)
    case let .notARegularFile(_, kind): "it is \(kind.noun), not a regular file; refusing to replace it with a PNG"
    case .tooManySymbolicLinks: "too many levels of symbolic links"
    default: "\(error)"
    }
    return "cannot write '\(path)': \(reason)"
}

func kilobytes(_ n: Int) -> String { n < 1024 ? "\(n) B" : "\((n + 512) / 1024) kB" }

func seconds(_ d: Duration) -> String {
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return PrintfText.string(s < 10 ? "%.2f s" : "%.1f s", s)
}
