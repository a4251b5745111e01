/// The smallest sizes (pixels at scale 1) at which each picture is still readable: below them
/// the title, the tick labels and the legend would be cut or dropped, so the size is refused with
/// `RenderError.sizeTooSmall` rather than drawn badly. Measured with DejaVu Sans at 10 pt: a loss
/// picture needs two panels' axes and titles; a boundary needs its legend row and colour bar.
/// A weights picture takes its height from its layers (the asked height only pads), so only its
/// width can be too small: below 720 each layer's statistics line and colour bar are cut.
public enum MinimumSize {
    public static let loss = (width: 520, height: 260)
    public static let boundary = (width: 320, height: 240)
    public static let weights = (width: 720, height: 64)
    public static let roc = (width: 560, height: 300)
    public static let residuals = (width: 560, height: 300)
    public static let compare = (width: 560, height: 360)
    /// Small multiples: at least two columns of panels whose captions and ticks stay legible.
    public static let evolution = (width: 480, height: 240)
    /// One row per layer; each panel needs its ticks and caption.
    public static let weightsOverTime = (width: 480, height: 240)

    /// Throws `sizeTooSmall` when `width`×`height` (height nil: not given) is below `minimum`.
    static func check(_ picture: String, width: Int, height: Int?, minimum: (width: Int, height: Int)) throws {
        if width < minimum.width || (height ?? minimum.height) < minimum.height {
            throw RenderError.sizeTooSmall(picture: picture, width: width, height: height ?? 0,
                                           minimumWidth: minimum.width, minimumHeight: minimum.height)
        }
    }
}
