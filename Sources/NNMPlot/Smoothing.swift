#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Series smoothing as TensorBoard's scalar dashboard does it.
public enum Smoothing {
    /// TensorBoard's debiased exponential moving average: `last = last·w + (1−w)·y` from
    /// `last = 0`, shown as `last / (1 − w^k)` where k counts the finite values so far. The
    /// de-biasing stops the curve starting near zero. Non-finite values pass through unchanged
    /// (a gap stays a gap); a constant series is returned as is; `w` is clamped to 0...1.
    public static func debiasedEMA(_ ys: [Double], weight: Double) -> [Double] {
        let w = weight.isFinite ? max(0, min(1, weight)) : 0
        let finite = ys.filter(\.isFinite)
        if let f = finite.first, finite.allSatisfy({ $0 == f }) { return ys }
        var last = 0.0, k = 0.0
        return ys.map { y in
            guard y.isFinite else { return y }
            last = last * w + (1 - w) * y
            k += 1
            let debias = w == 1 ? 1 : 1 - pow(w, k)
            return last / debias
        }
    }
}
