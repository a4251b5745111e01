import CNNMKernels

// The one spelling of each elementary function NNM uses where bits are stored or regenerated:
// NNM's own (CNNMKernels/math.c, spec/math.md), never the C library's, so that a recipe
// regenerates the same points and a seed trains the same weights on every machine, whatever its
// libm. binary64 `log`, `cos`, `sin` for the generators and the normal draws (spec/random.md,
// spec/datasets.md), `cos` for the learning-rate schedule, `exp` and `log` for the
// cross-entropy loss, whole powers for Adam's bias correction (spec/training.md); binary32
// `tanh` for the layer. The logistic function, binary cross-entropy and softmax use the
// kernels' binary32 exp⁻ (spec/training.md §4a).

@inline(__always) func doubleLog(_ x: Double) -> Double { nnm_log(x) }
@inline(__always) func doubleExp(_ x: Double) -> Double { nnm_exp(x) }
@inline(__always) func doubleCos(_ x: Double) -> Double { nnm_cos(x) }
@inline(__always) func doubleSin(_ x: Double) -> Double { nnm_sin(x) }
@inline(__always) func floatTanh(_ x: Float) -> Float { nnm_tanhf(x) }

/// `base^exponent` for a whole `exponent ≥ 0` (`base^0 = 1`; a negative exponent counts as 0).
@inline(__always) func doublePower(_ base: Double, _ exponent: Int) -> Double {
    nnm_pow_whole(base, UInt64(max(exponent, 0)))
}
