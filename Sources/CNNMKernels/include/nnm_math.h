#ifndef NNM_MATH_H
#define NNM_MATH_H

/// NNM's own elementary functions, for every computation whose bits are stored or regenerated:
/// the data generators and the normal draws (cos, sin, log), the learning-rate schedule (cos),
/// the cross-entropy loss (exp, log), Adam's bias correction (integer power) and the tanh layer.
///
/// Each is a fixed sequence of IEEE 754 binary64 additions, subtractions, multiplications and
/// divisions (no fused multiply-add, no contraction, no C library call), written once (cos, sin,
/// log, exp in `dd_template.h`, which `math.c` and the vector kernels instantiate; the others in
/// `math.c`) and specified step by step in `spec/math.md`, so that every machine and every
/// language that follows the steps gets the same bits. The binary64 functions carry about 100
/// correct bits internally (double-double arithmetic) before the one final rounding, so they
/// are correctly rounded except where the exact value lies within ~2^-100 (relative) of a
/// rounding boundary: they agree with any correctly rounded libm, and with glibc wherever
/// glibc is correctly rounded. Measured figures are in `spec/math.md`.

#ifdef __cplusplus
extern "C" {
#endif

#include <stdint.h>

/// cos x and sin x for |x| ≤ 2^30 (NNM calls them with |x| < 20); NaN for larger |x|, ±∞, NaN.
double nnm_cos(double x);
double nnm_sin(double x);

/// Natural logarithm: −∞ at ±0, NaN below 0 and for NaN, +∞ at +∞.
double nnm_log(double x);

/// e^x: +∞ above 709.78…, +0 below −745.13…; NaN stays NaN. Results below 2^−1022 (subnormal)
/// may be 1 unit of the subnormal grid off (two scalings by powers of two, see spec/math.md).
double nnm_exp(double x);

/// base^n for a whole n ≥ 0 (1 when n = 0), by binary powering in double-double arithmetic:
/// Adam's bias correction 1 − β^t. Accurate as the others for 0 ≤ base ≤ 1 (|base| > 1 until
/// the square overflows, then ±∞; results near the subnormal range lose accuracy).
double nnm_pow_whole(double base, uint64_t n);

/// tanh x in binary32, computed in binary64 from NNM's own e^y − 1 and rounded once; ±1 for
/// |x| ≥ 9.125 (tanh 9.125 rounds to 1); NaN stays NaN. Correctly rounded on every binary32
/// input (checked exhaustively, spec/math.md §8).
float nnm_tanhf(float x);

#ifdef __cplusplus
}
#endif

#endif
