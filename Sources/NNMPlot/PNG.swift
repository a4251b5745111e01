import CPNG
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG encoding and decoding through libpng's *simplified* API.
///
/// The simplified API catches libpng's internal `longjmp` errors itself and returns 0 with a
/// message, so a bad write becomes a Swift error instead of aborting the process (the low-level
/// API would abort when called from Swift).
public enum PNG {
    /// Encodes the canvas as an 8-bit PNG: RGB when every pixel is opaque (charts on white;
    /// a quarter less data to compress), RGBA otherwise. Same pixels → same bytes.
    public static func encode(_ canvas: Canvas) throws -> [UInt8] {
        let opaque = canvas.pixels.withUnsafeBufferPointer { p -> Bool in
            var i = 3
            while i < p.count { if p[i] != 255 { return false }; i += 4 }
            return true
        }
        if opaque {
            var rgb = [UInt8](repeating: 0, count: canvas.width * canvas.height * 3)
            canvas.pixels.withUnsafeBufferPointer { src in
                rgb.withUnsafeMutableBufferPointer { dst in
                    var j = 0, i = 0
                    while i < src.count { dst[j] = src[i]; dst[j + 1] = src[i + 1]; dst[j + 2] = src[i + 2]; i += 4; j += 3 }
                }
            }
            // PNG_FORMAT_RGB is PNG_FORMAT_FLAG_COLOR (0x02).
            return try encode(rgb, width: canvas.width, height: canvas.height, format: 0x02, channels: 3)
        }
        return try encode(canvas.pixels, width: canvas.width, height: canvas.height,
                          format: png_uint_32(CPNG_FORMAT_RGBA), channels: 4)
    }

    private static func encode(_ pixels: [UInt8], width: Int, height: Int, format: png_uint_32, channels: Int) throws -> [UInt8] {
        var image = png_image()
        image.version = png_uint_32(CPNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = format
        // PNG_IMAGE_FLAG_FAST (0x02): libpng picks quicker filtering/compression. Charts are
        // flat colours and smooth ramps: on a 1000×1000 boundary (RGBA, size query + write) it
        // took 17 ms instead of 96 ms and gave a smaller file (237 kB instead of 264 kB); with
        // RGB and a single pass, 7 ms and 208 kB (release build, this machine).
        image.flags = 0x02
        let stride = png_int_32(width * channels)
        // Compress once into a buffer that is usually big enough; libpng reports the size it
        // needs when it is not, and the second pass uses that.
        var capacity = pixels.count / 3 + 65_536
        for _ in 0..<2 {
            var out = [UInt8](repeating: 0, count: capacity)
            var size = png_alloc_size_t(capacity)
            let ok = pixels.withUnsafeBytes { px in
                out.withUnsafeMutableBytes { o in
                    png_image_write_to_memory(&image, o.baseAddress, &size, 0, px.baseAddress, stride, nil)
                }
            }
            if ok != 0 {
                out.removeSubrange(Int(size)...)
                return out
            }
            guard Int(size) > capacity else { break }
            capacity = Int(size)
            image.opaque = nil
            image.warning_or_error = 0
            image.message = png_image().message
        }
        throw PlotError.pngEncodeFailed(message: message(of: &image))
    }

    /// Encodes and writes atomically: the bytes go to a temporary file in the same directory,
    /// which is then renamed over `path`, so a reader never sees half a PNG and a failed write
    /// never destroys an existing file.
    public static func write(_ canvas: Canvas, to path: String) throws {
        let bytes = try encode(canvas)
        try writeAtomically(bytes, to: path)
    }

    /// Writes bytes to `path` through a temporary sibling file and `rename`.
    ///
    /// A symlink at `path` is followed (the picture goes to its target and the link stays, as
    /// `cp` or an editor would do); an existing directory, device, FIFO or socket is refused,
    /// because renaming a plain file over it would silently replace something that is not a file.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        guard !path.isEmpty else { throw PlotError.fileWriteFailed(path: path, reason: "empty path") }
        let target = try OutputPath.resolve(path)
        let tmp = target + ".tmp-\(getpid())"
        // O_EXCL: never follow a link planted at the temporary name.
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o644)
        guard fd >= 0, let f = fdopen(fd, "wb") else {
            let reason = String(cString: strerror(errno))
            throw PlotError.fileWriteFailed(path: path, reason: reason)
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let flushed = fflush(f) == 0
        let closed = fclose(f) == 0
        guard written == bytes.count, flushed, closed else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw PlotError.fileWriteFailed(path: path, reason: reason)
        }
        guard rename(tmp, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw PlotError.fileWriteFailed(path: path, reason: reason)
        }
    }

    /// Whether an existing file at `path` is a PNG (by its 8-byte signature); nil when there is
    /// no file there. Lets a tool refuse to overwrite, say, a model file given as `-o` by mistake.
    public static func existingFileIsPNG(_ path: String) -> Bool? {
        var st = stat()
        guard stat(path, &st) == 0 else { return errno == ENOENT ? nil : false }
        // Opening a FIFO would block until a writer comes: only regular files are read.
        guard (st.st_mode & S_IFMT) == S_IFREG else { return false }
        guard let f = fopen(path, "rb") else { return errno == ENOENT ? nil : false }
        defer { fclose(f) }
        var sig = [UInt8](repeating: 0, count: 8)
        let n = sig.withUnsafeMutableBytes { fread($0.baseAddress, 1, 8, f) }
        return n == 8 && sig == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    }

    /// A decoded PNG as 8-bit RGBA.
    public struct Decoded: Sendable {
        public var width: Int
        public var height: Int
        public var rgba: [UInt8]
        /// Pixel (x, y) as four bytes.
        public func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8, UInt8) {
            let i = (y * width + x) * 4
            return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3])
        }
    }

    /// Reads any PNG libpng understands, converted to 8-bit RGBA. Refuses images over
    /// `Canvas.maxArea` pixels before allocating.
    public static func read(path: String) throws -> Decoded {
        var image = png_image()
        image.version = png_uint_32(CPNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw PlotError.pngDecodeFailed(path: path, message: message(of: &image))
        }
        let w = Int(image.width), h = Int(image.height)
        guard w >= 1, h >= 1, w <= Canvas.maxSide, h <= Canvas.maxSide, w * h <= Canvas.maxArea else {
            png_image_free(&image)
            throw PlotError.pngDecodeFailed(path: path, message: "image \(w)×\(h) is too large")
        }
        image.format = png_uint_32(CPNG_FORMAT_RGBA)
        var buf = [UInt8](repeating: 0, count: w * h * 4)
        let ok = buf.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, png_int_32(w * 4), nil)
        }
        guard ok != 0 else {
            let m = message(of: &image)
            png_image_free(&image)
            throw PlotError.pngDecodeFailed(path: path, message: m)
        }
        return Decoded(width: w, height: h, rgba: buf)
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix(while: { $0 != 0 })
            let s = String(decoding: bytes, as: UTF8.self)
            return s.isEmpty ? "unknown libpng error" : s
        }
    }
}
