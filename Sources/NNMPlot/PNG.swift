import CPNG

/// PNG encoding and decoding, in memory, through libpng's *simplified* API. NNMPlot touches no
/// file: writing the bytes is the caller's (NNMRender's `PictureFile`, through NNMFiles' atomic
/// writer).
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

    /// The 8 bytes every PNG file begins with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

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

    /// Decodes any PNG libpng understands, converted to 8-bit RGBA. Refuses images over
    /// `Canvas.maxArea` pixels before allocating.
    public static func decode(_ bytes: [UInt8]) throws -> Decoded {
        // libpng reads from the bytes until the image is finished: one scope for both calls.
        try bytes.withUnsafeBytes { try decode($0) }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Decoded {
        var image = png_image()
        image.version = png_uint_32(CPNG_IMAGE_VERSION)
        let begun = png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count)
        guard begun != 0 else { throw PlotError.pngDecodeFailed(message: message(of: &image)) }
        let w = Int(image.width), h = Int(image.height)
        guard w >= 1, h >= 1, w <= Canvas.maxSide, h <= Canvas.maxSide, w * h <= Canvas.maxArea else {
            png_image_free(&image)
            throw PlotError.pngDecodeFailed(message: "image \(w)×\(h) is too large")
        }
        image.format = png_uint_32(CPNG_FORMAT_RGBA)
        var buf = [UInt8](repeating: 0, count: w * h * 4)
        let ok = buf.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, png_int_32(w * 4), nil)
        }
        guard ok != 0 else {
            let m = message(of: &image)
            png_image_free(&image)
            throw PlotError.pngDecodeFailed(message: m)
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
