/// A line of text rasterised to a coverage bitmap, ready to blend in any colour or orientation.
public struct TextBitmap: Sendable {
    public var width: Int
    public var height: Int
    /// Distance from the top row to the baseline, pixels.
    public var baseline: Int
    public var coverage: [UInt8]
}

/// Horizontal anchor of a text box.
public enum HAlign: Sendable {
    case left, center, right

    /// The left edge of a box `width` wide anchored at `x` this way.
    func left(anchoredAt x: Float, width: Float) -> Float {
        switch self {
        case .left: return x
        case .center: return x - width / 2
        case .right: return x - width
        }
    }
}
/// Vertical anchor of a text box (`baseline` is the font baseline).
public enum VAlign: Sendable { case top, center, baseline, bottom }

/// Draws and measures text. Without a font it draws nothing but still measures (with an
/// average glyph width), so layouts stay the same shape and the picture is never lost.
public struct TextRenderer {
    /// nil when no font could be loaded.
    public let face: FontFace?

    public init(face: FontFace?) { self.face = face }

    /// Advance width of `text` at pixel size `px`.
    public func measure(_ text: String, size px: Float) -> Float {
        guard let face else { return Float(text.unicodeScalars.count) * px * 0.6 }
        var w: Float = 0
        var prev: Unicode.Scalar? = nil
        for s in text.unicodeScalars {
            if let p = prev { w += face.kerning(p, s, px) }
            w += face.glyph(s, px)?.advance ?? px * 0.6
            prev = s
        }
        return w
    }

    /// Ascent and descent of the font at `px` (positive numbers).
    public func metrics(size px: Float) -> (ascent: Float, descent: Float) {
        face?.lineMetrics(px) ?? (px * 0.76, px * 0.24)
    }

    /// Height of a line box (ascent + descent).
    public func lineHeight(size px: Float) -> Float {
        let m = metrics(size: px)
        return m.ascent + m.descent
    }

    /// Rasterises one line. Pen positions are kept in fractions and rounded per glyph.
    public func rasterize(_ text: String, size px: Float) -> TextBitmap? {
        guard let face, !text.isEmpty, px > 0, px < 2000 else { return nil }
        let m = face.lineMetrics(px)
        let ascent = Int(m.ascent.rounded(.up)), descent = Int(m.descent.rounded(.up))
        let width = Int(measure(text, size: px).rounded(.up)) + 2
        let height = ascent + descent
        guard width > 0, height > 0, width * height < 50_000_000 else { return nil }
        var cov = [UInt8](repeating: 0, count: width * height)
        var pen: Float = 0
        var prev: Unicode.Scalar? = nil
        for s in text.unicodeScalars {
            if let p = prev { pen += face.kerning(p, s, px) }
            prev = s
            guard let g = face.glyph(s, px) else { pen += px * 0.6; continue }
            let ox = Int(pen.rounded()) + g.left
            let oy = ascent - g.top
            for r in 0..<g.rows {
                let y = oy + r
                if y < 0 || y >= height { continue }
                for c in 0..<g.width {
                    let x = ox + c
                    if x < 0 || x >= width { continue }
                    let v = g.coverage[r * g.width + c]
                    let i = y * width + x
                    cov[i] = UInt8(min(255, Int(cov[i]) + Int(v)))
                }
            }
            pen += g.advance
        }
        return TextBitmap(width: width, height: height, baseline: ascent, coverage: cov)
    }
}

extension Canvas {
    /// Draws `text` anchored at `p`. With `vertical`, the text runs bottom-to-top (rotated 90°
    /// counter-clockwise, as a y-axis label), and the anchors refer to the rotated box:
    /// `h` along the screen's x, `v` along the screen's y.
    public mutating func drawText(_ text: String, at p: Point, size px: Float, color: RGBA = .black,
                                  h: HAlign = .left, v: VAlign = .baseline, vertical: Bool = false,
                                  using renderer: TextRenderer) {
        guard let bm = renderer.rasterize(text, size: px) else { return }
        let measured = renderer.measure(text, size: px)
        if !vertical {
            let x0 = h.left(anchoredAt: p.x, width: measured)
            let y0: Float
            switch v {
            case .top: y0 = p.y
            case .center: y0 = p.y - Float(bm.height) / 2
            case .baseline: y0 = p.y - Float(bm.baseline)
            case .bottom: y0 = p.y - Float(bm.height)
            }
            blit(bm, x: Int(x0.rounded()), y: Int(y0.rounded()), color: color, rotated: false)
        } else {
            // Rotated box: width = bm.height, height = bm.width (only the measured part counts).
            let bw = Float(bm.height), bh = measured
            let x0 = h.left(anchoredAt: p.x, width: bw)
            let y0: Float
            switch v {
            case .top: y0 = p.y
            case .center, .baseline: y0 = p.y - bh / 2
            case .bottom: y0 = p.y - bh
            }
            // The measured text ends at bitmap column `measured`; after rotation that column is
            // the top of the box.
            let extra = Float(bm.width) - measured
            blit(bm, x: Int(x0.rounded()), y: Int((y0 - extra).rounded()), color: color, rotated: true)
        }
    }

    /// Blends a text bitmap with its top-left at (x, y); rotated bitmaps are turned 90° CCW.
    mutating func blit(_ bm: TextBitmap, x: Int, y: Int, color: RGBA, rotated: Bool) {
        let outW = rotated ? bm.height : bm.width, outH = rotated ? bm.width : bm.height
        let box = PixelBox(x0: x, y0: y, x1: x + outW, y1: y + outH).intersection(drawable)
        if box.isEmpty { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for yy in box.y0..<box.y1 {
                for xx in box.x0..<box.x1 {
                    let u = xx - x, v = yy - y
                    // CCW rotation: output (u, v) comes from source column (bm.width-1-v), row u.
                    let c = rotated ? bm.coverage[u * bm.width + (bm.width - 1 - v)]
                                    : bm.coverage[v * bm.width + u]
                    if c > 0 { Canvas.blend(p, (yy * w + xx) * 4, color, Float(c) / 255) }
                }
            }
        }
    }
}
