/* The GEMM and reduction kernels, written once and compiled several times by kernels.c:
 * with NNM_ATTR = __attribute__((target("avx512f"))) and 16-float vectors, with
 * target("avx2,fma") and 8-float vectors, and with no attribute (portable, 8-float vectors).
 * The code uses clang/GCC vector extensions, so the same source becomes AVX-512 or AVX2
 * instructions in the x86 copies and SSE2 (or NEON on aarch64) in the portable one. Every multiply-add is an explicit
 * __builtin_elementwise_fma, which is one correctly rounded FMA per lane on every target
 * (a hardware instruction where there is one, `fmaf` otherwise), so both copies produce the
 * same bits. (NNM_FMA is __builtin_elementwise_fma, except in the portable copy on x86-64,
 * where it is an exact emulation in double precision — see kernels.c.)
 *
 * Expects: NNM_ATTR, NNM_FN(name) (name mangling per copy), NNM_VL (floats per vector),
 * NNM_NR (= 2·NNM_VL, the tile width), NNM_ISA (512, 2 or 0: which masked loads/stores), NNM_VEC / NNM_VECU / NNM_IVEC (vector, unaligned
 * vector and int vector types of NNM_VL lanes), and the shared definitions from kernels.c
 * (NNM_MR, blocking sizes). */

static inline NNM_ATTR __attribute__((always_inline)) NNM_VEC NNM_FN(ld)(const float *p) {
    return *(const NNM_VECU *)p;
}
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(st)(float *p, NNM_VEC v) {
    *(NNM_VECU *)p = v;
}
static inline NNM_ATTR __attribute__((always_inline)) NNM_VEC NNM_FN(splat)(float x) {
    NNM_VEC v;
    for (int i = 0; i < NNM_VL; i++) v[i] = x;
    return v;
}
static inline NNM_ATTR __attribute__((always_inline)) NNM_VEC NNM_FN(relu)(NNM_VEC x) {
    NNM_VEC zero = NNM_FN(splat)(0.0f);
    NNM_IVEC keep = (NNM_IVEC)(x > zero);
    return (NNM_VEC)((NNM_IVEC)x & keep);
}

/* The 6×NR register tile's k loop: 12 accumulators, A read through two strides (packed:
 * rs=1, cs=MR; unpacked: the caller's strides), B from a packed panel (NR floats per k).
 * Rows past `mr` read a valid row again (clamped pointers) and are never stored. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(tile_loop)(
    long kc, const float *a, long rs_a, long cs_a, int mr, const float *bp, NNM_VEC acc[12]) {
    const float *a0 = a;
    const float *a1 = a + (mr > 1 ? 1 : 0) * rs_a;
    const float *a2 = a + (mr > 2 ? 2 : 0) * rs_a;
    const float *a3 = a + (mr > 3 ? 3 : 0) * rs_a;
    const float *a4 = a + (mr > 4 ? 4 : 0) * rs_a;
    const float *a5 = a + (mr > 5 ? 5 : 0) * rs_a;
    NNM_VEC c00 = acc[0], c01 = acc[1], c10 = acc[2], c11 = acc[3], c20 = acc[4], c21 = acc[5];
    NNM_VEC c30 = acc[6], c31 = acc[7], c40 = acc[8], c41 = acc[9], c50 = acc[10], c51 = acc[11];
    for (long p = 0; p < kc; p++) {
        NNM_VEC b0 = NNM_FN(ld)(bp), b1 = NNM_FN(ld)(bp + NNM_VL);
        bp += NNM_NR;
        long o = p * cs_a;
        NNM_VEC x;
        x = NNM_FN(splat)(a0[o]);
        c00 = NNM_FMA(x, b0, c00); c01 = NNM_FMA(x, b1, c01);
        x = NNM_FN(splat)(a1[o]);
        c10 = NNM_FMA(x, b0, c10); c11 = NNM_FMA(x, b1, c11);
        x = NNM_FN(splat)(a2[o]);
        c20 = NNM_FMA(x, b0, c20); c21 = NNM_FMA(x, b1, c21);
        x = NNM_FN(splat)(a3[o]);
        c30 = NNM_FMA(x, b0, c30); c31 = NNM_FMA(x, b1, c31);
        x = NNM_FN(splat)(a4[o]);
        c40 = NNM_FMA(x, b0, c40); c41 = NNM_FMA(x, b1, c41);
        x = NNM_FN(splat)(a5[o]);
        c50 = NNM_FMA(x, b0, c50); c51 = NNM_FMA(x, b1, c51);
    }
    acc[0] = c00; acc[1] = c01; acc[2] = c10; acc[3] = c11; acc[4] = c20; acc[5] = c21;
    acc[6] = c30; acc[7] = c31; acc[8] = c40; acc[9] = c41; acc[10] = c50; acc[11] = c51;
}

/* Loads / stores the first n lanes (0 ≤ n ≤ VL) of a vector; lanes past n read as 0 and are
 * never written, so edge tiles touch no memory outside C and need no bounce buffer. */
static inline NNM_ATTR __attribute__((always_inline)) NNM_VEC NNM_FN(ldn)(const float *p, int n) {
    if (n >= NNM_VL) return NNM_FN(ld)(p);
#if NNM_ISA == 512
    return (NNM_VEC)_mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1u), p);
#elif NNM_ISA == 2
    __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return (NNM_VEC)_mm256_maskload_ps(p, mask);
#else
    NNM_VEC v = NNM_FN(splat)(0.0f);
    for (int i = 0; i < n; i++) v[i] = p[i];
    return v;
#endif
}
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(stn)(float *p, NNM_VEC v, int n) {
    if (n >= NNM_VL) { NNM_FN(st)(p, v); return; }
#if NNM_ISA == 512
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1u), (__m512)v);
#elif NNM_ISA == 2
    __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    _mm256_maskstore_ps(p, mask, (__m256)v);
#else
    for (int i = 0; i < n; i++) p[i] = v[i];
#endif
}

/* One MR×NR tile of C: load (or zero) the accumulators, run kc steps, apply the epilogue on
 * the last k block, store the valid mr×nr part (masked at the right edge; rows past mr are
 * computed from a repeated row and dropped). */
static NNM_ATTR void NNM_FN(tile)(
    long kc, const float *a, long rs_a, long cs_a, const float *bp,
    float *c, long ldc, int mr, int nr, int load_c, int last,
    const float *bias, int act) {
    int n0 = nr < NNM_VL ? nr : NNM_VL;
    int n1 = nr - n0;
    NNM_VEC acc[12];
    for (int r = 0; r < NNM_MR; r++) {
        if (load_c && r < mr) {
            acc[2 * r] = NNM_FN(ldn)(c + r * ldc, n0);
            acc[2 * r + 1] = n1 > 0 ? NNM_FN(ldn)(c + r * ldc + NNM_VL, n1) : NNM_FN(splat)(0.0f);
        } else {
            acc[2 * r] = NNM_FN(splat)(0.0f);
            acc[2 * r + 1] = NNM_FN(splat)(0.0f);
        }
    }
    if (rs_a == 1 && cs_a == NNM_MR)
        NNM_FN(tile_loop)(kc, a, 1, NNM_MR, mr, bp, acc);   /* packed A: constant strides */
    else
        NNM_FN(tile_loop)(kc, a, rs_a, cs_a, mr, bp, acc);
    if (last && (bias || act)) {
        NNM_VEC b0 = NNM_FN(splat)(0.0f), b1 = NNM_FN(splat)(0.0f);
        if (bias) {
            b0 = NNM_FN(ldn)(bias, n0);
            if (n1 > 0) b1 = NNM_FN(ldn)(bias + NNM_VL, n1);
        }
        for (int r = 0; r < NNM_MR; r++) {
            if (bias) { acc[2 * r] = acc[2 * r] + b0; acc[2 * r + 1] = acc[2 * r + 1] + b1; }
            if (act == NNM_ACT_RELU) {
                acc[2 * r] = NNM_FN(relu)(acc[2 * r]);
                acc[2 * r + 1] = NNM_FN(relu)(acc[2 * r + 1]);
            }
        }
    }
    for (int r = 0; r < mr; r++) {
        NNM_FN(stn)(c + r * ldc, acc[2 * r], n0);
        if (n1 > 0) NNM_FN(stn)(c + r * ldc + NNM_VL, acc[2 * r + 1], n1);
    }
}

/* 8×8 transpose in registers (unpack, shuffle, 128-bit lane swap), on 8-float vectors in
 * every copy: rows r[i][j] in, columns out. Used to pack a transposed B panel. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(transpose8)(nnm_v8 r[8]) {
    nnm_v8 t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);
    nnm_v8 t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
    nnm_v8 t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);
    nnm_v8 t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
    nnm_v8 t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);
    nnm_v8 t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);
    nnm_v8 t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);
    nnm_v8 t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);
    nnm_v8 u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    nnm_v8 u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    nnm_v8 u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    nnm_v8 u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    nnm_v8 u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    nnm_v8 u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    nnm_v8 u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    nnm_v8 u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    r[0] = __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11);
    r[1] = __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11);
    r[2] = __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11);
    r[3] = __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11);
    r[4] = __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15);
    r[5] = __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15);
    r[6] = __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15);
    r[7] = __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15);
}

/* Packs opB[p0..p0+kc][j0..j0+nc] into NR-wide panels, zero-padded on the right. */
static NNM_ATTR void NNM_FN(pack_b)(const float *B, long rs_b, long cs_b, long p0, long kc,
                                    long j0, long nc, float *out) {
    for (long jp = 0; jp < nc; jp += NNM_NR) {
        long w = nc - jp < NNM_NR ? nc - jp : NNM_NR;
        float *panel = out + (jp / NNM_NR) * kc * NNM_NR;
        if (rs_b == 1 && w == NNM_NR) {
            /* Transposed B (opB[p][j] = B[j][p]): 8×8 blocks through registers, then the
             * k rows left over one by one. */
            long p = 0;
            for (; p + 8 <= kc; p += 8) {
                for (int jb = 0; jb < NNM_NR; jb += 8) {
                    nnm_v8 r[8];
                    for (int jj = 0; jj < 8; jj++)
                        r[jj] = *(const nnm_v8u *)(B + (j0 + jp + jb + jj) * cs_b + p0 + p);
                    NNM_FN(transpose8)(r);
                    for (int pp = 0; pp < 8; pp++)
                        *(nnm_v8u *)(panel + (p + pp) * NNM_NR + jb) = r[pp];
                }
            }
            for (; p < kc; p++)
                for (long j = 0; j < NNM_NR; j++)
                    panel[p * NNM_NR + j] = B[(j0 + jp + j) * cs_b + p0 + p];
        } else if (cs_b == 1 && w == NNM_NR) {
            for (long p = 0; p < kc; p++) {
                const float *src = B + (p0 + p) * rs_b + j0 + jp;
                NNM_FN(st)(panel + p * NNM_NR, NNM_FN(ld)(src));
                NNM_FN(st)(panel + p * NNM_NR + NNM_VL, NNM_FN(ld)(src + NNM_VL));
            }
        } else {
            /* Narrow or strided panel: zero each k row with two vector stores, then write
             * the w real values over it (scalar zero-filling of the padding cost more than the
             * math for narrow layers; assembling rows on the stack stalls store forwarding). */
            const float *src = B + p0 * rs_b + (j0 + jp) * cs_b;
            NNM_VEC zero = NNM_FN(splat)(0.0f);
            for (long p = 0; p < kc; p++) {
                float *dst = panel + p * NNM_NR;
                NNM_FN(st)(dst, zero);
                NNM_FN(st)(dst + NNM_VL, zero);
                for (long j = 0; j < w; j++) dst[j] = src[p * rs_b + j * cs_b];
            }
        }
    }
}

/* Packs opA[i0..i0+mc][p0..p0+kc] into MR-tall panels, zero-padded at the bottom. */
static NNM_ATTR void NNM_FN(pack_a)(const float *A, long rs_a, long cs_a, long i0, long mc,
                                    long p0, long kc, float *out) {
    for (long ip = 0; ip < mc; ip += NNM_MR) {
        long h = mc - ip < NNM_MR ? mc - ip : NNM_MR;
        float *panel = out + (ip / NNM_MR) * kc * NNM_MR;
        for (long r = 0; r < NNM_MR; r++) {
            if (r < h) {
                const float *src = A + (i0 + ip + r) * rs_a + p0 * cs_a;
                for (long p = 0; p < kc; p++) panel[p * NNM_MR + r] = src[p * cs_a];
            } else {
                for (long p = 0; p < kc; p++) panel[p * NNM_MR + r] = 0.0f;
            }
        }
    }
}

static NNM_ATTR void NNM_FN(sgemm)(int transA, int transB, long M, long N, long K,
                                   const float *A, long lda, const float *B, long ldb,
                                   float *C, long ldc, int accumulate, const float *bias,
                                   int act, float *bbuf, float *abuf) {
    long rs_a = transA ? 1 : lda, cs_a = transA ? lda : 1;
    long rs_b = transB ? 1 : ldb, cs_b = transB ? ldb : 1;
    int pack_a = abuf != 0;
    for (long jc = 0; jc < N; jc += NNM_NC) {
        long nc = N - jc < NNM_NC ? N - jc : NNM_NC;
        long pc = 0;
        do {   /* at least once, so K == 0 still writes start + bias */
            long kc = K - pc < NNM_KC ? K - pc : NNM_KC;
            int last = pc + kc >= K;
            int load_c = accumulate || pc > 0;
            NNM_FN(pack_b)(B, rs_b, cs_b, pc, kc, jc, nc, bbuf);
            for (long ic = 0; ic < M; ic += NNM_MC) {
                long mc = M - ic < NNM_MC ? M - ic : NNM_MC;
                if (pack_a) NNM_FN(pack_a)(A, rs_a, cs_a, ic, mc, pc, kc, abuf);
                for (long jr = 0; jr < nc; jr += NNM_NR) {
                    int nr = (int)(nc - jr < NNM_NR ? nc - jr : NNM_NR);
                    const float *bp = bbuf + (jr / NNM_NR) * kc * NNM_NR;
                    const float *bj = bias ? bias + jc + jr : 0;
                    for (long ir = 0; ir < mc; ir += NNM_MR) {
                        int mr = (int)(mc - ir < NNM_MR ? mc - ir : NNM_MR);
                        float *ct = C + (ic + ir) * ldc + jc + jr;
                        if (pack_a)
                            NNM_FN(tile)(kc, abuf + (ir / NNM_MR) * kc * NNM_MR, 1, NNM_MR, bp,
                                         ct, ldc, mr, nr, load_c, last, bj, act);
                        else
                            NNM_FN(tile)(kc, A + (ic + ir) * rs_a + pc * cs_a, rs_a, cs_a, bp,
                                         ct, ldc, mr, nr, load_c, last, bj, act);
                    }
                }
            }
            pc += kc;
        } while (pc < K);
    }
}

static NNM_ATTR void NNM_FN(sum_columns)(long rows, long columns, const float *m, long ldm,
                                         float *out) {
    long j = 0;
    for (; j + NNM_VL <= columns; j += NNM_VL) {
        NNM_VEC s = NNM_FN(splat)(0.0f);
        for (long r = 0; r < rows; r++) s = s + NNM_FN(ld)(m + r * ldm + j);
        NNM_FN(st)(out + j, s);
    }
    for (; j < columns; j++) {
        float s = 0.0f;
        for (long r = 0; r < rows; r++) s = s + m[r * ldm + j];
        out[j] = s;
    }
}

/* ---- Narrow networks (every width ≤ NNM_NARROW_MAX): one sample at a time through all
 * layers, the sample's activations in registers, each layer's row written once. Same bits as
 * the layer-by-layer GEMM sequence (see nnm_kernels.h). ---- */

#define NNM_NV (NNM_NARROW_MAX / NNM_VL) /* vectors per padded row */

/* Transposed, zero-padded weights: wt[i][o] for o < outputs, rows of NNM_NARROW_MAX. */
static NNM_ATTR void NNM_FN(narrow_pack)(const nnm_dense_layer *layer, float *wt, float *bias) {
    for (long i = 0; i < layer->inputs; i++)
        for (long o = 0; o < NNM_NARROW_MAX; o++)
            wt[i * NNM_NARROW_MAX + o] = o < layer->outputs ? layer->weight[o * layer->inputs + i] : 0.0f;
    for (long o = 0; o < NNM_NARROW_MAX; o++)
        bias[o] = (layer->bias && o < layer->outputs) ? layer->bias[o] : 0.0f;
}

#define NNM_FULL _Pragma("clang loop unroll(full)")

/* Forward for S consecutive samples in lock-step: S independent FMA chains per weight load,
 * so the CPU is not waiting on one sample's chain. Each sample's arithmetic is unchanged. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(narrow_forward_block)(
    long b0, const int S, const float *x, long count, const nnm_dense_layer *layers,
    const float *wt, const float *bias) {
    NNM_VEC cur[NNM_NS][NNM_NV];
    for (long l = 0; l < count; l++) {
        const nnm_dense_layer *layer = &layers[l];
        const float *w = wt + l * NNM_NARROW_MAX * NNM_NARROW_MAX;
        int nv = (int)((layer->outputs + NNM_VL - 1) / NNM_VL);
        long inputs = layer->inputs;
        NNM_VEC acc[NNM_NS][NNM_NV];
        NNM_FULL for (int s = 0; s < S; s++)
            NNM_FULL for (int v = 0; v < NNM_NV; v++) acc[s][v] = NNM_FN(splat)(0.0f);
        for (long i = 0; i < inputs; i++) {
            NNM_VEC wv[NNM_NV];
            NNM_FULL for (int v = 0; v < NNM_NV; v++)
                if (v < nv) wv[v] = NNM_FN(ld)(w + i * NNM_NARROW_MAX + v * NNM_VL);
            NNM_FULL for (int s = 0; s < S; s++) {
                NNM_VEC xs = NNM_FN(splat)(l == 0 ? x[(b0 + s) * inputs + i]
                                                  : cur[s][i / NNM_VL][i % NNM_VL]);
                NNM_FULL for (int v = 0; v < NNM_NV; v++)
                    if (v < nv) acc[s][v] = NNM_FMA(xs, wv[v], acc[s][v]);
            }
        }
        const float *bl = bias + l * NNM_NARROW_MAX;
        NNM_FULL for (int s = 0; s < S; s++) {
            float *out = layer->output + (b0 + s) * layer->outputs;
            NNM_FULL for (int v = 0; v < NNM_NV; v++) {
                if (v >= nv) { cur[s][v] = NNM_FN(splat)(0.0f); continue; }
                NNM_VEC y = acc[s][v];
                if (layer->bias) y = y + NNM_FN(ld)(bl + v * NNM_VL);
                if (layer->activation == NNM_ACT_RELU) y = NNM_FN(relu)(y);
                cur[s][v] = y;
                long left = layer->outputs - v * NNM_VL;
                NNM_FN(stn)(out + v * NNM_VL, y, (int)(left < NNM_VL ? left : NNM_VL));
            }
        }
    }
}

static NNM_ATTR void NNM_FN(narrow_forward)(long batch, const float *x, long count,
                                            const nnm_dense_layer *layers, float *scratch) {
    float *wt = scratch;                                             /* count × 32 × 32 */
    float *bias = scratch + count * NNM_NARROW_MAX * NNM_NARROW_MAX;  /* count × 32 */
    for (long l = 0; l < count; l++)
        NNM_FN(narrow_pack)(&layers[l], wt + l * NNM_NARROW_MAX * NNM_NARROW_MAX,
                            bias + l * NNM_NARROW_MAX);
    long b = 0;
    for (; b + NNM_NS <= batch; b += NNM_NS)
        NNM_FN(narrow_forward_block)(b, NNM_NS, x, count, layers, wt, bias);
    for (; b < batch; b++)
        NNM_FN(narrow_forward_block)(b, 1, x, count, layers, wt, bias);
}

/* Backward for S consecutive samples in lock-step. The weight and bias gradients still take
 * the samples one after another in increasing order (the contract); the independent chains
 * are the S samples' deltas and the different gradient rows. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(narrow_backward_block)(
    long b0, const int S, const float *x, long count, const nnm_dense_layer *layers,
    const float *output_grad, float *gw, float *gb, const float *wp) {
    NNM_VEC zero = NNM_FN(splat)(0.0f);
    long last_out = layers[count - 1].outputs;
    NNM_VEC dcur[NNM_NS][NNM_NV];
    NNM_FULL for (int s = 0; s < S; s++)
        NNM_FULL for (int v = 0; v < NNM_NV; v++) {
            long left = last_out - v * NNM_VL;
            dcur[s][v] = left > 0 ? NNM_FN(ldn)(output_grad + (b0 + s) * last_out + v * NNM_VL,
                                                (int)(left < NNM_VL ? left : NNM_VL))
                                  : zero;
        }
    for (long l = count - 1; l >= 0; l--) {
        const nnm_dense_layer *layer = &layers[l];
        long in_n = layer->inputs, out_n = layer->outputs;
        int nvi = (int)((in_n + NNM_VL - 1) / NNM_VL);
        int nvo = (int)((out_n + NNM_VL - 1) / NNM_VL);
        NNM_VEC row[NNM_NS][NNM_NV];
        NNM_FULL for (int s = 0; s < S; s++) {
            const float *in = l == 0 ? x + (b0 + s) * in_n : layers[l - 1].output + (b0 + s) * in_n;
            NNM_FULL for (int v = 0; v < NNM_NV; v++) {
                long left = in_n - v * NNM_VL;
                row[s][v] = left > 0 ? NNM_FN(ldn)(in + v * NNM_VL, (int)(left < NNM_VL ? left : NNM_VL))
                                     : zero;
            }
        }
        /* weight_grad[o][i] += delta[o] · in[i]  (FMA; samples in increasing order) */
        float *g = gw + l * NNM_NARROW_MAX * NNM_NARROW_MAX;
        for (long o = 0; o < out_n; o++) {
            NNM_VEC ds[NNM_NS];
            NNM_FULL for (int s = 0; s < S; s++) ds[s] = NNM_FN(splat)(dcur[s][o / NNM_VL][o % NNM_VL]);
            NNM_FULL for (int v = 0; v < NNM_NV; v++) {
                if (v < nvi) {
                    float *p = g + o * NNM_NARROW_MAX + v * NNM_VL;
                    NNM_VEC acc = NNM_FN(ld)(p);
                    NNM_FULL for (int s = 0; s < S; s++) acc = NNM_FMA(ds[s], row[s][v], acc);
                    NNM_FN(st)(p, acc);
                }
            }
        }
        /* bias_grad[o] += delta[o]  (plain adds, samples in order; padded lanes add 0) */
        NNM_FULL for (int v = 0; v < NNM_NV; v++) {
            if (v < nvo) {
                float *p = gb + l * NNM_NARROW_MAX + v * NNM_VL;
                NNM_VEC acc = NNM_FN(ld)(p);
                NNM_FULL for (int s = 0; s < S; s++) acc = acc + dcur[s][v];
                NNM_FN(st)(p, acc);
            }
        }
        if (l == 0) break;
        /* previous delta[i] = Σ_o delta[o] · W[o][i] (FMA, o increasing), then ReLU's mask */
        const float *w = wp + l * NNM_NARROW_MAX * NNM_NARROW_MAX;
        NNM_VEC acc[NNM_NS][NNM_NV];
        NNM_FULL for (int s = 0; s < S; s++)
            NNM_FULL for (int v = 0; v < NNM_NV; v++) acc[s][v] = zero;
        for (long o = 0; o < out_n; o++) {
            NNM_VEC wv[NNM_NV];
            NNM_FULL for (int v = 0; v < NNM_NV; v++)
                if (v < nvi) wv[v] = NNM_FN(ld)(w + o * NNM_NARROW_MAX + v * NNM_VL);
            NNM_FULL for (int s = 0; s < S; s++) {
                NNM_VEC ds = NNM_FN(splat)(dcur[s][o / NNM_VL][o % NNM_VL]);
                NNM_FULL for (int v = 0; v < NNM_NV; v++)
                    if (v < nvi) acc[s][v] = NNM_FMA(ds, wv[v], acc[s][v]);
            }
        }
        int relu = layers[l - 1].activation == NNM_ACT_RELU;
        NNM_FULL for (int s = 0; s < S; s++)
            NNM_FULL for (int v = 0; v < NNM_NV; v++) {
                NNM_VEC d = acc[s][v];
                if (relu) {
                    NNM_IVEC keep = (NNM_IVEC)(row[s][v] > zero);
                    d = (NNM_VEC)((NNM_IVEC)d & keep);
                }
                dcur[s][v] = d;
            }
    }
}

static NNM_ATTR void NNM_FN(narrow_backward)(long batch, const float *x, long count,
                                             const nnm_dense_layer *layers,
                                             const float *output_grad, float *scratch) {
    /* Gradient accumulators, zero-padded rows: gw[l][o][i], gb[l][o]; W[o][i] padded. */
    float *gw = scratch;                                            /* count × 32 × 32 */
    float *gb = scratch + count * NNM_NARROW_MAX * NNM_NARROW_MAX;   /* count × 32 */
    float *wp = gb + count * NNM_NARROW_MAX;                         /* count × 32 × 32 */
    for (long n = 0; n < count * NNM_NARROW_MAX * (NNM_NARROW_MAX + 1); n++) scratch[n] = 0.0f;
    for (long l = 0; l < count; l++)
        for (long o = 0; o < NNM_NARROW_MAX; o++)
            for (long i = 0; i < NNM_NARROW_MAX; i++)
                wp[(l * NNM_NARROW_MAX + o) * NNM_NARROW_MAX + i] =
                    (o < layers[l].outputs && i < layers[l].inputs)
                        ? layers[l].weight[o * layers[l].inputs + i] : 0.0f;
    long b = 0;
    for (; b + NNM_NS <= batch; b += NNM_NS)
        NNM_FN(narrow_backward_block)(b, NNM_NS, x, count, layers, output_grad, gw, gb, wp);
    for (; b < batch; b++)
        NNM_FN(narrow_backward_block)(b, 1, x, count, layers, output_grad, gw, gb, wp);
    for (long l = 0; l < count; l++) {
        const nnm_dense_layer *layer = &layers[l];
        for (long o = 0; o < layer->outputs; o++) {
            for (long i = 0; i < layer->inputs; i++)
                layer->weight_grad[o * layer->inputs + i] = gw[(l * NNM_NARROW_MAX + o) * NNM_NARROW_MAX + i];
            layer->bias_grad[o] = gb[l * NNM_NARROW_MAX + o];
        }
    }
}

#undef NNM_FULL
#undef NNM_NV
