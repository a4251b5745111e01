import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NNMCommandLine
import NNMFiles
import NNMPlot
import NNMRender

/// `nnm-render all MODEL --out-dir DIR`
struct AllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Every picture that applies to the model, into a directory.",
        discussion: """
        Writes loss.png (when the model has a training history), weights.png, \
        weights-images.png (when the first layer's inputs form a square picture, e.g. 784 = \
        28x28), boundary.png (models with a dataset recipe or --data; for more than 2 inputs the \
        slice through the two features the first layer weighs most, or --features I,J, the others held at \
        their training means, as nnm-render boundary --help explains), confusion.png and \
        roc.png (classifiers whose held-out points are at hand; roc for two classes) and \
        network.png, and says which it skipped and why. A picture that applies but cannot be \
        made (a size too small for it, a damaged section) does not stop the others: they are \
        written, the failed one is named with its reason on stderr, and the exit status is 1. DIR is created if it does not exist, but only DIR itself: its parent \
        must exist (as for -o), so a typo in a parent is an error rather than a new tree. If \
        the model file itself does not load, nothing is written. A symlink at an output path is followed \
        (the picture replaces its target); a directory, device or FIFO there is refused, even \
        with --force.

        Examples:
          nnm-render all model.nnm --out-dir pictures
          nnm-render all model.nnm --out-dir pictures --scale 2 --smooth 0.6
        """)

    @Argument(help: "The .nnm model file.")
    var model: String

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Directory for the PNGs.", valueName: "DIR"))
    var outDir: String

    @Option(help: ArgumentHelp("Loss smoothing weight W in 0...0.99.", valueName: "W"))
    var smooth: Double?

    @Flag(name: .customLong("log-y"), help: "Logarithmic loss axis.")
    var logY = false

    @Flag(name: .customLong("shared-scale"), help: "One colour range for all weight layers.")
    var sharedScale = false

    @Option(help: ArgumentHelp("Points from data files instead of the recipe's: csv:PATH or idx:IMAGES,LABELS.", valueName: "csv:PATH|idx:IMAGES,LABELS"),
            transform: BoundaryPoints.parse)
    var data: BoundaryPoints?

    @Option(help: ArgumentHelp("Boundary grid: N model evaluations across (default one per pixel).", valueName: "N"))
    var grid: Int?

    @Option(help: ArgumentHelp("Boundary: the two features to draw (names or 0-based indices; see boundary --help).", valueName: "I,J"),
            transform: FeatureChoice.parse)
    var features: FeatureChoice?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        try common.checkMinimum("loss", MinimumSize.loss)
        try common.checkMinimum("boundary", MinimumSize.boundary)
        try common.checkMinimum("weights", MinimumSize.weights)
        try PictureSettings.checkSmoothing(smooth)
        try PictureSettings.checkGrid(grid)
    }

    func run() throws {
        try reportingFailures {
            let started = ContinuousClock.now
            let fm = FileManager.default
            try checkOutputDirectory(outDir)
            let paths = Dictionary(uniqueKeysWithValues: PictureKind.allCases.map {
                ($0, (outDir.hasSuffix("/") ? outDir : outDir + "/") + $0.fileName)
            })
            let loaded = try loadModel(model)

            var options = AllOptions()
            options.title = common.title
            options.loss.smoothing = smooth
            options.loss.logY = logY
            options.weights.sharedScale = sharedScale
            options.boundary.grid = grid
            options.boundaryPoints = data ?? .recipe
            options.boundaryFeatures = features
            if let (w, h) = common.parsedSize() {
                options.loss.width = w; options.loss.height = h; options.loss.exactWidth = true
                options.weights.width = w; options.minimumHeight = h
                options.boundary.width = w; options.boundary.height = h
            }
            let outcomes = renderAll(loaded, options: options, theme: common.theme())

            let failures = outcomes.compactMap { o -> (PictureKind, String)? in
                if case let .failed(kind, error) = o { return (kind, explain(error, model: model, picture: kind.rawValue).description) }
                return nil
            }
            let made = outcomes.compactMap { o -> (PictureKind, Canvas, String?)? in
                if case let .made(kind, canvas, note) = o { return (kind, canvas, note) }
                return nil
            }
            let skipped = outcomes.compactMap { o -> (PictureKind, String)? in
                if case let .skipped(kind, reason) = o { return (kind, reason) }
                return nil
            }
            guard !made.isEmpty else {
                let why = failures.map { "\($0.0.rawValue): \($0.1)" } + skipped.map { "\($0.0.rawValue): \($0.1)" }
                throw CommandFailure("\(model): no picture could be made: " + why.joined(separator: "; "))
            }
            if !fm.fileExists(atPath: outDir), mkdir(outDir, 0o777) != 0 {
                let code = errno
                throw CommandFailure("cannot create --out-dir \(outDir): \(FileError.text(of: code))")
            }
            for (kind, _, _) in made {
                if let path = paths[kind] { try checkOutput(path, model: model, force: common.force) }
            }
            // Every picture is written before anything is said, so a report that cannot be
            // printed (a closed pipe) loses no picture.
            var written: [(path: String, canvas: Canvas, size: Int, note: String?)] = []
            for (kind, canvas, note) in made {
                if let path = paths[kind] { written.append((path, canvas, try writePictureFile(canvas, to: path), note)) }
            }
            do {
                for picture in written {
                    try reportPicture(picture.canvas, at: picture.path, size: picture.size, started: nil, note: picture.note)
                }
                for (kind, reason) in skipped { try say("skipped \(kind.fileName): \(reason)") }
                try say("\(made.count) picture\(made.count == 1 ? "" : "s") in \(outDir) in \(seconds(ContinuousClock.now - started))")
            } catch let failure as CommandFailure {
                throw CommandFailure("\(written.count) picture\(written.count == 1 ? " was" : "s were") written to \(outDir), but the report was not: \(failure)")
            }
            // A picture that applies but could not be made is an error, after the others are written.
            for (kind, reason) in failures { printError("nnm-render: not written: \(kind.fileName): \(reason)") }
            if !failures.isEmpty {
                throw CommandFailure("\(failures.count) of \(made.count + failures.count) pictures could not be made (named above); the other \(made.count) were written")
            }
        }
    }
}
