/// The one way NNM's tools write a loss and an accuracy for people: nnm-train's progress line
/// and summary, nnm-inspect's training summary, the confusion matrix and picture titles.
/// (Here because NNMFormat is the lowest module all of them see.) Files and JSON keep the
/// full numbers; this is display only.
///
/// - A loss has 4 significant digits, trailing zeros kept so that lines of figures keep their
///   width: `0.1523`, `0.03855`, `0.003855`, `1.234`, `12.35`. Below 0.001 it is scientific
///   with the same 4 digits (`1.234e-05`; Keras writes `1.2345e-05`), so a small loss is never
///   `0.0000`; from 10,000 up too (`1.234e+04`). Zero is `0.000`.
/// - An accuracy (or any fraction of samples, such as a class's recall) is a percentage with
///   two decimals and a space: `99.05 %`, `100.00 %` (0.01 % resolves 10,000 test samples).
/// - An R² has four decimals (`0.9312`); an error in the target's units (MSE, RMSE, MAE) is
///   written like a loss.
/// - Not a number: `nan`, `inf`, `-inf` for a loss (a diverged value shows what it is); `–`
///   for an accuracy (nothing measured).
public enum MetricText {
    public static func loss(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value != 0, value.magnitude < 1e-3 { return PrintfText.string("%.3e", value) }
        let text = PrintfText.string("%#.4g", value)
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    public static func accuracy(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "–" }
        return PrintfText.string("%.2f %%", fraction * 100)
    }

    /// A coefficient of determination (R²): four decimals, `0.9312`, `-0.0410` (it can be
    /// negative); `–` when not measured.
    public static func r2(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return PrintfText.string("%.4f", value)
    }
}
