/* NNM's binary64 exp, log, cos and sin over arrays (nnm_exp_many, nnm_log_many, nnm_cos_many,
 * nnm_sin_many),
 * compiled once per instruction set by kernels.c: dd_template.h instantiated for a vector of
 * doubles, so each lane runs the steps of the scalar function (math.c) and gets its bits.
 * Several arguments at once is the whole gain: one call is a long chain of dependent operations, and NNM_MATH_DVEC (four registers' worth of
 * doubles: 8 lanes portable, 16 with AVX2, 32 with AVX-512) keeps four chains in flight. */

#define NNM_MATH_LANES ((long)(sizeof(NNM_MATH_DVEC) / sizeof(double)))
#define NNM_LAI static inline NNM_ATTR __attribute__((always_inline))

NNM_LAI NNM_MATH_DVEC NNM_FN(dsplat)(double x) {
    NNM_MATH_DVEC v;
    for (long i = 0; i < NNM_MATH_LANES; i++) v[i] = x;
    return v;
}

/* Lane-wise `mask ? a : b` for a comparison result `mask` (lanes all ones or all zeros). */
NNM_LAI NNM_MATH_DVEC NNM_FN(dselect)(NNM_MATH_LVEC mask, NNM_MATH_DVEC a, NNM_MATH_DVEC b) {
    return (NNM_MATH_DVEC)(((NNM_MATH_LVEC)a & mask) | ((NNM_MATH_LVEC)b & ~mask));
}

#define NNM_DD_T NNM_MATH_DVEC
#define NNM_DD_I NNM_MATH_LVEC
#define NNM_DD NNM_FN(dd)
#define NNM_DD_FN(name) NNM_FN(dd_##name)
#define NNM_DD_ATTR NNM_ATTR
#define NNM_DD_SPLAT(x) NNM_FN(dsplat)(x)
#define NNM_DD_BITS(x) ((NNM_MATH_LVEC)(x))
#define NNM_DD_FROM_BITS(i) ((NNM_MATH_DVEC)(i))
#define NNM_DD_MASK(c) ((NNM_MATH_LVEC)(c))
#define NNM_DD_SELECT(m, a, b) NNM_FN(dselect)(m, a, b)
#include "dd_template.h"

/* y[i] = f(x[i]) for i < n, whole vectors then the last partial one (its unused lanes compute
 * f(1)): the loop of nnm_exp_many, nnm_log_many, nnm_cos_many and nnm_sin_many. */
#define NNM_MATH_MANY(name, f)                                                                  \
    static NNM_ATTR void NNM_FN(name)(long n, const double *x, double *y) {                    \
        long i = 0;                                                                             \
        for (; i + NNM_MATH_LANES <= n; i += NNM_MATH_LANES) {                                    \
            NNM_MATH_DVEC v;                                                                     \
            memcpy(&v, x + i, sizeof v);                                                        \
            v = f(v);                                                                           \
            memcpy(y + i, &v, sizeof v);                                                        \
        }                                                                                       \
        if (i < n) {                                                                            \
            NNM_MATH_DVEC v = NNM_FN(dsplat)(1.0);                                               \
            memcpy(&v, x + i, (size_t)(n - i) * sizeof(double));                                \
            v = f(v);                                                                           \
            memcpy(y + i, &v, (size_t)(n - i) * sizeof(double));                                \
        }                                                                                       \
    }

NNM_LAI NNM_MATH_DVEC NNM_FN(cos_lanes)(NNM_MATH_DVEC x) { return NNM_FN(dd_sin_or_cos_of)(x, 1); }
NNM_LAI NNM_MATH_DVEC NNM_FN(sin_lanes)(NNM_MATH_DVEC x) { return NNM_FN(dd_sin_or_cos_of)(x, 0); }

NNM_MATH_MANY(exp_many, NNM_FN(dd_exp_of))
NNM_MATH_MANY(log_many, NNM_FN(dd_log_of))
NNM_MATH_MANY(cos_many, NNM_FN(cos_lanes))
NNM_MATH_MANY(sin_many, NNM_FN(sin_lanes))

#undef NNM_MATH_MANY
#undef NNM_MATH_LANES
#undef NNM_LAI
