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

/* ---- Double-double arithmetic (Dekker, Knuth; each step exact or one rounding) and exp ---- */

#define NNM_DD_T double
#define NNM_DD_I int64_t
#define NNM_DD dd
#define NNM_DD_FN(name) name
#define NNM_DD_ATTR
#define NNM_DD_SPLAT(x) (x)
#define NNM_DD_BITS(x) ((int64_t)to_bits(x))
#define NNM_DD_FROM_BITS(i) from_bits((uint64_t)(i))
#define NNM_DD_SELECT(m, a, b) ((m) ? (a) : (b))
#include "dd_template.h"

/* ---- cos, sin ---- */

/* (−1)^n/(2n+1)! and (−1)^n/(2n)!, n = 0…14, as dd (hi, lo). */
static const double sin_coefficients[15][2] = {
    { 0x1p+0, 0 },
    { -0x1.5555555555555p-3, -0x1.5555555555555p-57 },
    { 0x1.1111111111111p-7, 0x1.1111111111111p-63 },
    { -0x1.a01a01a01a01ap-13, -0x1.a01a01a01a01ap-73 },
    { 0x1.71de3a556c734p-19, -0x1.c154f8ddc6c00p-73 },
    { -0x1.ae64567f544e4p-26, 0x1.c062e06d1f209p-80 },
    { 0x1.6124613a86d09p-33, 0x1.f28e0cc748ebep-87 },
    { -0x1.ae7f3e733b81fp-41, -0x1.1d8656b0ee8cbp-97 },
    { 0x1.952c77030ad4ap-49, 0x1.ac981465ddc6cp-103 },
    { -0x1.2f49b46814157p-57, -0x1.2650f61dbdcb4p-112 },
    { 0x1.71b8ef6dcf572p-66, -0x1.d043ae40c4647p-120 },
    { -0x1.761b41316381ap-75, 0x1.3423c7d91404fp-130 },
    { 0x1.3f3ccdd165fa9p-84, -0x1.58ddadf344487p-139 },
    { -0x1.d1ab1c2dccea3p-94, -0x1.054d0c78aea14p-149 },
    { 0x1.259f98b4358adp-103, 0x1.eaf8c39dd9bc5p-157 },
};
static const double cos_coefficients[15][2] = {
    { 0x1p+0, 0 },
    { -0x1p-1, 0 },
    { 0x1.5555555555555p-5, 0x1.5555555555555p-59 },
    { -0x1.6c16c16c16c17p-10, 0x1.f49f49f49f49fp-65 },
    { 0x1.a01a01a01a01ap-16, 0x1.a01a01a01a01ap-76 },
    { -0x1.27e4fb7789f5cp-22, -0x1.cbbc05b4fa99ap-76 },
    { 0x1.1eed8eff8d898p-29, -0x1.2aec959e14c06p-83 },
    { -0x1.93974a8c07c9dp-37, -0x1.05d6f8a2efd1fp-92 },
    { 0x1.ae7f3e733b81fp-45, 0x1.1d8656b0ee8cbp-101 },
    { -0x1.6827863b97d97p-53, -0x1.eec01221a8b0bp-107 },
    { 0x1.e542ba4020225p-62, 0x1.ea72b4afe3c2fp-120 },
    { -0x1.0ce396db7f853p-70, 0x1.aebcdbd20331cp-124 },
    { 0x1.f2cf01972f578p-80, -0x1.9ada5fcc1ab14p-135 },
    { -0x1.88e85fc6a4e5ap-89, 0x1.71c37ebd16540p-143 },
    { 0x1.0a18a2635085dp-98, 0x1.b9e2e28e1aa54p-153 },
};

/* sin x (which = 0) or cos x (which = 1): x = k·π/2 + r, |r| ≤ π/4 (+2^−30), then sin or cos of
 * r by its Taylor polynomial in z = r², chosen and signed by the quadrant k mod 4. */
static double sin_or_cos(double x, unsigned which) {
    if (!(x >= -0x1p30 && x <= 0x1p30)) { return (x - x) / (x - x); }  /* NaN (∞, NaN, too big) */
    if (x == 0) { return which ? 1.0 : x; }                             /* keeps sin(−0) = −0 */
    double k = round_whole(x * 0x1.45f306dc9c883p-1);                  /* x · 2/π */
    dd r = reduce(x, k, 0x1.921fb54442d18p+0, 0x1.1a62633145c07p-54, -0x1.f1976b7ed8fbcp-110);
    dd z = dd_mul(r, r);
    unsigned quadrant = ((unsigned)(int64_t)k + which) & 3;           /* cos x = sin(x + π/2) */
    dd value = (quadrant & 1) ? dd_horner(z, cos_coefficients, 15)
                              : dd_mul(r, dd_horner(z, sin_coefficients, 15));
    return (quadrant & 2) ? -value.hi : value.hi;
}

double nnm_sin(double x) { return sin_or_cos(x, 0); }
double nnm_cos(double x) { return sin_or_cos(x, 1); }

/* ---- log ---- */

/* 1/(2n+1), n = 0…20, as dd. */
static const double atanh_coefficients[21][2] = {
    { 0x1p+0, 0 },
    { 0x1.5555555555555p-2, 0x1.5555555555555p-56 },
    { 0x1.999999999999ap-3, -0x1.999999999999ap-57 },
    { 0x1.2492492492492p-3, 0x1.2492492492492p-57 },
    { 0x1.c71c71c71c71cp-4, 0x1.c71c71c71c71cp-58 },
    { 0x1.745d1745d1746p-4, -0x1.745d1745d1746p-59 },
    { 0x1.3b13b13b13b14p-4, -0x1.3b13b13b13b14p-58 },
    { 0x1.1111111111111p-4, 0x1.1111111111111p-60 },
    { 0x1.e1e1e1e1e1e1ep-5, 0x1.e1e1e1e1e1e1ep-61 },
    { 0x1.af286bca1af28p-5, 0x1.af286bca1af28p-59 },
    { 0x1.8618618618618p-5, 0x1.8618618618618p-59 },
    { 0x1.642c8590b2164p-5, 0x1.642c8590b2164p-60 },
    { 0x1.47ae147ae147bp-5, -0x1.eb851eb851eb8p-61 },
    { 0x1.2f684bda12f68p-5, 0x1.2f684bda12f68p-59 },
    { 0x1.1a7b9611a7b96p-5, 0x1.1a7b9611a7b96p-61 },
    { 0x1.0842108421084p-5, 0x1.0842108421084p-60 },
    { 0x1.f07c1f07c1f08p-6, -0x1.f07c1f07c1f08p-61 },
    { 0x1.d41d41d41d41dp-6, 0x1.0750750750750p-60 },
    { 0x1.bacf914c1bad0p-6, -0x1.bacf914c1bad0p-60 },
    { 0x1.a41a41a41a41ap-6, 0x1.0690690690690p-60 },
    { 0x1.8f9c18f9c18fap-6, -0x1.f3831f3831f38p-61 },
};

/* x = 2^e·m, √½ < m ≤ √2; log m = 2·atanh(s) = 2s·Σ s^(2n)/(2n+1), s = (m − 1)/(m + 1). */
double nnm_log(double x) {
    if (x != x || x < 0) { return (x - x) / (x - x); }                /* NaN */
    if (x == 0) { return -1.0 / 0.0; }
    if (x == 1.0 / 0.0) { return x; }
    int e = 0;
    if (x < 0x1p-1022) { x *= 0x1p54; e = -54; }                      /* subnormal: scale */
    uint64_t bits = to_bits(x);
    e += (int)(bits >> 52) - 1023;
    double m = from_bits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
    if (m > 0x1.6a09e667f3bcdp+0) { m *= 0.5; e += 1; }               /* √2 rounded */
    dd s = dd_div((dd){ m - 1.0, 0 }, two_sum(m, 1.0));
    dd series = dd_mul(s, dd_horner(dd_mul(s, s), atanh_coefficients, 21));
    dd log_m = { 2.0 * series.hi, 2.0 * series.lo };
    double k = (double)e;
    dd k_ln2 = dd_add_d(two_prod(k, 0x1.62e42fefa39efp-1), k * 0x1.abc9e3b39803fp-56);
    return dd_add(k_ln2, log_m).hi;
}

/* ---- exp ---- */

/* e^x: spec/math.md §5, in dd_template.h (one text for this and the vector nnm_exp_many). */
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
