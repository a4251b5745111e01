/* The logistic function and binary cross-entropy from logits, compiled once per instruction
 * set by kernels.c after gemm_template.h (whose ld/st/ldn/stn/splat helpers it uses).
 *
 * Why not libm: `expf` and `logf` are one call per sample, and for a narrow network they cost
 * more than the whole forward and backward pass (W1: logf alone was 31 % of an epoch). These
 * are NNM's own e^a (a ≤ 0) and log(1 + e) (0 ≤ e ≤ 1), written with basic IEEE operations,
 * explicit FMAs and integer bit operations only, so every path — AVX-512, AVX2, portable C on
 * x86-64 or aarch64 — gives the same bits. spec/training.md §4 gives each step and constant;
 * the accuracy (measured against binary64 references) is in Tests/NNMTests/LogisticKernelTests. */

#define NNM_LAI static inline NNM_ATTR __attribute__((always_inline))

NNM_LAI NNM_VEC NNM_FN(bits_to_float)(NNM_UVEC u) { return (NNM_VEC)u; }
NNM_LAI NNM_UVEC NNM_FN(float_to_bits)(NNM_VEC v) { return (NNM_UVEC)v; }
/* Lane-wise `mask ? a : b`, where `mask` lanes are all ones or all zeros (a comparison). */
NNM_LAI NNM_VEC NNM_FN(select)(NNM_IVEC mask, NNM_VEC a, NNM_VEC b) {
    return (NNM_VEC)(((NNM_IVEC)a & mask) | ((NNM_IVEC)b & ~mask));
}

/* e^a for a ≤ 0 (NaN stays NaN). Cody–Waite reduction a = n·ln2 + r with n = round(a·log2 e)
 * (round to nearest even by the 1.5·2^23 trick, read back as an integer through the bits, so
 * no float-to-int conversion can meet a NaN), e^r by its Taylor polynomial of degree 7 (|r| ≤
 * 0.35: truncation below 2^-27), then 2^n applied as two exact powers of two so that results
 * down to the subnormals round once. Below a = -104 the result is 0 (as e^-104 rounds to). */
NNM_LAI NNM_VEC NNM_FN(exp_nonpositive)(NNM_VEC a) {
    const NNM_VEC magic = NNM_FN(splat)(12582912.0f); /* 1.5·2^23 */
    NNM_VEC floor_value = NNM_FN(splat)(-104.0f);
    a = NNM_FN(select)((NNM_IVEC)(a < floor_value), floor_value, a);
    NNM_VEC scaled = a * NNM_FN(splat)(1.44269502f);  /* log2 e */
    NNM_VEC shifted = scaled + magic;
    NNM_VEC n = shifted - magic;                         /* integer-valued, in [-150, 0] */
    NNM_UVEC m = NNM_FN(float_to_bits)(magic) - NNM_FN(float_to_bits)(shifted); /* −n */
    NNM_VEC r = NNM_FMA(n, NNM_FN(splat)(-0.693359375f), a);     /* ln2 high part, exact */
    r = NNM_FMA(n, NNM_FN(splat)(2.12194440e-4f), r);            /* −(ln2 low part) */
    NNM_VEC p = NNM_FN(splat)(1.0f / 5040.0f);
    p = NNM_FMA(p, r, NNM_FN(splat)(1.0f / 720.0f));
    p = NNM_FMA(p, r, NNM_FN(splat)(1.0f / 120.0f));
    p = NNM_FMA(p, r, NNM_FN(splat)(1.0f / 24.0f));
    p = NNM_FMA(p, r, NNM_FN(splat)(1.0f / 6.0f));
    p = NNM_FMA(p, r, NNM_FN(splat)(0.5f));
    p = NNM_FMA(p, r, NNM_FN(splat)(1.0f));
    p = NNM_FMA(p, r, NNM_FN(splat)(1.0f));
    /* 2^n = 2^-m1 · 2^-m2 with m1 = m/2 rounded down, m2 = m − m1, both ≤ 75: normal numbers. */
    NNM_UVEC m1 = m >> 1, m2 = m - m1;
    NNM_UVEC bias = NNM_FN(float_to_bits)(NNM_FN(splat)(1.0f)) >> 23; /* 127 */
    NNM_VEC s1 = NNM_FN(bits_to_float)((bias - m1) << 23);
    NNM_VEC s2 = NNM_FN(bits_to_float)((bias - m2) << 23);
    return (p * s1) * s2;
}

/* log(1 + e) for 0 ≤ e ≤ 1 (NaN stays NaN). 1 + e = 2^k·(1 + f) with k = 1 when e ≥ 0.5
 * (f = (e − 1)/2, exact) and k = 0 otherwise (f = e, exact: the rounding of 1 + e never
 * happens), so f ∈ [−0.25, 0.5). Then, with s = f/(2 + f) (|s| ≤ 0.2) and w = s², the series
 * log(1 + f) = 2·atanh(s) = 2s + s·R, R = 2w/3 + 2w²/5 + 2w³/7 + 2w⁴/9 (truncation below 2^-27
 * relative), is evaluated as f − s·(f − R), using 2s = f − s·f: the exact f carries the
 * result and only the small correction is rounded. Plus k·ln 2. */
NNM_LAI NNM_VEC NNM_FN(log1p_unit)(NNM_VEC e) {
    NNM_IVEC upper = (NNM_IVEC)(e >= NNM_FN(splat)(0.5f));
    NNM_VEC f = NNM_FN(select)(upper, (e - NNM_FN(splat)(1.0f)) * NNM_FN(splat)(0.5f), e);
    NNM_VEC s = f / (NNM_FN(splat)(2.0f) + f);
    NNM_VEC w = s * s;
    NNM_VEC q = NNM_FMA(w, NNM_FN(splat)(2.0f / 9.0f), NNM_FN(splat)(2.0f / 7.0f));
    q = NNM_FMA(q, w, NNM_FN(splat)(2.0f / 5.0f));
    q = NNM_FMA(q, w, NNM_FN(splat)(2.0f / 3.0f));
    NNM_VEC v = NNM_FMA(-s, f - w * q, f);
    return NNM_FN(select)(upper, v + NNM_FN(splat)(0.693147182f), v);
}

/* σ(z) given e = e^−|z|: 1/(1 + e) for z ≥ 0, e/(1 + e) otherwise (one division). */
NNM_LAI NNM_VEC NNM_FN(logistic_from)(NNM_VEC z, NNM_VEC e) {
    NNM_IVEC nonnegative = (NNM_IVEC)(z >= NNM_FN(splat)(0.0f));
    return NNM_FN(select)(nonnegative, NNM_FN(splat)(1.0f), e) / (NNM_FN(splat)(1.0f) + e);
}

NNM_LAI NNM_VEC NNM_FN(negative_abs)(NNM_VEC z) {
    return NNM_FN(bits_to_float)(NNM_FN(float_to_bits)(z) | (NNM_UVEC)NNM_FN(float_to_bits)(NNM_FN(splat)(-0.0f)));
}

/* y[i] = σ(x[i]) for i < n. */
static NNM_ATTR void NNM_FN(logistic)(long n, const float *x, float *y) {
    for (long i = 0; i < n; i += NNM_VL) {
        int count = n - i < NNM_VL ? (int)(n - i) : NNM_VL;
        NNM_VEC z = NNM_FN(ldn)(x + i, count);
        NNM_FN(stn)(y + i, NNM_FN(logistic_from)(z, NNM_FN(exp_nonpositive)(NNM_FN(negative_abs)(z))), count);
    }
}

/* The two building blocks alone, for the accuracy tests. */
static NNM_ATTR void NNM_FN(exp_nonpositive_n)(long n, const float *x, float *y) {
    for (long i = 0; i < n; i += NNM_VL) {
        int count = n - i < NNM_VL ? (int)(n - i) : NNM_VL;
        NNM_FN(stn)(y + i, NNM_FN(exp_nonpositive)(NNM_FN(ldn)(x + i, count)), count);
    }
}
static NNM_ATTR void NNM_FN(log1p_unit_n)(long n, const float *x, float *y) {
    for (long i = 0; i < n; i += NNM_VL) {
        int count = n - i < NNM_VL ? (int)(n - i) : NNM_VL;
        NNM_FN(stn)(y + i, NNM_FN(log1p_unit)(NNM_FN(ldn)(x + i, count)), count);
    }
}

/* Binary cross-entropy from logits over the samples [r0, r1) of a batch (see nnm_bce_logits
 * in nnm_kernels.h; r0 is a multiple of 16). Per sample, in float32: e = e^−|z|,
 * loss = (max(z, 0) − z·t) + log(1 + e), p = σ(z), gradient = (p − t)·inverse_batch. The
 * losses go into 16 interleaved binary64 partial sums (sample r into partial r mod 16), each
 * from +0, written to out[0..15]; kernels.c adds the two halves' partials and applies the tree. */
static NNM_ATTR void NNM_FN(bce_partials)(long r0, long r1, const float *z, const long *labels,
                                          float inverse_batch, float *grad, float *prob, double *out) {
    /* The 16 partials as NNM_NARROW_LANES / NNM_VL vectors of binary64. */
    NNM_DVEC partial[NNM_NARROW_LANES / NNM_VL];
    for (int k = 0; k < NNM_NARROW_LANES / NNM_VL; k++) partial[k] = __builtin_convertvector(NNM_FN(splat)(0.0f), NNM_DVEC);
    const NNM_VEC zero = NNM_FN(splat)(0.0f), one = NNM_FN(splat)(1.0f);
    const NNM_VEC scale = NNM_FN(splat)(inverse_batch);
    for (long start = r0; start < r1; start += NNM_VL) {
        int count = r1 - start < NNM_VL ? (int)(r1 - start) : NNM_VL;
        NNM_LVEC label;
        if (count == NNM_VL) {
            __builtin_memcpy(&label, labels + start, sizeof label);
        } else {
            for (int i = 0; i < NNM_VL; i++) label[i] = i < count ? labels[start + i] : -1;
        }
        NNM_IVEC is_one = __builtin_convertvector(label == 1, NNM_IVEC);
        NNM_IVEC keep = __builtin_convertvector((label == 0) | (label == 1), NNM_IVEC); /* a bad label adds nothing */
        NNM_VEC t = NNM_FN(select)(is_one, one, zero);
        NNM_VEC x = NNM_FN(ldn)(z + start, count);
        NNM_VEC e = NNM_FN(exp_nonpositive)(NNM_FN(negative_abs)(x));
        NNM_VEC positive_part = NNM_FN(select)((NNM_IVEC)(x > zero), x, zero);
        NNM_VEC loss = NNM_FN(select)(keep, (positive_part - x * t) + NNM_FN(log1p_unit)(e), zero);
        NNM_VEC p = NNM_FN(logistic_from)(x, e);
        if (grad) NNM_FN(stn)(grad + start, NNM_FN(select)(keep, (p - t) * scale, zero), count);
        if (prob) NNM_FN(stn)(prob + start, p, count);
        /* Sample r is lane r mod VL of this vector and goes to partial r mod 16. Lanes past the
         * end and bad labels add +0, which changes no partial. */
        int k = (int)((start % NNM_NARROW_LANES) / NNM_VL);
        partial[k] = partial[k] + __builtin_convertvector(loss, NNM_DVEC);
    }
    for (int k = 0; k < NNM_NARROW_LANES / NNM_VL; k++)
        for (int i = 0; i < NNM_VL; i++) out[k * NNM_VL + i] = partial[k][i];
}

/* How many rows have (y ≥ 0.5 ? 1 : 0) == label: the accuracy count of a one-output classifier.
 * A plain loop; the target attribute lets the compiler vectorise it for each path. */
static NNM_ATTR long NNM_FN(binary_correct)(long rows, const float *y, const long *labels) {
    long correct = 0;
    for (long r = 0; r < rows; r++) correct += (long)(y[r] >= 0.5f) == labels[r];
    return correct;
}

#undef NNM_LAI
