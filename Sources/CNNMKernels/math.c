/* NNM's own elementary functions (nnm_math.h), step for step as spec/math.md writes them.
 *
 * Only IEEE binary64 +, −, ×, ÷ with round-to-nearest-even, comparisons and exact operations on
 * bit patterns: no fused multiply-add (contraction is off below, and Dekker's product needs no
 * fma), no C library call, no long double. The same source gives the same bits on x86-64 and
 * aarch64 (.ci/check-arm64 runs it under qemu) and in the Python reference
 * (spec/reference/nnm_math.py). Double-double ("dd") values are unevaluated sums hi + lo with
 * |lo| ≤ ulp(hi)/2. */

#include "nnm_math.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)
#pragma STDC FP_CONTRACT OFF

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "NNM's math needs binary64 arithmetic without excess precision (FLT_EVAL_METHOD 0)"
#endif

static double from_bits(uint64_t bits) { double x; memcpy(&x, &bits, 8); return x; }
static uint64_t to_bits(double x) { uint64_t bits; memcpy(&bits, &x, 8); return bits; }

/* ---- Double-double arithmetic (Dekker, Knuth; each step exact or one rounding), cos, sin, log
 * and exp, for one binary64 (dd_template.h) ---- */

#define NNM_DD_T double
#define NNM_DD_I int64_t
#define NNM_DD dd
#define NNM_DD_FN(name) name
#define NNM_DD_ATTR
#define NNM_DD_SPLAT(x) (x)
#define NNM_DD_BITS(x) ((int64_t)to_bits(x))
#define NNM_DD_FROM_BITS(i) from_bits((uint64_t)(i))
#define NNM_DD_MASK(c) (-(int64_t)(c))
#define NNM_DD_SELECT(m, a, b) ((m) ? (a) : (b))
#include "dd_template.h"

/* ---- cos, sin, log, exp: spec/math.md §3–5, in dd_template.h (one text for these and the
 * kernels' vector copies) ---- */

double nnm_sin(double x) { return sin_or_cos_of(x, 0); }
double nnm_cos(double x) { return sin_or_cos_of(x, 1); }
double nnm_log(double x) { return log_of(x); }
double nnm_exp(double x) { return exp_of(x); }

/* ---- whole powers ---- */

double nnm_pow_whole(double base, uint64_t n) {
    dd result = { 1.0, 0 }, square = { base, 0 };
    while (n != 0) {
        if (n & 1) { result = dd_mul(result, square); }
        n >>= 1;
        if (n == 0) { break; }
        square = dd_mul(square, square);
        /* 0 or ∞ stays so from here on (and Dekker's product of ∞ would give NaN). */
        if (square.hi == 0 || square.hi - square.hi != 0) { return result.hi * square.hi; }
    }
    return result.hi;
}

/* ---- tanh (binary32) ---- */

/* 2^n for −1022 ≤ n ≤ 1023, built from its bit pattern. */
static double power_of_two(int n) {
    return from_bits((uint64_t)(n + 1023) << 52);
}

/* (r^n)/(n+1)!, n = 0…13: e^r − 1 = r·(1 + r/2 + r²/6 + …), binary64. */
static const double expm1_coefficients[14] = {
    0x1p+0, 0x1p-1, 0x1.5555555555555p-3, 0x1.5555555555555p-5, 0x1.1111111111111p-7,
    0x1.6c16c16c16c17p-10, 0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-16, 0x1.71de3a556c734p-19,
    0x1.27e4fb7789f5cp-22, 0x1.ae64567f544e4p-26, 0x1.1eed8eff8d898p-29, 0x1.6124613a86d09p-33,
    0x1.93974a8c07c9dp-37,
};

/* e^y − 1 for 0 ≤ y ≤ 18.25: y = k·ln 2 + r with ln 2 = 0x1.62e42feep-1 (32 bits, so k·that is
 * exact) + 0x1.a39ef35793c76p-33; e^y − 1 = 2^k·(e^r − 1) + (2^k − 1). */
static double expm1_small(double y) {
    double k = round_whole(y * 0x1.71547652b82fep+0);
    double r = (y - k * 0x1.62e42feep-1) - k * 0x1.a39ef35793c76p-33;
    double p = expm1_coefficients[13];
    for (int i = 12; i >= 0; i--) { p = p * r + expm1_coefficients[i]; }
    double scale = power_of_two((int)k);
    return scale * (r * p) + (scale - 1.0);
}

float nnm_tanhf(float x) {
    if (x != x || x == 0) { return x; }                                 /* NaN, ±0 */
    double a = x < 0 ? -(double)x : (double)x;
    if (a >= 9.125) { return x < 0 ? -1.0f : 1.0f; }
    double m = expm1_small(2.0 * a);
    double t = m / (m + 2.0);
    return (float)(x < 0 ? -t : t);
}
