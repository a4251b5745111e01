/// Sizes and fonts shared by every chart, in matplotlib's units: lengths are given in points
/// and turned into pixels with `dpi` (100 dpi at `scale` 1, like matplotlib's default figure).
public struct Theme {
    /// Pixel density multiplier: 2 gives a crisp picture for high-DPI screens, at twice the size.
    public var scale: Float
    public var text: TextRenderer

    public var tickFontPt: Float = 10
    public var labelFontPt: Float = 10
    public var titleFontPt: Float = 12
    public var legendFontPt: Float = 10
    public var spineWidthPt: Float = 0.8
    public var tickLengthPt: Float = 3.5
    public var tickWidthPt: Float = 0.8
    public var tickPadPt: Float = 3.5
    public var labelPadPt: Float = 4
    public var titlePadPt: Float = 6
    public var lineWidthPt: Float = 1.5
    public var gridWidthPt: Float = 0.8
    /// matplotlib's `#b0b0b0`, lighter still (alpha 0.5) so the grid stays in the background.
    public var gridColor: RGBA = RGBA(hex: 0xb0b0b0, alpha: 0.5)
    public var textColor: RGBA = .black
    public var background: RGBA = .white

    public init(scale: Float = 1, text: TextRenderer) {
        self.scale = max(0.25, min(8, scale.isFinite ? scale : 1))
        self.text = text
    }

    /// Dots per inch: 100 × scale.
    public var dpi: Float { 100 * scale }
    /// Points → pixels.
    public func px(_ pt: Float) -> Float { pt * dpi / 72 }

    var tickFont: Float { px(tickFontPt) }
    var labelFont: Float { px(labelFontPt) }
    var titleFont: Float { px(titleFontPt) }
}
