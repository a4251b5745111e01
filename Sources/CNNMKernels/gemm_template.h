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

/* The MR×NR register tile's k loop: 2·MR accumulators, A read through two strides (packed:
 * rs=1, cs=MR; unpacked: the caller's strides), B's NR floats per k from a packed panel
 * (rs_b = NR) or straight from a row-major B (rs_b = its row stride).
 * Rows past `mr` read a valid row again (clamped pointers) and are never stored. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(tile_loop)(
    long kc, const float *a, long rs_a, long cs_a, int mr, const float *bp, long rs_b,
    NNM_VEC acc[2 * NNM_MR]) {
    const float *ar[NNM_MR];
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < NNM_MR; r++) ar[r] = a + (mr > r ? r : 0) * rs_a;
    NNM_VEC c[2 * NNM_MR];
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 2 * NNM_MR; i++) c[i] = acc[i];
    for (long p = 0; p < kc; p++) {
        NNM_VEC b0 = NNM_FN(ld)(bp), b1 = NNM_FN(ld)(bp + NNM_VL);
        bp += rs_b;
        long o = p * cs_a;
        _Pragma("clang loop unroll(full)")
        for (int r = 0; r < NNM_MR; r++) {
            NNM_VEC x = NNM_FN(splat)(ar[r][o]);
            c[2 * r] = NNM_FMA(x, b0, c[2 * r]);
            c[2 * r + 1] = NNM_FMA(x, b1, c[2 * r + 1]);
        }
    }
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 2 * NNM_MR; i++) acc[i] = c[i];
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
    long kc, const float *a, long rs_a, long cs_a, const float *bp, long rs_b,
    float *c, long ldc, int mr, int nr, int load_c, int last,
    const float *bias, int act) {
    int n0 = nr < NNM_VL ? nr : NNM_VL;
    int n1 = nr - n0;
    NNM_VEC acc[2 * NNM_MR];
    for (int r = 0; r < NNM_MR; r++) {
        if (load_c && r < mr) {
            acc[2 * r] = NNM_FN(ldn)(c + r * ldc, n0);
            acc[2 * r + 1] = n1 > 0 ? NNM_FN(ldn)(c + r * ldc + NNM_VL, n1) : NNM_FN(splat)(0.0f);
        } else {
            acc[2 * r] = NNM_FN(splat)(0.0f);
            acc[2 * r + 1] = NNM_FN(splat)(0.0f);
        }
    }
    if (rs_a == 1 && cs_a == NNM_MR && rs_b == NNM_NR)
        NNM_FN(tile_loop)(kc, a, 1, NNM_MR, mr, bp, NNM_NR, acc);   /* packed A and B: constant strides */
    else if (rs_b == NNM_NR)
        NNM_FN(tile_loop)(kc, a, rs_a, cs_a, mr, bp, NNM_NR, acc);
    else
        NNM_FN(tile_loop)(kc, a, rs_a, cs_a, mr, bp, rs_b, acc);
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
                                   int act, float *bbuf, float *abuf, long kc_block) {
    long rs_a = transA ? 1 : lda, cs_a = transA ? lda : 1;
    long rs_b = transB ? 1 : ldb, cs_b = transB ? ldb : 1;
    int pack_a = abuf != 0;
    for (long jc = 0; jc < N; jc += NNM_NC) {
        long nc = N - jc < NNM_NC ? N - jc : NNM_NC;
        long pc = 0;
        do {   /* at least once, so K == 0 still writes start + bias */
            long kc = K - pc < kc_block ? K - pc : kc_block;
            int last = pc + kc >= K;
            int load_c = accumulate || pc > 0;
            /* With A unpacked (few rows: each B panel serves at most MC/MR tiles), a row-major
             * B is read in place, full NR-wide panels straight from its rows; only a narrower
             * last panel is packed (zero-padded, so no load reads past B). Measured: the W3
             * product 32×200·200×100 8.5 → 6.9 µs; with A packed (many rows) the strided rows
             * cost more than packing saves (1024³: 210 → 150 GFLOP/s), so B is packed there. */
            int direct_b = cs_b == 1 && nc >= NNM_NR && !pack_a;
            long packed_from = direct_b ? nc / NNM_NR * NNM_NR : 0;
            if (packed_from < nc)
                NNM_FN(pack_b)(B, rs_b, cs_b, pc, kc, jc + packed_from, nc - packed_from, bbuf);
            for (long ic = 0; ic < M; ic += NNM_MC) {
                long mc = M - ic < NNM_MC ? M - ic : NNM_MC;
                if (pack_a) NNM_FN(pack_a)(A, rs_a, cs_a, ic, mc, pc, kc, abuf);
                for (long jr = 0; jr < nc; jr += NNM_NR) {
                    int nr = (int)(nc - jr < NNM_NR ? nc - jr : NNM_NR);
                    int in_place = jr < packed_from;
                    const float *bp = in_place ? B + pc * rs_b + jc + jr
                                               : bbuf + ((jr - packed_from) / NNM_NR) * kc * NNM_NR;
                    long bstride = in_place ? rs_b : NNM_NR;
                    const float *bj = bias ? bias + jc + jr : 0;
                    for (long ir = 0; ir < mc; ir += NNM_MR) {
                        int mr = (int)(mc - ir < NNM_MR ? mc - ir : NNM_MR);
                        float *ct = C + (ic + ir) * ldc + jc + jr;
                        if (pack_a)
                            NNM_FN(tile)(kc, abuf + (ir / NNM_MR) * kc * NNM_MR, 1, NNM_MR, bp, bstride,
                                         ct, ldc, mr, nr, load_c, last, bj, act);
                        else
                            NNM_FN(tile)(kc, A + (ic + ir) * rs_a + pc * cs_a, rs_a, cs_a, bp, bstride,
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

