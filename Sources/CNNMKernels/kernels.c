/* Run-time dispatch between the AVX2+FMA copy and the portable copy of the kernels in
 * gemm_template.h, plus the scratch memory for packed panels. */
#include "nnm_kernels.h"

#include <pthread.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* The portable copy passes 32-byte vectors (and the AVX2 copy the binary cross-entropy's
 * 128-byte ones) between always-inline static helpers only, so the ABI note clang gives for
 * vectors wider than the instruction set's registers does not apply. */
#pragma clang diagnostic ignored "-Wpsabi"

/* Never fuse a written `a * b + c` into an FMA behind our back: the AVX copies would then round
 * differently from the portable copy. Every FMA in these kernels is an explicit
 * __builtin_elementwise_fma. */
#pragma clang fp contract(off)
#include <stdlib.h>
#include <string.h>

typedef float nnm_v8 __attribute__((vector_size(32)));
typedef float nnm_v8u __attribute__((vector_size(32), aligned(4)));
typedef int nnm_i8 __attribute__((vector_size(32)));
typedef float nnm_v16 __attribute__((vector_size(64)));
typedef float nnm_v16u __attribute__((vector_size(64), aligned(4)));
typedef int nnm_i16 __attribute__((vector_size(64)));
typedef unsigned int nnm_u8 __attribute__((vector_size(32)));
typedef unsigned int nnm_u16 __attribute__((vector_size(64)));
typedef unsigned char nnm_b8 __attribute__((vector_size(8)));
typedef unsigned char nnm_b16 __attribute__((vector_size(16)));
typedef double nnm_dv8 __attribute__((vector_size(64)));
typedef double nnm_dv16 __attribute__((vector_size(128)));
typedef long nnm_lv8 __attribute__((vector_size(64)));
typedef long nnm_lv16 __attribute__((vector_size(128)));
typedef double nnm_dv32 __attribute__((vector_size(256)));
typedef long nnm_lv32 __attribute__((vector_size(256)));
/* 32 lanes: the binary cross-entropy's chunks (logistic_template.h). */
typedef float nnm_w32 __attribute__((vector_size(128)));
typedef int nnm_wi32 __attribute__((vector_size(128)));
typedef unsigned int nnm_wu32 __attribute__((vector_size(128)));

/* Register tile MR×NR (NR = two vectors: 16 floats with 8-lane vectors, 32 with 16-lane;
 * MR = 8 rows with AVX-512's 32 registers, 6 with 16);
 * cache blocking: kc steps of k per packed panel, mc rows of A per packed block (L2), nc
 * columns of B per packed block. Blocking and tile shape change speed only, never results:
 * each C element's chain of FMAs is the same whatever the block sizes. */
#define NNM_MR_MAX 8
#define NNM_NR_MAX 32
#define NNM_KC 256
/* Narrow products (N ≤ 32, so B's panel is one or two tiles wide) take k in blocks of up to
 * 4096: a weight gradient over a 5000-sample batch then runs in 2 blocks instead of 20. */
#define NNM_KC_NARROW 4096
#define NNM_MC 96
/* Rows per block of a transposed-B product run in 32-column slices (nnm_sgemm). */
#define NNM_SLICE_ROWS 256
#define NNM_NC 2048

/* Exact fused multiply-add for the portable copy on x86-64, where baseline code has no FMA
 * instruction and every lane would otherwise call glibc's `fmaf` (measured: 0.06 GFLOP/s when
 * glibc must use its software version). In double precision a·b is exact (24+24 bits < 53);
 * s = a·b + c is rounded once, TwoSum gives the exact error e, and when e ≠ 0 and s is even,
 * s moves one ulp toward e ("round to odd"). Rounding that to float is then the correctly
 * rounded a·b + c (53 ≥ 24 + 2), i.e. the same bits as a hardware FMA. Infinities and NaNs
 * pass through unchanged (no adjustment when s is not finite). */
#if defined(__x86_64__) && !defined(__FMA__)
typedef double nnm_d8 __attribute__((vector_size(64)));
typedef long long nnm_l8 __attribute__((vector_size(64)));
static inline __attribute__((always_inline)) nnm_v8 nnm_emulated_fma(nnm_v8 a, nnm_v8 b, nnm_v8 c) {
    nnm_d8 p = __builtin_convertvector(a, nnm_d8) * __builtin_convertvector(b, nnm_d8);
    nnm_d8 cd = __builtin_convertvector(c, nnm_d8);
    nnm_d8 s = p + cd;
    nnm_d8 bb = s - p;
    nnm_d8 e = (p - (s - bb)) + (cd - bb);
    nnm_d8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    nnm_l8 bits = (nnm_l8)s;
    nnm_l8 inexact = (nnm_l8)(e != zero);
    nnm_l8 even = (nnm_l8)((bits & 1) == 0);
    nnm_l8 finite = (nnm_l8)((s - s) == zero);
    nnm_l8 away = (nnm_l8)((e > zero) == (s > zero)); /* -1: move away from 0, 0: toward 0 */
    nnm_l8 step = (away & 2) - 1;                     /* +1 or -1 on the bit pattern */
    bits = bits + (step & inexact & even & finite);
    return __builtin_convertvector((nnm_d8)bits, nnm_v8);
}
#endif


/* The fixed pairwise tree that combines the 16 partial sums of a narrow-network batch
 * reduction (nnm_kernels.h): halves folded onto each other, p[j] += p[j + h] for h = 8, 4, 2, 1.
 * Plain C on every path, so it rounds the same everywhere. */
static inline __attribute__((always_inline)) float nnm_narrow_tree(float *p) {
    for (int h = NNM_NARROW_LANES / 2; h >= 1; h /= 2)
        for (int j = 0; j < h; j++) p[j] = p[j] + p[j + h];
    return p[0];
}

#if defined(__x86_64__)
#define NNM_FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#define NNM_ATTR __attribute__((target("avx512f")))
#define NNM_FN(name) nnm_avx512_##name
#define NNM_VL 16
#define NNM_MR 8
#define NNM_ISA 512
#define NNM_NR 32
#define NNM_VEC nnm_v16
#define NNM_VECU nnm_v16u
#define NNM_IVEC nnm_i16
#define NNM_UVEC nnm_u16
#define NNM_BVEC nnm_b16
#define NNM_DVEC nnm_dv16
#define NNM_LVEC nnm_lv16
#define NNM_MATH_DVEC nnm_dv32
#define NNM_ROW_VECTORS 14
#define NNM_MATH_LVEC nnm_lv32
#include "gemm_template.h"
#include "narrow_template.h"
#include "logistic_template.h"
#include "bytes_template.h"
#include "optimizer_template.h"
#include "row_template.h"
#include "math_template.h"
#include "template_end.h"

#define NNM_FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#define NNM_ATTR __attribute__((target("avx2,fma")))
#define NNM_FN(name) nnm_avx2_##name
#define NNM_VL 8
#define NNM_MR 6
#define NNM_ISA 2
#define NNM_NR 16
#define NNM_VEC nnm_v8
#define NNM_VECU nnm_v8u
#define NNM_IVEC nnm_i8
#define NNM_UVEC nnm_u8
#define NNM_BVEC nnm_b8
#define NNM_DVEC nnm_dv8
#define NNM_LVEC nnm_lv8
#define NNM_MATH_DVEC nnm_dv16
#define NNM_ROW_VECTORS 14
#define NNM_MATH_LVEC nnm_lv16
#include "gemm_template.h"
#include "narrow_template.h"
#include "logistic_template.h"
#include "bytes_template.h"
#include "optimizer_template.h"
#include "row_template.h"
#include "math_template.h"
#include "template_end.h"
#endif

#if defined(__x86_64__) && !defined(__FMA__)
#define NNM_FMA(a, b, c) nnm_emulated_fma(a, b, c)
#else
#define NNM_FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#endif
#define NNM_ATTR
#define NNM_FN(name) nnm_portable_##name
#define NNM_VL 8
#define NNM_MR 6
#define NNM_ISA 0
#define NNM_NR 16
#define NNM_VEC nnm_v8
#define NNM_VECU nnm_v8u
#define NNM_IVEC nnm_i8
#define NNM_UVEC nnm_u8
#define NNM_BVEC nnm_b8
#define NNM_DVEC nnm_dv8
#define NNM_LVEC nnm_lv8
#define NNM_MATH_DVEC nnm_dv8
#define NNM_ROW_VECTORS 8
#define NNM_MATH_LVEC nnm_lv8
#include "gemm_template.h"
#include "narrow_template.h"
#include "logistic_template.h"
#include "bytes_template.h"
#include "optimizer_template.h"
#include "row_template.h"
#include "math_template.h"
#include "template_end.h"

int nnm_cpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int nnm_cpu_has_avx512f(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");   /* also checks that the OS saves zmm state */
#else
    return 0;
#endif
}

nnm_path nnm_resolve_path(nnm_path requested) {
    if (requested >= NNM_PATH_AVX512 && nnm_cpu_has_avx512f()) return NNM_PATH_AVX512;
    if (requested >= NNM_PATH_AVX2_FMA && nnm_cpu_has_avx2_fma()) return NNM_PATH_AVX2_FMA;
    return NNM_PATH_PORTABLE;
}

/* Per-thread scratch for packed panels, grown on demand and freed when the thread ends, so a
 * training loop does not allocate in its steps. Small problems use the stack instead. */
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

typedef struct {
    float *data;
    size_t capacity; /* in floats */
} nnm_scratch;

static void scratch_free(void *p) {
    nnm_scratch *s = p;
    if (s) {
        free(s->data);
        free(s);
    }
}
static void scratch_make_key(void) { pthread_key_create(&scratch_key, scratch_free); }

static float *scratch_get(size_t floats) {
    pthread_once(&scratch_once, scratch_make_key);
    nnm_scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s) return 0;
        pthread_setspecific(scratch_key, s);
    }
    if (s->capacity < floats) {
        void *fresh = 0;
        if (posix_memalign(&fresh, 64, floats * sizeof(float)) != 0) return 0;
        free(s->data);
        s->data = fresh;
        s->capacity = floats;
    }
    return s->data;
}

static long round_up(long x, long m) { return (x + m - 1) / m * m; }

/* Runs one copy of the kernel on buffers the caller provides. */
static void run_sgemm(nnm_path path, int transA, int transB, long M, long N, long K,
                      const float *A, long lda, const float *B, long ldb, float *C, long ldc,
                      int accumulate, const float *bias, nnm_activation activation,
                      float *bbuf, float *abuf, long kc_block) {
    (void)path;   /* only the portable copy exists off x86-64 */
#if defined(__x86_64__)
    if (path == NNM_PATH_AVX512) {
        nnm_avx512_sgemm(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
                         (int)activation, bbuf, abuf, kc_block);
        return;
    }
    if (path == NNM_PATH_AVX2_FMA) {
        nnm_avx2_sgemm(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
                       (int)activation, bbuf, abuf, kc_block);
        return;
    }
#endif
    nnm_portable_sgemm(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
                       (int)activation, bbuf, abuf, kc_block);
}

/* C[i][j] = act(T[j][i] + bias[j]) for an M×N C from its N×M transpose T: the epilogue of
 * the tile (nnm_*_tile: the sum, plus the bias, then ReLU), applied after the transpose. */
static void transpose_out(long M, long N, const float *T, float *C, long ldc, const float *bias,
                          nnm_activation activation) {
    for (long j = 0; j < N; j++) {
        const float *t = T + j * M;
        float b = bias ? bias[j] : 0.0f;
        for (long i = 0; i < M; i++) {
            float v = t[i];
            if (bias) v = v + b;
            if (activation == NNM_ACT_RELU) v = v > 0.0f ? v : 0.0f;
            C[i * ldc + j] = v;
        }
    }
}

nnm_path nnm_sgemm(nnm_path path, int transA, int transB, long M, long N, long K,
                   const float *A, long lda, const float *B, long ldb, float *C, long ldc,
                   int accumulate, const float *bias, nnm_activation activation) {
    path = nnm_resolve_path(path);
    if (M <= 0 || N <= 0) return path;
    /* Few rows through a wide transposed B (a small batch through a layer's weights, x·Wᵀ):
     * C = op(A)·op(B) would transpose-pack all N·K values of W for M rows, while
     * Cᵀ = op(B)ᵀ·op(A)ᵀ packs the M·K values of A (one 32-wide panel) and transposes M·N
     * results back, at about 4× the cost per value of packing (measured: the W3 layer
     * 32×784·784×100 34–38 → 24–26 µs; 32×100·100×200 would go 8.8 → 11 µs, so it stays).
     * From 17 rows up, so the transposed product still fills a 32-wide AVX-512 tile (16 rows:
     * 20.7 → 22.2 µs). Each C element is the same FMA chain over k either way (an FMA's two
     * factors commute exactly), so the bits are the same too. */
    if (!accumulate && transB && M > 16 && M <= NNM_NR_MAX && K > 0 && M * K + 4 * M * N < N * K) {
        long kc_t = K < NNM_KC_NARROW ? K : NNM_KC_NARROW;
        float *t = scratch_get((size_t)(N * M + kc_t * NNM_NR_MAX));
        if (t) {
            run_sgemm(path, !transB, !transA, N, M, K, B, ldb, A, lda, t, M, 0, 0, NNM_ACT_NONE,
                      t + N * M, 0, NNM_KC_NARROW);
            transpose_out(M, N, t, C, ldc, bias, activation);
            return path;
        }
    }
    /* A transposed B wider than one tile (a batch of more than 16 rows through a layer's
     * weights, x·Wᵀ): in blocks of NNM_SLICE_ROWS rows by NNM_NR_MAX columns. Each block is
     * then a narrow product (k in one block, A read in place, only a 32-wide panel of W
     * transposed), which the register tile runs faster than the wide path's blocked, fully
     * packed product; the row blocks keep A's rows in L2 across the slices. Measured (AVX2,
     * Zen 3, one thread): 256×784·784×100 69 → 84 GFLOP/s, 60000×784·784×100 50 → 76,
     * 1024³ 86 → 88-91; at 16 rows and fewer it lost (16×784·784×100 52 → 43), so those stay.
     * Not for a transposed A: each k step of its rows is a new line of A, and with A unpacked
     * a deep one lost (2048×4096ᵀ·4096×256ᵀ 55 → 23 GFLOP/s).
     * Same bits: the blocks change which products run when, never any element's chain. */
    if (transB && !transA && N > NNM_NR_MAX && M > 16 && K > 0) {
        for (long i = 0; i < M; i += NNM_SLICE_ROWS) {
            long h = M - i < NNM_SLICE_ROWS ? M - i : NNM_SLICE_ROWS;
            const float *Ai = A + i * lda;
            for (long j = 0; j < N; j += NNM_NR_MAX) {
                long w = N - j < NNM_NR_MAX ? N - j : NNM_NR_MAX;
                nnm_sgemm(path, transA, transB, h, w, K, Ai, lda, B + j * ldb, ldb, C + i * ldc + j, ldc,
                          accumulate, bias ? bias + j : 0, activation);
            }
        }
        return path;
    }
    /* A 32-wide AVX-512 tile would be mostly padding for narrow outputs: use the 16-wide
     * AVX2 tile there (same bits, by the contract). */
    if (path == NNM_PATH_AVX512 && N <= 16 && nnm_cpu_has_avx2_fma()) path = NNM_PATH_AVX2_FMA;
    long kc_block = N <= NNM_NR_MAX ? NNM_KC_NARROW : NNM_KC;
    long kc = K < kc_block ? K : kc_block;
    long bfloats = (kc > 0 ? kc : 1) * round_up(N < NNM_NC ? N : NNM_NC, NNM_NR_MAX);
    /* Pack A only when its row panels are reused across several column panels of B, and not
     * for a shallow transposed A (a weight gradient δᵀ·x over a small batch): its MR values
     * per k are already adjacent, and an unpacked A lets a row-major B be read in place
     * (gemm_template.h). Measured on W3 (6 alternating runs): 300 → 309 k samples/s. */
    int pack_a = N > NNM_NR_MAX && K > 0 && M > NNM_MC && !(transA && K <= 64);
    long afloats = pack_a ? kc * round_up(M < NNM_MC ? M : NNM_MC, NNM_MR_MAX) : 0;
    float stack_buf[NNM_KC * NNM_NR_MAX] __attribute__((aligned(64)));
    float *work = stack_buf;
    if (bfloats + afloats > (long)(sizeof stack_buf / sizeof(float))) {
        work = scratch_get((size_t)(bfloats + afloats));
        if (!work) {
            /* Out of memory for panels: run in pieces of NR_MAX columns with k blocks of
             * NNM_KC and no A packing, whose B panel (256·32 floats) fits on the stack. Same
             * bits: blocking never changes the summation order. */
            for (long j = 0; j < N; j += NNM_NR_MAX) {
                long w = N - j < NNM_NR_MAX ? N - j : NNM_NR_MAX;
                const float *Bj = transB ? B + j * ldb : B + j;
                run_sgemm(path, transA, transB, M, w, K, A, lda, Bj, ldb, C + j, ldc,
                          accumulate, bias ? bias + j : 0, activation, stack_buf, 0, NNM_KC);
            }
            return path;
        }
    }
    run_sgemm(path, transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
              activation, work, pack_a ? work + bfloats : 0, kc_block);
    return path;
}

void nnm_sum_columns(nnm_path path, long rows, long columns, const float *m, long ldm,
                     float *out) {
    path = nnm_resolve_path(path);
#if defined(__x86_64__)
    if (path == NNM_PATH_AVX512) {
        nnm_avx512_sum_columns(rows, columns, m, ldm, out);
        return;
    }
    if (path == NNM_PATH_AVX2_FMA) {
        nnm_avx2_sum_columns(rows, columns, m, ldm, out);
        return;
    }
#endif
    nnm_portable_sum_columns(rows, columns, m, ldm, out);
}

/* ---- Narrow networks ---- */

static int narrow_shapes_ok(long batch, long count, const nnm_dense_layer *layers) {
    if (batch < 0 || count < 1 || count > NNM_NARROW_MAX_LAYERS || !layers) return 0;
    for (long l = 0; l < count; l++) {
        if (layers[l].inputs < 1 || layers[l].inputs > NNM_NARROW_MAX) return 0;
        if (layers[l].outputs < 1 || layers[l].outputs > NNM_NARROW_MAX) return 0;
        if (l > 0 && layers[l].inputs != layers[l - 1].outputs) return 0;
    }
    return 1;
}

long nnm_narrow_lanes_floats(long batch, long count, const nnm_dense_layer *layers) {
    if (!narrow_shapes_ok(batch, count, layers)) return -1;
    if (batch > (1L << 40)) return -1;
    long rows = layers[0].inputs;
    for (long l = 0; l < count; l++) rows += layers[l].outputs;
    return (batch + NNM_NARROW_LANES - 1) / NNM_NARROW_LANES * NNM_NARROW_LANES * rows;
}

#if defined(__x86_64__)
#define NNM_DISPATCH(path, name, ...)                                                      \
    ((path) == NNM_PATH_AVX512 ? nnm_avx512_##name(__VA_ARGS__)                           \
     : (path) == NNM_PATH_AVX2_FMA ? nnm_avx2_##name(__VA_ARGS__) : nnm_portable_##name(__VA_ARGS__))
#else
#define NNM_DISPATCH(path, name, ...) ((void)(path), nnm_portable_##name(__VA_ARGS__))
#endif

/* The two halves of a narrow batch: blocks [0, H) and [H, blocks) with H = ceil(blocks / 2).
 * They fix the batch reductions (nnm_kernels.h) whatever the thread count; with two threads
 * the caller takes the first half and the helper the second, in the forward and the backward
 * pass alike, so each half's activations stay in the cache of the core that made them. */
static long narrow_split(long blocks) { return (blocks + 1) / 2; }

/* Two threads pay from this many samples (measured with `nnm-bench narrow-parts`). */
#define NNM_NARROW_TWO_WAY_MIN_BATCH 2048

/* Binary cross-entropy fused into a narrow forward pass (nnm_narrow_forward_bce): each half's
 * rows, on the thread that computed their logits, into that half's 16 partials. */
typedef struct {
    const long *labels;
    float inverse_batch;
    float *grad, *prob;
    double partials[2][NNM_NARROW_LANES];
    int counts_correct;   /* prob is set: count each half's rows whose σ ≥ 0.5 agrees with its label */
    long correct[2];
} narrow_bce;

typedef struct {
    nnm_path path;
    long batch, count, blocks;
    const nnm_dense_layer *layers;
    const float *x;
    const float *lanes;
    float *lanes_out;
    const float *output_grad;
    float *deltas, *partials[2];
    const long *partial_start;
    narrow_bce *bce;
} narrow_job;

static void narrow_forward_half(void *context, long half) {
    const narrow_job *j = context;
    long h = narrow_split(j->blocks);
    long b0 = half == 0 ? 0 : h, b1 = half == 0 ? h : j->blocks;
    NNM_DISPATCH(j->path, narrow_forward, j->batch, j->x, j->count, j->layers, j->lanes_out, b0, b1);
    if (j->bce) {
        long r0 = b0 * NNM_NARROW_LANES, r1 = b1 * NNM_NARROW_LANES < j->batch ? b1 * NNM_NARROW_LANES : j->batch;
        r0 = r0 < r1 ? r0 : r1;
        NNM_DISPATCH(j->path, bce_partials, r0, r1, j->layers[j->count - 1].output, j->bce->labels,
                     j->bce->inverse_batch, j->bce->grad, j->bce->prob, j->bce->partials[half]);
        if (j->bce->counts_correct)
            j->bce->correct[half] = NNM_DISPATCH(j->path, binary_correct, r1 - r0, j->bce->prob + r0, j->bce->labels + r0);
    }
}

/* The halves' 16 partials added lane by lane (first + second), then the pairwise tree. */
static double bce_combine(double partials[2][NNM_NARROW_LANES]) {
    double sums[NNM_NARROW_LANES];
    for (int k = 0; k < NNM_NARROW_LANES; k++) sums[k] = partials[0][k] + partials[1][k];
    for (int step = NNM_NARROW_LANES / 2; step >= 1; step /= 2)
        for (int k = 0; k < step; k++) sums[k] = sums[k] + sums[k + step];
    return sums[0];
}

static void narrow_backward_half(void *context, long half) {
    const narrow_job *j = context;
    long h = narrow_split(j->blocks);
    NNM_DISPATCH(j->path, narrow_backward_half, j->batch, j->count, j->layers, j->lanes,
                 j->output_grad, j->deltas, j->partials[half], j->partial_start,
                 half == 0 ? 0 : h, half == 0 ? h : j->blocks);
}

/* A whole training step's kernels for one half: forward with the loss, then back. Each half's
 * backward reads only its own blocks' activations and its own rows' loss gradient, both made
 * just before on this thread, so one hand-off serves both passes. */
static void narrow_step_half(void *context, long half) {
    narrow_forward_half(context, half);
    narrow_backward_half(context, half);
}

/* Runs half(job, 0) and half(job, 1): on two threads when allowed and the batch is large
 * enough (and the helper is free), else one after the other here. */
static void run_halves(nnm_chunk_fn half, void *job, int threads, long batch) {
    if (threads >= 2 && batch >= NNM_NARROW_TWO_WAY_MIN_BATCH && nnm_run_two_way(half, job, 2)) return;
    half(job, 0);
    half(job, 1);
}

/* The forward pass, with the fused loss when bce is not NULL. */
static int narrow_forward(nnm_path path, long batch, const float *x, long count,
                          const nnm_dense_layer *layers, float *lanes, narrow_bce *bce, int threads) {
    if (!narrow_shapes_ok(batch, count, layers) || !lanes || (batch > 0 && !x)) return -1;
    if (batch > (1L << 40)) return -1;
    narrow_job job = {.path = nnm_resolve_path(path), .batch = batch, .count = count,
                      .blocks = (batch + NNM_NARROW_LANES - 1) / NNM_NARROW_LANES,
                      .layers = layers, .x = x, .lanes_out = lanes, .bce = bce};
    run_halves(narrow_forward_half, &job, threads, batch);
    return 0;
}

int nnm_narrow_forward(nnm_path path, long batch, const float *x, long count,
                       const nnm_dense_layer *layers, float *lanes, int threads) {
    return narrow_forward(path, batch, x, count, layers, lanes, 0, threads);
}

int nnm_narrow_forward_bce(nnm_path path, long batch, const float *x, long count,
                           const nnm_dense_layer *layers, float *lanes, const long *labels,
                           float inverse_batch, float *grad, float *prob, double *loss, int threads) {
    if (!narrow_shapes_ok(batch, count, layers) || layers[count - 1].outputs != 1 || !layers[count - 1].output) return -1;
    if ((batch > 0 && !labels) || !loss) return -1;
    narrow_bce bce = {.labels = labels, .inverse_batch = inverse_batch, .grad = grad, .prob = prob};
    if (narrow_forward(path, batch, x, count, layers, lanes, &bce, threads) != 0) return -1;
    *loss = bce_combine(bce.partials);
    return 0;
}

/* Where each layer's partial sums start in a half's partials (the job points at it). */
typedef struct {
    long partial_start[NNM_NARROW_MAX_LAYERS];
} narrow_partial_layout;

/* Checks the backward's arguments and fills the job's backward fields; -1 when the shapes are
 * out of range or scratch memory is unavailable. */
static int narrow_backward_prepare(narrow_job *job, narrow_partial_layout *layout, long batch, long count,
                                   const nnm_dense_layer *layers, const float *lanes, const float *output_grad) {
    if (!narrow_shapes_ok(batch, count, layers) || !lanes || (batch > 0 && !output_grad)) return -1;
    if (batch > (1L << 40)) return -1;
    for (long l = 0; l < count; l++)
        if (!layers[l].weight_grad || !layers[l].bias_grad) return -1;
    long rows = 0, partial_floats = 0;
    for (long l = 0; l < count; l++) {
        rows += layers[l].outputs;
        layout->partial_start[l] = partial_floats;
        partial_floats += layers[l].outputs * (layers[l].inputs + 1) * NNM_NARROW_LANES;
    }
    long blocks = (batch + NNM_NARROW_LANES - 1) / NNM_NARROW_LANES;
    size_t delta_floats = (size_t)(blocks > 0 ? blocks : 1) * NNM_NARROW_LANES * (size_t)rows;
    /* Per half: every layer's 16 running partials per weight and bias. */
    float *deltas = scratch_get(delta_floats + 2 * (size_t)partial_floats);
    if (!deltas) return -1;
    job->batch = batch;
    job->count = count;
    job->blocks = blocks;
    job->layers = layers;
    job->lanes = lanes;
    job->output_grad = output_grad;
    job->deltas = deltas;
    job->partials[0] = deltas + delta_floats;
    job->partials[1] = deltas + delta_floats + partial_floats;
    job->partial_start = layout->partial_start;
    return 0;
}

/* Each sum: the halves' partials added lane by lane (first + second), then the tree. */
static void narrow_backward_finish(const narrow_job *job) {
    for (long l = 0; l < job->count; l++) {
        const nnm_dense_layer *layer = &job->layers[l];
        long out_n = layer->outputs, in_n = layer->inputs;
        const float *a = job->partials[0] + job->partial_start[l], *b = job->partials[1] + job->partial_start[l];
        for (long e = 0; e < out_n * (in_n + 1); e++) {
            float p[NNM_NARROW_LANES];
            for (int j = 0; j < NNM_NARROW_LANES; j++)
                p[j] = a[e * NNM_NARROW_LANES + j] + b[e * NNM_NARROW_LANES + j];
            float sum = nnm_narrow_tree(p);
            if (e < out_n * in_n) layer->weight_grad[e] = sum;
            else layer->bias_grad[e - out_n * in_n] = sum;
        }
    }
}

int nnm_narrow_backward(nnm_path path, long batch, long count, const nnm_dense_layer *layers,
                        const float *lanes, const float *output_grad, int threads) {
    narrow_job job = {.path = nnm_resolve_path(path)};
    narrow_partial_layout layout;
    if (narrow_backward_prepare(&job, &layout, batch, count, layers, lanes, output_grad) != 0) return -1;
    run_halves(narrow_backward_half, &job, threads, batch);
    narrow_backward_finish(&job);
    return 0;
}

int nnm_narrow_step_bce(nnm_path path, long batch, const float *x, long count,
                        const nnm_dense_layer *layers, float *lanes, const long *labels,
                        float inverse_batch, float *grad, float *prob, double *loss, long *correct,
                        int threads) {
    if (!narrow_shapes_ok(batch, count, layers) || layers[count - 1].outputs != 1 || !layers[count - 1].output) return -1;
    if ((batch > 0 && (!labels || !x || !grad)) || !loss || (correct && !prob)) return -1;
    narrow_job job = {.path = nnm_resolve_path(path)};
    narrow_partial_layout layout;
    if (narrow_backward_prepare(&job, &layout, batch, count, layers, lanes, grad) != 0) return -1;
    narrow_bce bce = {.labels = labels, .inverse_batch = inverse_batch, .grad = grad, .prob = prob,
                      .counts_correct = correct != 0};
    job.x = x;
    job.lanes_out = lanes;
    job.bce = &bce;
    run_halves(narrow_step_half, &job, threads, batch);
    narrow_backward_finish(&job);
    *loss = bce_combine(bce.partials);
    if (correct) *correct = bce.correct[0] + bce.correct[1];
    return 0;
}

/* ---- The logistic function and binary cross-entropy (logistic_template.h) ---- */


void nnm_logistic(nnm_path path, long n, const float *x, float *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, logistic, n, x, y);
}

void nnm_exp_nonpositive(nnm_path path, long n, const float *x, float *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, exp_nonpositive_n, n, x, y);
}

void nnm_exp_many(nnm_path path, long n, const double *x, double *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, exp_many, n, x, y);
}

void nnm_log_many(nnm_path path, long n, const double *x, double *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, log_many, n, x, y);
}

void nnm_cos_many(nnm_path path, long n, const double *x, double *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, cos_many, n, x, y);
}

void nnm_sin_many(nnm_path path, long n, const double *x, double *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, sin_many, n, x, y);
}

void nnm_log1p_unit(nnm_path path, long n, const float *x, float *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, log1p_unit_n, n, x, y);
}

/* One half of a binary cross-entropy batch: the rows [r0, r1) and their 16 partials. */
typedef struct {
    nnm_path path;
    long rows, h;
    const float *z;
    const long *labels;
    float inverse_batch;
    float *grad, *prob;
    double partials[2][NNM_NARROW_LANES];
} bce_job;

static void bce_half(void *context, long half) {
    bce_job *j = context;
    long r0 = half == 0 ? 0 : j->h, r1 = half == 0 ? j->h : j->rows;
    NNM_DISPATCH(j->path, bce_partials, r0, r1, j->z, j->labels, j->inverse_batch, j->grad, j->prob,
                 j->partials[half]);
}

double nnm_bce_logits(nnm_path path, long rows, const float *z, const long *labels,
                      float inverse_batch, float *grad, float *prob, int threads) {
    if (rows <= 0 || !z || !labels) return 0;
    /* The halves of the narrow kernels: blocks of 16 rows, [0, 16·H) and [16·H, rows). */
    long h = narrow_split((rows + NNM_NARROW_LANES - 1) / NNM_NARROW_LANES) * NNM_NARROW_LANES;
    bce_job job = {.path = nnm_resolve_path(path), .rows = rows, .h = h < rows ? h : rows, .z = z,
                   .labels = labels, .inverse_batch = inverse_batch, .grad = grad, .prob = prob};
    run_halves(bce_half, &job, threads, rows);
    return bce_combine(job.partials);
}

long nnm_binary_correct(nnm_path path, long rows, const float *y, const long *labels) {
    if (rows <= 0 || !y || !labels) return 0;
    path = nnm_resolve_path(path);
    return NNM_DISPATCH(path, binary_correct, rows, y, labels);
}

/* ---- Pixel bytes to float32 (bytes_template.h) ---- */

void nnm_unit_bytes(nnm_path path, long n, const unsigned char *x, float *y) {
    if (n <= 0 || !x || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, unit_bytes, n, x, y);
}

void nnm_column_sums(nnm_path path, long rows, long width, const float *x, double *sums) {
    if (rows <= 0 || width <= 0 || !x || !sums) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, column_sums, rows, width, x, sums);
}

void nnm_unit_byte_rows(nnm_path path, long rows, long width, const unsigned char *base, const long *offsets,
                        float *y) {
    if (rows <= 0 || width <= 0 || !base || !offsets || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, unit_byte_rows, rows, width, base, offsets, y);
}

void nnm_unit_byte_column_sums(nnm_path path, long rows, long columns, const unsigned char *base,
                               const long *offsets, double *sums) {
    if (rows <= 0 || columns <= 0 || !base || !offsets || !sums) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, unit_byte_column_sums, rows, columns, base, offsets, sums);
}

void nnm_unit_byte_column_squared_deviations(nnm_path path, long rows, long columns, const unsigned char *base,
                                             const long *offsets, const double *mean, double *squares) {
    if (rows <= 0 || columns <= 0 || !base || !offsets || !mean || !squares) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, unit_byte_column_squared_deviations, rows, columns, base, offsets, mean, squares);
}

void nnm_standardize_rows(nnm_path path, long rows, long width, const float *x, const float *mean,
                          const float *scale, float *y) {
    if (rows <= 0 || width <= 0 || !x || !mean || !scale || !y) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, standardize_rows, rows, width, x, mean, scale, y);
}

void nnm_column_squared_deviations(nnm_path path, long rows, long width, const float *x, const double *mean,
                                   double *squares) {
    if (rows <= 0 || width <= 0 || !x || !mean || !squares) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, column_squared_deviations, rows, width, x, mean, squares);
}

/* ---- Optimizer steps (optimizer_template.h) ---- */

void nnm_optimizer_step(nnm_path path, nnm_optimizer kind, long n, float *w, const float *g,
                        float *m, float *v, const nnm_optimizer_settings *s) {
    if (n <= 0 || !w || !g || !s) return;
    if (kind != NNM_OPT_SGD && !m) return;
    if (kind == NNM_OPT_ADAM && !v) return;
    path = nnm_resolve_path(path);
    switch (kind) {
    case NNM_OPT_SGD: NNM_DISPATCH(path, sgd_step, n, w, g, s->lr, s->decay); break;
    case NNM_OPT_MOMENTUM: NNM_DISPATCH(path, momentum_step, n, w, g, m, s->lr, s->decay, s->mu); break;
    case NNM_OPT_NESTEROV: NNM_DISPATCH(path, nesterov_step, n, w, g, m, s->lr, s->decay, s->mu); break;
    case NNM_OPT_ADAM:
        NNM_DISPATCH(path, adam_step, n, w, g, m, v, s->lr, s->decay, s->beta1, s->beta2, s->epsilon,
                     s->correction1, s->correction2);
        break;
    }
}

/* ---- One row through a dense layer (row_template.h) ---- */

void nnm_linear_row(nnm_path path, long K, long N, const float *x, const float *wt, long ldw,
                    const float *bias, nnm_activation activation, float *y) {
    if (K < 0 || N <= 0 || !wt || !y || (K > 0 && !x) || ldw < N || ldw % NNM_LINEAR_ROW_PAD != 0) return;
    path = nnm_resolve_path(path);
    NNM_DISPATCH(path, linear_row, K, N, x, wt, ldw, bias, (int)activation, y);
}
