import CFreeType

/// A TrueType face loaded through FreeType, with a glyph cache.
///
/// A class only so that `deinit` can release the FreeType library and face; it is not shared
/// across threads (each picture loads its own).
public final class FontFace {
    private var library: FT_Library?
    private var face: FT_Face?
    /// The font file's bytes: FreeType reads the face from them for as long as it lives, so
    /// they sit at one address, owned here, until `deinit`.
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private var cache: [GlyphKey: Glyph] = [:]
    private var currentSize: Float = -1

    struct GlyphKey: Hashable { var scalar: UInt32; var size: Int32 }

    /// One rendered glyph: an 8-bit coverage bitmap and its placement relative to the pen.
    struct Glyph {
        var width: Int
        var rows: Int
        var left: Int
        var top: Int
        var advance: Float
        var coverage: [UInt8]
    }

    /// A face from the bytes of a TrueType/OpenType file; nil when FreeType cannot parse
    /// them. The caller reads the file: NNMPlot touches no file.
    public init?(bytes source: [UInt8]) {
        guard !source.isEmpty, source.count <= Int(Int32.max) else { return nil }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: source.count)
        _ = copy.initialize(from: source)
        var lib: FT_Library?
        var f: FT_Face?
        guard FT_Init_FreeType(&lib) == 0, let lib else {
            copy.deallocate()
            return nil
        }
        guard FT_New_Memory_Face(lib, copy.baseAddress, FT_Long(copy.count), 0, &f) == 0, let f else {
            FT_Done_FreeType(lib)
            copy.deallocate()
            return nil
        }
        bytes = copy
        library = lib
        face = f
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
        bytes.deallocate()
    }

    private func setSize(_ px: Float) -> Bool {
        guard let face else { return false }
        if px == currentSize { return true }
        guard FT_Set_Char_Size(face, 0, FT_F26Dot6((px * 64).rounded()), 72, 72) == 0 else { return false }
        currentSize = px
        return true
    }

    /// Ascent and descent (both positive) in pixels at `px`.
    func lineMetrics(_ px: Float) -> (ascent: Float, descent: Float) {
        guard setSize(px), let face, let size = face.pointee.size else { return (px * 0.76, px * 0.24) }
        let m = size.pointee.metrics
        return (Float(m.ascender) / 64, Float(-m.descender) / 64)
    }

    /// Horizontal kerning between two characters at `px` (from the font's `kern` table, as
    /// matplotlib applies it); 0 when the face has none.
    func kerning(_ a: Unicode.Scalar, _ b: Unicode.Scalar, _ px: Float) -> Float {
        guard let face, face.pointee.face_flags & (1 << 6) != 0, setSize(px) else { return 0 }
        let ia = FT_Get_Char_Index(face, FT_ULong(a.value)), ib = FT_Get_Char_Index(face, FT_ULong(b.value))
        guard ia != 0, ib != 0 else { return 0 }
        var v = FT_Vector()
        // FT_KERNING_DEFAULT = 0: grid-fitted distances in 26.6 pixels.
        guard FT_Get_Kerning(face, ia, ib, 0, &v) == 0 else { return 0 }
        return Float(v.x) / 64
    }

    func glyph(_ scalar: Unicode.Scalar, _ px: Float) -> Glyph? {
        let key = GlyphKey(scalar: scalar.value, size: Int32((px * 64).rounded()))
        if let g = cache[key] { return g }
        guard setSize(px), let face else { return nil }
        // FT_LOAD_RENDER (1 << 2) | FT_LOAD_TARGET_LIGHT (FT_RENDER_MODE_LIGHT = 1, << 16):
        // light hinting keeps DejaVu's shapes and snaps only vertically, as matplotlib does.
        let flags = FT_Int32((1 << 2) | (1 << 16))
        guard FT_Load_Char(face, FT_ULong(scalar.value), flags) == 0, let slot = face.pointee.glyph else { return nil }
        let bm = slot.pointee.bitmap
        let rows = Int(bm.rows), width = Int(bm.width), pitch = Int(bm.pitch)
        var cov = [UInt8](repeating: 0, count: rows * width)
        if rows > 0, width > 0, let buf = bm.buffer, bm.pixel_mode == UInt8(FT_PIXEL_MODE_GRAY.rawValue) {
            for r in 0..<rows {
                let src = pitch >= 0 ? r * pitch : (rows - 1 - r) * -pitch
                for c in 0..<width { cov[r * width + c] = buf[src + c] }
            }
        }
        let g = Glyph(width: width, rows: rows, left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top),
                      advance: Float(slot.pointee.advance.x) / 64, coverage: cov)
        cache[key] = g
        return g
    }
}
