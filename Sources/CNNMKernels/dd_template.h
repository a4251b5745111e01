/* Double-double arithmetic and NNM's binary64 cos, sin, log and exp (spec/math.md §2–5), written
 * once for a value type that is either one binary64 or a vector of them.
 *
 * math.c instantiates it for `double` (the scalar functions of nnm_math.h); kernels.c, through
 * math_template.h, once per instruction set for a vector of doubles (nnm_exp_many, nnm_log_many,
 * nnm_cos_many, nnm_sin_many). Lane by lane a vector runs exactly the IEEE additions, subtractions,
 * multiplications and divisions the scalar code runs, in the same order, with contraction off
 * in both files, so both give the same bits; the vector copy only computes several arguments at
 * once (one scalar exp is a chain of ~900 dependent operations: latency, not arithmetic, is what
 * it waits for).
 *
 * Parameters, all undefined again at the end:
 *   NNM_DD_T             the value type (double, or a vector of double)
 *   NNM_DD_I             integers of the same width (int64_t, or a vector of long)
 *   NNM_DD               the name of the pair type to define
 *   NNM_DD_FN(name)      the name of each function
 *   NNM_DD_ATTR          function attributes (the instruction set)
 *   NNM_DD_SPLAT(x)      a binary64 constant as NNM_DD_T
 *   NNM_DD_BITS(x)       the bit patterns of x as NNM_DD_I; NNM_DD_FROM_BITS(i) the reverse
 *   NNM_DD_MASK(c)       a comparison as NNM_DD_I: all ones where true, 0 where false
 *   NNM_DD_SELECT(m, a, b)  lane-wise m ? a : b for a mask m
 * Special arguments (NaN, ±∞, 0, out of range) are computed like any other from a harmless
 * stand-in and their result is then selected, so that one text serves a scalar and a vector. */

#include "math_coefficients.h"

typedef struct { NNM_DD_T hi, lo; } NNM_DD;

#define NNM_DD_INLINE static inline NNM_DD_ATTR __attribute__((always_inline))

/* a + b = s + e exactly, for any a, b (Knuth's TwoSum). */
NNM_DD_INLINE NNM_DD NNM_DD_FN(two_sum)(NNM_DD_T a, NNM_DD_T b) {
    NNM_DD_T s = a + b;
    NNM_DD_T bb = s - a;
    NNM_DD_T e = (a - (s - bb)) + (b - bb);
    return (NNM_DD){ s, e };
}

/* a + b = s + e exactly when |a| ≥ |b| or a = 0 (Dekker's FastTwoSum). */
NNM_DD_INLINE NNM_DD NNM_DD_FN(fast_two_sum)(NNM_DD_T a, NNM_DD_T b) {
    NNM_DD_T s = a + b;
    return (NNM_DD){ s, b - (s - a) };
}

/* a·b = p + e exactly (Dekker's product with Veltkamp's split by 2^27 + 1), for
 * |a|, |b| < 2^996 and products whose error term does not underflow. */
NNM_DD_INLINE NNM_DD NNM_DD_FN(two_prod)(NNM_DD_T a, NNM_DD_T b) {
    NNM_DD_T ca = 134217729.0 * a, cb = 134217729.0 * b;
    NNM_DD_T ah = ca - (ca - a), al = a - ah;
    NNM_DD_T bh = cb - (cb - b), bl = b - bh;
    NNM_DD_T p = a * b;
    NNM_DD_T e = (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
    return (NNM_DD){ p, e };
}

NNM_DD_INLINE NNM_DD NNM_DD_FN(dd_add)(NNM_DD x, NNM_DD y) {
    NNM_DD s = NNM_DD_FN(two_sum)(x.hi, y.hi);
    NNM_DD t = NNM_DD_FN(two_sum)(x.lo, y.lo);
    s = NNM_DD_FN(fast_two_sum)(s.hi, s.lo + t.hi);
    return NNM_DD_FN(fast_two_sum)(s.hi, s.lo + t.lo);
}

NNM_DD_INLINE NNM_DD NNM_DD_FN(dd_add_d)(NNM_DD x, NNM_DD_T y) {
    NNM_DD s = NNM_DD_FN(two_sum)(x.hi, y);
    return NNM_DD_FN(fast_two_sum)(s.hi, s.lo + x.lo);
}

NNM_DD_INLINE NNM_DD NNM_DD_FN(dd_mul)(NNM_DD x, NNM_DD y) {
    NNM_DD p = NNM_DD_FN(two_prod)(x.hi, y.hi);
    return NNM_DD_FN(fast_two_sum)(p.hi, p.lo + ((x.hi * y.lo) + (x.lo * y.hi)));
}

NNM_DD_INLINE NNM_DD NNM_DD_FN(dd_mul_d)(NNM_DD x, NNM_DD_T y) {
    NNM_DD p = NNM_DD_FN(two_prod)(x.hi, y);
    return NNM_DD_FN(fast_two_sum)(p.hi, p.lo + x.lo * y);
}

NNM_DD_INLINE NNM_DD NNM_DD_FN(dd_div)(NNM_DD x, NNM_DD y) {
    NNM_DD_T q1 = x.hi / y.hi;
    NNM_DD r = NNM_DD_FN(dd_add)(x, NNM_DD_FN(dd_mul_d)(y, -q1));
    NNM_DD_T q2 = r.hi / y.hi;
    r = NNM_DD_FN(dd_add)(r, NNM_DD_FN(dd_mul_d)(y, -q2));
    NNM_DD_T q3 = r.hi / y.hi;
    return NNM_DD_FN(dd_add_d)(NNM_DD_FN(fast_two_sum)(q1, q2), q3);
}

/* c[0] + z·(c[1] + z·(… + z·c[count−1])), Horner from the last coefficient. */
NNM_DD_INLINE NNM_DD NNM_DD_FN(dd_horner)(NNM_DD z, const double (*c)[2], int count) {
    NNM_DD p = { NNM_DD_SPLAT(c[count - 1][0]), NNM_DD_SPLAT(c[count - 1][1]) };
    for (int i = count - 2; i >= 0; i--) {
        NNM_DD coefficient = { NNM_DD_SPLAT(c[i][0]), NNM_DD_SPLAT(c[i][1]) };
        p = NNM_DD_FN(dd_add)(NNM_DD_FN(dd_mul)(p, z), coefficient);
    }
    return p;
}

/* round(x) to a whole number, ties to even, for |x| < 2^51 (1.5·2^52 shifts the fraction out). */
NNM_DD_INLINE NNM_DD_T NNM_DD_FN(round_whole)(NNM_DD_T x) {
    return (x + 0x1.8p52) - 0x1.8p52;
}

/* x − k·C as dd, with C = c1 + c2 + c3 (three binary64 pieces of a constant): k·c1 and k·c2
 * are exact products, k·c3 is rounded (it is ~2^−106 of k·c1). */
NNM_DD_INLINE NNM_DD NNM_DD_FN(reduce)(NNM_DD_T x, NNM_DD_T k, double c1, double c2, double c3) {
    NNM_DD p1 = NNM_DD_FN(two_prod)(k, NNM_DD_SPLAT(c1)), p2 = NNM_DD_FN(two_prod)(k, NNM_DD_SPLAT(c2));
    NNM_DD r = NNM_DD_FN(two_sum)(x, -p1.hi);
    r = NNM_DD_FN(dd_add_d)(r, -p1.lo);
    r = NNM_DD_FN(dd_add_d)(r, -p2.hi);
    r = NNM_DD_FN(dd_add_d)(r, -p2.lo);
    return NNM_DD_FN(dd_add_d)(r, -(k * c3));
}

/* The whole number k (|k| < 2^51) as an integer: the low bits of k + 1.5·2^52. */
NNM_DD_INLINE NNM_DD_I NNM_DD_FN(whole_to_integer)(NNM_DD_T k) {
    return NNM_DD_BITS(k + 0x1.8p52) - NNM_DD_BITS(NNM_DD_SPLAT(0x1.8p52));
}

/* The integer e (|e| < 2^51) as a binary64, exactly (the reverse of whole_to_integer). */
NNM_DD_INLINE NNM_DD_T NNM_DD_FN(integer_to_whole)(NNM_DD_I e) {
    return NNM_DD_FROM_BITS(e + NNM_DD_BITS(NNM_DD_SPLAT(0x1.8p52))) - 0x1.8p52;
}

/* sin x (which = 0) or cos x (which = 1), spec/math.md §3: x = k·π/2 + r, |r| ≤ π/4 (+2^−30),
 * then sin or cos of r by its Taylor polynomial in z = r², chosen and signed by the quadrant
 * k mod 4 (a vector computes both polynomials and keeps one per lane). */
NNM_DD_INLINE NNM_DD_T NNM_DD_FN(sin_or_cos_of)(NNM_DD_T x, unsigned which) {
    NNM_DD_I outside = ~(NNM_DD_MASK(x >= -0x1p30) & NNM_DD_MASK(x <= 0x1p30));  /* ∞, NaN, too big */
    NNM_DD_I zero = NNM_DD_MASK(x == 0);
    NNM_DD_T a = NNM_DD_SELECT(outside, NNM_DD_SPLAT(1.0), x);
    NNM_DD_T k = NNM_DD_FN(round_whole)(a * 0x1.45f306dc9c883p-1);                  /* x · 2/π */
    NNM_DD r = NNM_DD_FN(reduce)(a, k, 0x1.921fb54442d18p+0, 0x1.1a62633145c07p-54, -0x1.f1976b7ed8fbcp-110);
    NNM_DD z = NNM_DD_FN(dd_mul)(r, r);
    NNM_DD_I quadrant = (NNM_DD_FN(whole_to_integer)(k) + (long)which) & 3;    /* cos x = sin(x + π/2) */
    /* (a scalar's select evaluates only the polynomial it keeps) */
    NNM_DD_T value = NNM_DD_SELECT(NNM_DD_MASK((quadrant & 1) != 0),
                                   NNM_DD_FN(dd_horner)(z, nnm_cos_coefficients, 15).hi,
                                   NNM_DD_FN(dd_mul)(r, NNM_DD_FN(dd_horner)(z, nnm_sin_coefficients, 15)).hi);
    value = NNM_DD_SELECT(NNM_DD_MASK((quadrant & 2) != 0), -value, value);
    value = NNM_DD_SELECT(zero, which ? NNM_DD_SPLAT(1.0) : x, value);             /* keeps sin(−0) = −0 */
    return NNM_DD_SELECT(outside, (x - x) / (x - x), value);                        /* NaN */
}

/* log x, spec/math.md §4: x = 2^e·m, √½ < m ≤ √2; log m = 2·atanh(s) = 2s·Σ s^(2n)/(2n+1),
 * s = (m − 1)/(m + 1). −∞ at ±0, NaN below 0 and for NaN, +∞ at +∞. */
NNM_DD_INLINE NNM_DD_T NNM_DD_FN(log_of)(NNM_DD_T x) {
    NNM_DD_I invalid = NNM_DD_MASK(x != x) | NNM_DD_MASK(x < 0);
    NNM_DD_I zero = NNM_DD_MASK(x == 0);
    NNM_DD_I infinite = NNM_DD_MASK(x == 1.0 / 0.0);
    NNM_DD_T a = NNM_DD_SELECT(invalid | zero | infinite, NNM_DD_SPLAT(1.0), x);
    NNM_DD_I subnormal = NNM_DD_MASK(a < 0x1p-1022);                                 /* scaled by 2^54 */
    a = NNM_DD_SELECT(subnormal, a * 0x1p54, a);
    NNM_DD_I bits = NNM_DD_BITS(a);
    NNM_DD_I e = ((bits >> 52) - 1023) + (subnormal & -54);
    NNM_DD_T m = NNM_DD_FROM_BITS((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);
    NNM_DD_I above = NNM_DD_MASK(m > 0x1.6a09e667f3bcdp+0);                          /* √2 rounded */
    m = NNM_DD_SELECT(above, m * 0.5, m);
    e = e - above;                                                                   /* +1 where above */
    NNM_DD s = NNM_DD_FN(dd_div)((NNM_DD){ m - 1.0, NNM_DD_SPLAT(0.0) }, NNM_DD_FN(two_sum)(m, NNM_DD_SPLAT(1.0)));
    NNM_DD series = NNM_DD_FN(dd_mul)(s, NNM_DD_FN(dd_horner)(NNM_DD_FN(dd_mul)(s, s), nnm_atanh_coefficients, 21));
    NNM_DD log_m = { 2.0 * series.hi, 2.0 * series.lo };
    NNM_DD_T k = NNM_DD_FN(integer_to_whole)(e);
    NNM_DD k_ln2 = NNM_DD_FN(dd_add_d)(NNM_DD_FN(two_prod)(k, NNM_DD_SPLAT(0x1.62e42fefa39efp-1)),
                                       k * 0x1.abc9e3b39803fp-56);
    NNM_DD_T result = NNM_DD_FN(dd_add)(k_ln2, log_m).hi;
    result = NNM_DD_SELECT(infinite, x, result);
    result = NNM_DD_SELECT(zero, NNM_DD_SPLAT(-1.0 / 0.0), result);
    return NNM_DD_SELECT(invalid, (x - x) / (x - x), result);
}

/* e^x, spec/math.md §5: e^x = 2^k·e^r, k = round(x/ln 2), r = x − k·ln 2 (|r| ≤ 0.35), e^r by
 * its Taylor polynomial, then 2^k applied as two powers of two. */
NNM_DD_INLINE NNM_DD_T NNM_DD_FN(exp_of)(NNM_DD_T x) {
    NNM_DD_I nan = NNM_DD_MASK(x != x);
    NNM_DD_I overflows = NNM_DD_MASK(x > 0x1.62e42fefa39efp+9);
    NNM_DD_I underflows = NNM_DD_MASK(x < -0x1.74910d52d3052p+9);
    NNM_DD_T a = NNM_DD_SELECT(nan | overflows | underflows, NNM_DD_SPLAT(0.0), x);
    NNM_DD_T k = NNM_DD_FN(round_whole)(a * 0x1.71547652b82fep+0);
    NNM_DD r = NNM_DD_FN(reduce)(a, k, 0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56, 0x1.7b57a079a1934p-111);
    NNM_DD_T value = NNM_DD_FN(dd_horner)(r, nnm_exp_coefficients, 23).hi;
    NNM_DD_I n = NNM_DD_FN(whole_to_integer)(k);                                     /* |n| ≤ 1075 */
    NNM_DD_I half = (n - (n >> 63)) >> 1;                                            /* n/2 toward 0 */
    NNM_DD_T result = (value * NNM_DD_FROM_BITS((half + 1023) << 52))
                      * NNM_DD_FROM_BITS((n - half + 1023) << 52);
    result = NNM_DD_SELECT(underflows, NNM_DD_SPLAT(0.0), result);
    result = NNM_DD_SELECT(overflows, NNM_DD_SPLAT(1.0 / 0.0), result);
    return NNM_DD_SELECT(nan, x, result);
}

#undef NNM_DD_INLINE
#undef NNM_DD_T
#undef NNM_DD_I
#undef NNM_DD
#undef NNM_DD_FN
#undef NNM_DD_ATTR
#undef NNM_DD_SPLAT
#undef NNM_DD_BITS
#undef NNM_DD_FROM_BITS
#undef NNM_DD_MASK
#undef NNM_DD_SELECT
