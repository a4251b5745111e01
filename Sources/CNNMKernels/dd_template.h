/* Double-double arithmetic and NNM's binary64 exp (spec/math.md §2 and §5), written once for a
 * value type that is either one binary64 or a vector of them.
 *
 * math.c instantiates it for `double` (the scalar functions of nnm_math.h); kernels.c, through
 * exp_template.h, once per instruction set for a vector of doubles (nnm_exp_many). Lane by lane
 * a vector runs exactly the IEEE additions, subtractions and multiplications the scalar code
 * runs, in the same order, with contraction off in both files, so both give the same bits;
 * the vector copy only computes several arguments at once (one scalar exp is a chain of ~900
 * dependent operations: latency, not arithmetic, is what it waits for).
 *
 * Parameters, all undefined again at the end:
 *   NNM_DD_T             the value type (double, or a vector of double)
 *   NNM_DD_I             integers of the same width (int64_t, or a vector of long)
 *   NNM_DD               the name of the pair type to define
 *   NNM_DD_FN(name)      the name of each function
 *   NNM_DD_ATTR          function attributes (the instruction set)
 *   NNM_DD_SPLAT(x)      a binary64 constant as NNM_DD_T
 *   NNM_DD_BITS(x)       the bit patterns of x as NNM_DD_I; NNM_DD_FROM_BITS(i) the reverse
 *   NNM_DD_SELECT(m, a, b)  lane-wise m ? a : b for a comparison result m */

#include "exp_coefficients.h"

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

/* e^x = 2^k·e^r, k = round(x/ln 2), r = x − k·ln 2 (|r| ≤ 0.35), e^r by its Taylor polynomial
 * (spec/math.md §5). The special lanes (NaN, overflow, underflow) are computed from 0 and then
 * replaced, so that one code path serves a scalar and a vector alike. */
NNM_DD_INLINE NNM_DD_T NNM_DD_FN(exp_of)(NNM_DD_T x) {
    const NNM_DD_T zero = NNM_DD_SPLAT(0.0);
    NNM_DD_I nan = (NNM_DD_I)(x != x);
    NNM_DD_I overflows = (NNM_DD_I)(x > 0x1.62e42fefa39efp+9);
    NNM_DD_I underflows = (NNM_DD_I)(x < -0x1.74910d52d3052p+9);
    NNM_DD_T a = NNM_DD_SELECT(nan | overflows | underflows, zero, x);
    NNM_DD_T k = NNM_DD_FN(round_whole)(a * 0x1.71547652b82fep+0);
    NNM_DD r = NNM_DD_FN(reduce)(a, k, 0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56, 0x1.7b57a079a1934p-111);
    NNM_DD_T value = NNM_DD_FN(dd_horner)(r, nnm_exp_coefficients, 23).hi;
    /* k as an integer (|k| ≤ 1075): the low bits of k + 1.5·2^52; half = k/2 truncated toward 0. */
    NNM_DD_I n = NNM_DD_BITS(k + 0x1.8p52) - NNM_DD_BITS(NNM_DD_SPLAT(0x1.8p52));
    NNM_DD_I half = (n - (n >> 63)) >> 1;
    NNM_DD_T result = (value * NNM_DD_FROM_BITS((half + 1023) << 52))
                      * NNM_DD_FROM_BITS((n - half + 1023) << 52);
    result = NNM_DD_SELECT(underflows, zero, result);
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
#undef NNM_DD_SELECT
