/// A colormap: a continuous map from 0...1 to colours, interpolated linearly between anchor
/// colours and cached in a 257-entry table (matplotlib uses 256; an odd count puts 0.5 exactly
/// on an entry, so a diverging map's midpoint is its neutral colour).
public struct Colormap: Sendable {
    public let name: String
    let lut: [RGBA]

    /// Evenly spaced anchors from the low end to the high end.
    public init(name: String, anchors: [RGBA]) {
        self.name = name
        let anchors = anchors.isEmpty ? [RGBA.black, RGBA.white] : anchors
        var lut: [RGBA] = []
        lut.reserveCapacity(Colormap.entries)
        for i in 0..<Colormap.entries {
            let t = Float(i) / Float(Colormap.entries - 1) * Float(anchors.count - 1)
            let k = min(anchors.count - 2, Int(t))
            if anchors.count == 1 { lut.append(anchors[0]); continue }
            lut.append(anchors[k].mixed(with: anchors[k + 1], t - Float(k)))
        }
        self.lut = lut
    }

    /// The colour at `t` (clamped to 0...1; NaN gives the low end's grey neighbour, never a crash).
    @inline(__always)
    public func color(at t: Float) -> RGBA {
        guard t.isFinite else { return RGBA(0.5, 0.5, 0.5) }
        let i = Int((max(0, min(1, t)) * Float(Colormap.entries - 1)).rounded())
        return lut[i]
    }

    static let entries = 257

    /// The colour for `v` on the range `lo...hi`.
    public func color(for v: Float, lo: Float, hi: Float) -> RGBA {
        color(at: hi > lo ? (v - lo) / (hi - lo) : 0.5)
    }

    /// The same map running the other way.
    public var reversed: Colormap { Colormap(name: name + "_r", anchors: lut.reversed()) }

    /// Perceptually uniform sequential map, dark purple → blue → green → yellow. Anchors are
    /// viridis sampled at 11 even steps.
    public static let viridis = Colormap(name: "viridis", anchors: [
        0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c,
        0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725,
    ].map { RGBA(hex: $0) })

    /// Diverging map for signed values: blue (negative) → near-white (zero) → red (positive).
    /// ColorBrewer's 11-class RdBu, reversed so that positive is warm (matplotlib `RdBu_r`).
    /// The middle anchor `#f7f7f7` is the neutral colour at 0.5.
    public static let diverging = Colormap(name: "RdBu_r", anchors: [
        0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
        0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
    ].map { RGBA(hex: $0) })

    /// A lighter diverging map for probability fields: RdBu's inner 9 classes (without the
    /// near-black ends), so saturated class-coloured points stay visible on any side.
    public static let probability = Colormap(name: "RdBu_r_inner", anchors: [
        0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b,
    ].map { RGBA(hex: $0) })

    /// This map painted over white at `opacity`: what a semi-transparent field looks like, so
    /// the colour bar can show exactly the colours of the field.
    public func washed(_ opacity: Float) -> Colormap {
        let o = max(0, min(1, opacity))
        return Colormap(name: name + "_washed", anchors: lut.map { RGBA.white.mixed(with: $0.withAlpha(1), o) })
    }

    /// The neutral colour of `diverging`.
    public static let neutral = RGBA(hex: 0xf7f7f7)

    /// Greys, black → white (sklearn's MNIST-filter pictures).
    public static let gray = Colormap(name: "gray", anchors: [.black, .white])
}

/// The value range a colormap spans.
public struct ColorRange: Sendable, Hashable {
    public var lo: Float
    public var hi: Float
    public init(lo: Float, hi: Float) { self.lo = lo; self.hi = hi }

    /// `-m...m` with m = max |v| (ignoring non-finite values): zero lands on the neutral colour.
    public static func symmetric<S: Sequence>(_ values: S) -> ColorRange where S.Element == Float {
        var m: Float = 0
        for v in values where v.isFinite { m = max(m, abs(v)) }
        if m == 0 { m = 1 }
        return ColorRange(lo: -m, hi: m)
    }

    /// Position of `v` in 0...1.
    @inline(__always) public func normalized(_ v: Float) -> Float { hi > lo ? (v - lo) / (hi - lo) : 0.5 }
}
