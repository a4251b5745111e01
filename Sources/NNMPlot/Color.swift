/// A colour with straight (not premultiplied) alpha, components in 0...1.
///
/// Straight alpha keeps colour arithmetic (colormap interpolation, mixing toward white) simple;
/// the canvas converts to 8-bit only when a pixel is written.
public struct RGBA: Sendable, Hashable, CustomStringConvertible {
    public var r: Float
    public var g: Float
    public var b: Float
    public var a: Float

    public init(_ r: Float, _ g: Float, _ b: Float, _ a: Float = 1) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// A colour from `0xRRGGBB`, e.g. `RGBA(hex: 0x1f77b4)`.
    public init(hex: UInt32, alpha: Float = 1) {
        self.init(Float((hex >> 16) & 0xff) / 255, Float((hex >> 8) & 0xff) / 255,
                  Float(hex & 0xff) / 255, alpha)
    }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: Float) -> RGBA { RGBA(r, g, b, alpha) }

    /// Linear interpolation between two colours (`t` = 0 gives `self`).
    public func mixed(with other: RGBA, _ t: Float) -> RGBA {
        RGBA(r + (other.r - r) * t, g + (other.g - g) * t, b + (other.b - b) * t, a + (other.a - a) * t)
    }

    /// 8-bit components, rounded.
    public var bytes: (UInt8, UInt8, UInt8, UInt8) {
        (RGBA.byte(r), RGBA.byte(g), RGBA.byte(b), RGBA.byte(a))
    }

    @inline(__always) static func byte(_ v: Float) -> UInt8 {
        UInt8(max(0, min(255, (v * 255).rounded())))
    }

    public var description: String {
        let (r, g, b, a) = bytes
        return "RGBA(\(r), \(g), \(b), \(a))"
    }

    public static let white = RGBA(1, 1, 1)
    public static let black = RGBA(0, 0, 0)
    public static let clear = RGBA(0, 0, 0, 0)
    /// matplotlib's default grid colour.
    public static let gridGray = RGBA(hex: 0xb0b0b0)
    /// Legend and text-box border colour (matplotlib's legend edge).
    public static let frameGray = RGBA(hex: 0xcccccc)

    /// matplotlib's `tab10` cycle: C0 blue, C1 orange, C2 green, C3 red, ...
    public static let tab10: [RGBA] = [
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
        0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    ].map { RGBA(hex: $0) }

    /// The i-th colour of the tab10 cycle (wraps around).
    public static func cycle(_ i: Int) -> RGBA { tab10[((i % 10) + 10) % 10] }
}
