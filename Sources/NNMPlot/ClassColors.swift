extension RGBA {
    /// matplotlib's `tab20`'s light partners of the tab10 colours, in the same order.
    public static let tab10Light: [RGBA] = [
        0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5,
        0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5,
    ].map { RGBA(hex: $0) }

    /// The colour of class `k` of `count` classes, every class its own: tab10 up to 10 classes,
    /// then tab10's light partners up to 20 (matplotlib's tab20), then hues spaced by the
    /// golden angle at two lightnesses — never the repeat that made class 10 look like class 0.
    public static func classColor(_ k: Int, of count: Int) -> RGBA {
        let k = max(0, k)
        if k < 10 { return tab10[k] }
        if count <= 20, k < 20 { return tab10Light[k - 10] }
        let hue = (Double(k) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
        return RGBA.hsl(hue: hue, saturation: 0.65, lightness: k % 2 == 0 ? 0.45 : 0.62)
    }

    /// A colour from hue (0..<1), saturation and lightness.
    static func hsl(hue h: Double, saturation s: Double, lightness l: Double) -> RGBA {
        let c = (1 - abs(2 * l - 1)) * s
        let x = c * (1 - abs((h * 6).truncatingRemainder(dividingBy: 2) - 1))
        let m = l - c / 2
        let (r, g, b): (Double, Double, Double)
        switch Int(h * 6) % 6 {
        case 0: (r, g, b) = (c, x, 0)
        case 1: (r, g, b) = (x, c, 0)
        case 2: (r, g, b) = (0, c, x)
        case 3: (r, g, b) = (0, x, c)
        case 4: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        return RGBA(Float(r + m), Float(g + m), Float(b + m))
    }
}
