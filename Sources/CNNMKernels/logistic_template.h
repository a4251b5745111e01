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

/* The steps for the instruction set's vector (NNM_FN(exp_nonpositive), …) … */
#define NNM_LG(name) NNM_FN(name)
#define NNM_LG_VEC NNM_VEC
#define NNM_LG_IVEC NNM_IVEC
#define NNM_LG_UVEC NNM_UVEC
#include "logistic_lanes.h"
#undef NNM_LG
#undef NNM_LG_VEC
#undef NNM_LG_IVEC
#undef NNM_LG_UVEC

#if NNM_ISA != 0
/* … and for 32 samples at once (NNM_FN(wide_exp_nonpositive), …): four AVX2 vectors or two
 * AVX-512 ones, whose operations the compiler emits side by side. One sample's loss is a chain
 * of ~100 dependent operations; four chains in flight instead of one made the binary
 * cross-entropy ~1.4× faster (bench/README.md). The portable path, whose FMA is emulated for
 * its one vector type, keeps the single chain: the same bits, lane by lane. */
#define NNM_LG(name) NNM_FN(wide_##name)
#define NNM_LG_VEC nnm_w32
#define NNM_LG_IVEC nnm_wi32
#define NNM_LG_UVEC nnm_wu32
#include "logistic_lanes.h"
#undef NNM_LG
#undef NNM_LG_VEC
#undef NNM_LG_IVEC
#undef NNM_LG_UVEC
#endif

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

#if NNM_ISA != 0
/* Samples per chunk of bce_wide_chunks. */
#define NNM_BCE_WIDE 32
/* bce_partials' steps for the whole chunks of 32 samples from r0 (a multiple of 16), into the
 * 16 partials (+0 on entry), which it leaves in bce_partials' layout: samples r0, r0 + 1, … in
 * increasing order, sample r into partial r mod 16, exactly as the loop over single vectors adds
 * them. Returns where the whole chunks end. */
NNM_LAI long NNM_FN(bce_wide_chunks)(long r0, long r1, const float *z, const long *labels, float inverse_batch,
                                     float *grad, float *prob, NNM_DVEC *partial) {
    const nnm_w32 scale = NNM_FN(wide_lanes_splat)(inverse_batch);
    nnm_dv16 sums = {0}; /* +0 in every lane */
    long start = r0;
    for (; start + NNM_BCE_WIDE <= r1; start += NNM_BCE_WIDE) {
        nnm_lv32 label;
        nnm_w32 x, p, g;
        __builtin_memcpy(&label, labels + start, sizeof label);
        __builtin_memcpy(&x, z + start, sizeof x);
        nnm_wi32 is_one = __builtin_convertvector(label == 1, nnm_wi32);
        nnm_wi32 keep = __builtin_convertvector((label == 0) | (label == 1), nnm_wi32);
        nnm_w32 loss = NNM_FN(wide_bce_lanes)(x, is_one, keep, scale, &p, &g);
        if (grad) __builtin_memcpy(grad + start, &g, sizeof g);
        if (prob) __builtin_memcpy(prob + start, &p, sizeof p);
        nnm_v16 first = __builtin_shufflevector(loss, loss, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        nnm_v16 second = __builtin_shufflevector(loss, loss, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
                                                 30, 31);
        sums = sums + __builtin_convertvector(first, nnm_dv16);
        sums = sums + __builtin_convertvector(second, nnm_dv16);
    }
    for (int k = 0; k < NNM_NARROW_LANES / NNM_VL; k++)
        for (int i = 0; i < NNM_VL; i++) partial[k][i] = sums[k * NNM_VL + i];
    return start;
}
#endif

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
    long start = r0;
#if NNM_ISA != 0
    if (r1 - start >= NNM_BCE_WIDE) start = NNM_FN(bce_wide_chunks)(start, r1, z, labels, inverse_batch, grad, prob, partial);
#endif
    const NNM_VEC scale = NNM_FN(splat)(inverse_batch);
    for (; start < r1; start += NNM_VL) {
        int count = r1 - start < NNM_VL ? (int)(r1 - start) : NNM_VL;
        NNM_LVEC label;
        if (count == NNM_VL) {
            __builtin_memcpy(&label, labels + start, sizeof label);
        } else {
            for (int i = 0; i < NNM_VL; i++) label[i] = i < count ? labels[start + i] : -1;
        }
        NNM_IVEC is_one = __builtin_convertvector(label == 1, NNM_IVEC);
        NNM_IVEC keep = __builtin_convertvector((label == 0) | (label == 1), NNM_IVEC); /* a bad label adds nothing */
        NNM_VEC p, g;
        NNM_VEC loss = NNM_FN(bce_lanes)(NNM_FN(ldn)(z + start, count), is_one, keep, scale, &p, &g);
        if (grad) NNM_FN(stn)(grad + start, g, count);
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
#undef NNM_BCE_WIDE
