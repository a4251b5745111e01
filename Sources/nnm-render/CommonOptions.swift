import ArgumentParser
import NNM
import NNMCommandLine
import NNMPlot
import NNMRender

/// Options every picture command takes: size, pixel density, title, font, overwrite.
struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Picture size in pixels at scale 1, e.g. 1200x450. Loss and boundary pictures take it exactly; weight pictures use W as the target width and are padded to H (a layer that needs more room keeps one pixel per weight and says so). Defaults: loss 1200x450 (800 wide with no accuracy panel), weights 1000 wide, boundary 720 wide with the height that fits the data. Smallest readable sizes: loss 520x260, boundary 320x240, weights 720 wide (smaller is refused).",
        valueName: "WxH"), transform: Dimensions.size)
    var size: Dimensions?

    @Option(help: ArgumentHelp(
        "Pixel density: 2 draws everything twice as dense (a 2400x900 PNG for --size 1200x450) for crisp text on high-DPI screens. 0.5 to 4.",
        valueName: "S"))
    var scale: Float = 1

    @Option(help: "Title instead of the default one.")
    var title: String?

    @Option(help: ArgumentHelp(
        "TrueType/OpenType font for all text (default DejaVu Sans at \(FontFile.defaultPath)). A font you name must load; if the default font is missing, the picture is drawn without text and a warning says so.",
        valueName: "PATH"))
    var font: String?

    @Flag(help: "Overwrite an output file that is not a PNG (by default nnm-render refuses, so a typo such as -o model.nnm cannot destroy a model). A symlink is followed to its target; a directory, device or FIFO is never replaced, even with --force.")
    var force = false

    /// `--size` as (width, height), or nil.
    func parsedSize() -> (width: Int, height: Int)? {
        size.map { ($0.first, $0.second) }
    }

    func validate() throws {
        if let problem = ComputeOptions.environmentProblems().first { throw ValidationError(problem) }
        guard scale.isFinite, scale >= 0.5, scale <= 4 else {
            throw ValidationError("--scale must be between 0.5 and 4, got \(scale)")
        }
        if let (w, h) = parsedSize() {
            let (pw, ph) = (Double(w) * Double(scale), Double(h) * Double(scale))
            if pw > Double(Canvas.maxSide) || ph > Double(Canvas.maxSide) {
                throw ValidationError("--size \(w)x\(h) at --scale \(scale) is larger than \(Canvas.maxSide) pixels on a side")
            }
            if pw * ph > Double(Canvas.maxArea) {
                throw ValidationError("--size \(w)x\(h) at --scale \(scale) is \(Int(pw))x\(Int(ph)) pixels, more than \(Canvas.maxArea / 1_048_576) megapixels")
            }
        }
        // A font the user named must load: a typo should not silently give a picture without text.
        if let font, FontFile.face(at: font) == nil {
            throw ValidationError("--font \(font): no usable TrueType/OpenType font there")
        }
    }

    /// Refuses a `--size` below the picture's readable minimum, before any file is read.
    func checkMinimum(_ picture: String, _ minimum: (width: Int, height: Int)) throws {
        guard let (w, h) = parsedSize(), w < minimum.width || h < minimum.height else { return }
        throw ValidationError("--size \(w)x\(h) is too small for the \(picture) picture (its title, axes and legend would be cut): the minimum is \(minimum.width)x\(minimum.height)")
    }

    /// The theme for these options; prints the font warning once when no font loads.
    func theme() -> Theme {
        let (theme, warning) = FontFile.theme(scale: scale, path: font)
        if let warning { printError("nnm-render: \(warning)") }
        return theme
    }
}

/// Checks of picture settings that several commands take (each with help text of its own).
enum PictureSettings {
    /// Refuses a `--smooth` weight outside 0...0.99.
    static func checkSmoothing(_ smooth: Double?) throws {
        if let smooth, !(smooth.isFinite && smooth >= 0 && smooth <= 0.99) {
            throw ValidationError("--smooth must be between 0 and 0.99, got \(smooth)")
        }
    }

    /// Refuses a `--grid` outside 8...4096 evaluations across.
    static func checkGrid(_ grid: Int?) throws {
        if let grid, !(8...4096).contains(grid) { throw ValidationError("--grid must be between 8 and 4096, got \(grid)") }
    }
}
