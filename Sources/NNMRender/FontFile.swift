import NNMFiles
import NNMPlot

/// The font pictures are lettered with, read through the file layer: NNMPlot draws text from a
/// font's bytes and never opens a file, so a FIFO or device named as a font is refused at once
/// (never waited on), and a file too large to be a font is refused before it is read.
public enum FontFile {
    /// The usual place of DejaVu Sans on Debian (package `fonts-dejavu-core`).
    public static let defaultPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    /// Largest font file read (DejaVu Sans is 740 kB; large CJK fonts are about 20 MB).
    public static let maximumBytes = 64 << 20

    /// The face in the file at `path`, or nil when it cannot be read or is not a font.
    public static func face(at path: String) -> FontFace? {
        guard let file = try? ReadOnlyFile(path: path), file.length <= maximumBytes,
              let bytes = try? file.readAll() else { return nil }
        return FontFace(bytes: bytes)
    }

    /// Text with the font at `path` (DejaVu Sans at its usual place when nil). When no font
    /// loads, the renderer draws no text and `warning` says so once, for the caller to print.
    public static func renderer(path: String? = nil) -> (renderer: TextRenderer, warning: String?) {
        let chosen = path ?? defaultPath
        if let face = face(at: chosen) { return (TextRenderer(face: face), nil) }
        let hint = path == nil ? " (install fonts-dejavu-core, or pass a font path)" : ""
        return (TextRenderer(face: nil), "warning: no usable font at '\(chosen)'\(hint); drawing the picture without text")
    }

    /// A theme at `scale` lettered with the font at `path` (see ``renderer(path:)``).
    public static func theme(scale: Float = 1, path: String? = nil) -> (theme: Theme, warning: String?) {
        let (renderer, warning) = renderer(path: path)
        return (Theme(scale: scale, text: renderer), warning)
    }
}
