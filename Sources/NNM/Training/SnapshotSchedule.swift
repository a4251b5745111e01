/// Which epochs of a run `nnm-train --snapshots N` records (spec/training.md §7a): `N` epochs
/// of `1 … E` spaced evenly on a logarithmic axis, so that the first epochs, where the
/// boundary moves most, get as many pictures as the long tail.
///
/// Deterministic everywhere: the ideal positions use NNM's own `exp` and `log`
/// (spec/math.md), never the C library's, and every other step is integer arithmetic.
public enum SnapshotSchedule {
    /// The epochs, strictly increasing. With `count` ≥ `epochs` every epoch; with `count` 1
    /// only the last; otherwise epoch 1, epoch `epochs`, and in between for i = 1 … count − 2
    /// `e_i = min(max(round(exp(log(E) · i / (count − 1))), e_{i−1} + 1), E − (count − 1 − i))`
    /// (round half to even): the nearest whole epoch to the log-spaced position, moved up past
    /// the previous pick when early positions fall on the same epoch, and never so far that
    /// the remaining picks would not fit before E.
    public static func epochs(count: Int, over epochs: Int) -> [Int] {
        guard count > 0, epochs > 0 else { return [] }
        if count >= epochs { return Array(1...epochs) }
        if count == 1 { return [epochs] }
        let logE = doubleLog(Double(epochs))
        var chosen = [1]
        for i in 1 ..< count - 1 {
            let ideal = doubleExp(logE * Double(i) / Double(count - 1))
            let nearest = Int(ideal.rounded(.toNearestOrEven))
            chosen.append(min(max(nearest, chosen[i - 1] + 1), epochs - (count - 1 - i)))
        }
        chosen.append(epochs)
        return chosen
    }
}
