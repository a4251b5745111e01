/* The lane-wise steps of NNM's logistic function and binary cross-entropy: e^a (a ≤ 0),
 * log(1 + e) (0 ≤ e ≤ 1), σ from e, −|z|. Included by logistic_template.h once per vector type
 * of an instruction set, with these parameters (undefined again by the includer):
 *   NNM_LG(name)   the name of each function
 *   NNM_LG_VEC     the float vector; NNM_LG_IVEC, NNM_LG_UVEC int and unsigned vectors of the
 *                  same lanes
 * Every step is lane by lane, so the bits of a lane never depend on the vector it is in. */

NNM_LAI NNM_LG_VEC NNM_LG(lanes_splat)(float x) {
    NNM_LG_VEC v;
    for (int i = 0; i < (int)(sizeof(NNM_LG_VEC) / sizeof(float)); i++) v[i] = x;
    return v;
}

NNM_LAI NNM_LG_VEC NNM_LG(bits_to_float)(NNM_LG_UVEC u) { return (NNM_LG_VEC)u; }
NNM_LAI NNM_LG_UVEC NNM_LG(float_to_bits)(NNM_LG_VEC v) { return (NNM_LG_UVEC)v; }
/* Lane-wise `mask ? a : b`, where `mask` lanes are all ones or all zeros (a comparison). */
NNM_LAI NNM_LG_VEC NNM_LG(select)(NNM_LG_IVEC mask, NNM_LG_VEC a, NNM_LG_VEC b) {
    return (NNM_LG_VEC)(((NNM_LG_IVEC)a & mask) | ((NNM_LG_IVEC)b & ~mask));
}

/* e^a for a ≤ 0 (NaN stays NaN). Cody–Waite reduction a = n·ln2 + r with n = round(a·log2 e)
 * (round to nearest even by the 1.5·2^23 trick, read back as an integer through the bits, so
 * no float-to-int conversion can meet a NaN), e^r by its Taylor polynomial of degree 7 (|r| ≤
 * 0.35: truncation below 2^-27), then 2^n applied as two exact powers of two so that results
 * down to the subnormals round once. Below a = -104 the result is 0 (as e^-104 rounds to). */
NNM_LAI NNM_LG_VEC NNM_LG(exp_nonpositive)(NNM_LG_VEC a) {
    const NNM_LG_VEC magic = NNM_LG(lanes_splat)(12582912.0f); /* 1.5·2^23 */
    NNM_LG_VEC floor_value = NNM_LG(lanes_splat)(-104.0f);
    a = NNM_LG(select)((NNM_LG_IVEC)(a < floor_value), floor_value, a);
    NNM_LG_VEC scaled = a * NNM_LG(lanes_splat)(1.44269502f);  /* log2 e */
    NNM_LG_VEC shifted = scaled + magic;
    NNM_LG_VEC n = shifted - magic;                         /* integer-valued, in [-150, 0] */
    NNM_LG_UVEC m = NNM_LG(float_to_bits)(magic) - NNM_LG(float_to_bits)(shifted); /* −n */
    NNM_LG_VEC r = NNM_FMA(n, NNM_LG(lanes_splat)(-0.693359375f), a);     /* ln2 high part, exact */
    r = NNM_FMA(n, NNM_LG(lanes_splat)(2.12194440e-4f), r);            /* −(ln2 low part) */
    NNM_LG_VEC p = NNM_LG(lanes_splat)(1.0f / 5040.0f);
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(1.0f / 720.0f));
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(1.0f / 120.0f));
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(1.0f / 24.0f));
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(1.0f / 6.0f));
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(0.5f));
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(1.0f));
    p = NNM_FMA(p, r, NNM_LG(lanes_splat)(1.0f));
    /* 2^n = 2^-m1 · 2^-m2 with m1 = m/2 rounded down, m2 = m − m1, both ≤ 75: normal numbers. */
    NNM_LG_UVEC m1 = m >> 1, m2 = m - m1;
    NNM_LG_UVEC bias = NNM_LG(float_to_bits)(NNM_LG(lanes_splat)(1.0f)) >> 23; /* 127 */
    NNM_LG_VEC s1 = NNM_LG(bits_to_float)((bias - m1) << 23);
    NNM_LG_VEC s2 = NNM_LG(bits_to_float)((bias - m2) << 23);
    return (p * s1) * s2;
}

/* log(1 + e) for 0 ≤ e ≤ 1 (NaN stays NaN). 1 + e = 2^k·(1 + f) with k = 1 when e ≥ 0.5
 * (f = (e − 1)/2, exact) and k = 0 otherwise (f = e, exact: the rounding of 1 + e never
 * happens), so f ∈ [−0.25, 0.5). Then, with s = f/(2 + f) (|s| ≤ 0.2) and w = s², the series
 * log(1 + f) = 2·atanh(s) = 2s + s·R, R = 2w/3 + 2w²/5 + 2w³/7 + 2w⁴/9 (truncation below 2^-27
 * relative), is evaluated as f − s·(f − R), using 2s = f − s·f: the exact f carries the
 * result and only the small correction is rounded. Plus k·ln 2. */
NNM_LAI NNM_LG_VEC NNM_LG(log1p_unit)(NNM_LG_VEC e) {
    NNM_LG_IVEC upper = (NNM_LG_IVEC)(e >= NNM_LG(lanes_splat)(0.5f));
    NNM_LG_VEC f = NNM_LG(select)(upper, (e - NNM_LG(lanes_splat)(1.0f)) * NNM_LG(lanes_splat)(0.5f), e);
    NNM_LG_VEC s = f / (NNM_LG(lanes_splat)(2.0f) + f);
    NNM_LG_VEC w = s * s;
    NNM_LG_VEC q = NNM_FMA(w, NNM_LG(lanes_splat)(2.0f / 9.0f), NNM_LG(lanes_splat)(2.0f / 7.0f));
    q = NNM_FMA(q, w, NNM_LG(lanes_splat)(2.0f / 5.0f));
    q = NNM_FMA(q, w, NNM_LG(lanes_splat)(2.0f / 3.0f));
    NNM_LG_VEC v = NNM_FMA(-s, f - w * q, f);
    return NNM_LG(select)(upper, v + NNM_LG(lanes_splat)(0.693147182f), v);
}

/* σ(z) given e = e^−|z|: 1/(1 + e) for z ≥ 0, e/(1 + e) otherwise (one division). */
NNM_LAI NNM_LG_VEC NNM_LG(logistic_from)(NNM_LG_VEC z, NNM_LG_VEC e) {
    NNM_LG_IVEC nonnegative = (NNM_LG_IVEC)(z >= NNM_LG(lanes_splat)(0.0f));
    return NNM_LG(select)(nonnegative, NNM_LG(lanes_splat)(1.0f), e) / (NNM_LG(lanes_splat)(1.0f) + e);
}

NNM_LAI NNM_LG_VEC NNM_LG(negative_abs)(NNM_LG_VEC z) {
    return NNM_LG(bits_to_float)(NNM_LG(float_to_bits)(z) | (NNM_LG_UVEC)NNM_LG(float_to_bits)(NNM_LG(lanes_splat)(-0.0f)));
}

/* One vector of binary cross-entropy from logits x, lane by lane, in float32: with t = 1 where
 * `is_one` and 0 elsewhere, e = e^−|x|, loss = (max(x, 0) − x·t) + log(1 + e), *p = σ(x),
 * *gradient = (σ(x) − t)·scale; lanes outside `keep` (a label other than 0 or 1) get loss and
 * gradient +0. Both of bce_partials' loops run exactly these steps, so their bits agree. */
NNM_LAI NNM_LG_VEC NNM_LG(bce_lanes)(NNM_LG_VEC x, NNM_LG_IVEC is_one, NNM_LG_IVEC keep, NNM_LG_VEC scale,
                                     NNM_LG_VEC *p, NNM_LG_VEC *gradient) {
    const NNM_LG_VEC zero = NNM_LG(lanes_splat)(0.0f), one = NNM_LG(lanes_splat)(1.0f);
    NNM_LG_VEC t = NNM_LG(select)(is_one, one, zero);
    NNM_LG_VEC e = NNM_LG(exp_nonpositive)(NNM_LG(negative_abs)(x));
    NNM_LG_VEC positive_part = NNM_LG(select)((NNM_LG_IVEC)(x > zero), x, zero);
    NNM_LG_VEC loss = NNM_LG(select)(keep, (positive_part - x * t) + NNM_LG(log1p_unit)(e), zero);
    *p = NNM_LG(logistic_from)(x, e);
    *gradient = NNM_LG(select)(keep, (*p - t) * scale, zero);
    return loss;
}
