import NNMFiles
import NNMPlot

/// Saving pictures: NNMPlot makes PNG bytes, NNMFiles writes them, here they meet.
public enum PictureFile {
    /// Encodes `canvas` as PNG and writes it to `path` through ``AtomicFile``: a reader never
    /// sees half a picture, a failed write leaves any existing file as it was, a symbolic link
    /// is written through and kept, and a directory, device or FIFO is never replaced.
    /// Returns the PNG's size in bytes. Throws `PlotError` (encoding) or `FileError` (writing).
    @discardableResult
    public static func write(_ canvas: Canvas, to path: String) throws -> Int {
        let bytes = try PNG.encode(canvas)
        try AtomicFile.write(bytes, to: path)
        return bytes.count
    }

    /// The output policy for pictures: an existing PNG is replaced without asking; any other
    /// file (an empty one included) only with `force`.
    public static func outputPolicy(force: Bool) -> OutputPolicy {
        OutputPolicy(signature: PNG.signature, replacesEmptyFiles: false, force: force)
    }
}
