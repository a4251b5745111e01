/* Run-time dispatch between the AVX2+FMA copy and the portable copy of the kernels in
 * gemm_template.h, plus the scratch memory for packed panels. */
#include "nnm_kernels.h"

#include <pthread.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* The portable copy passes 32-byte vectors between always-inline static helpers only, so the
 * ABI note clang gives for them without AVX does not apply. */
#pragma clang diagnostic ignored "-Wpsabi"
#include <stdlib.h>

typedef float nnm_v8 __attribute__((vector_size(32)));
typedef float nnm_v8u __attribute__((vector_size(32), aligned(4)));
typedef int nnm_i8 __attribute__((vector_size(32)));
typedef float nnm_v16 __attribute__((vector_size(64)));
typedef float nnm_v16u __attribute__((vector_size(64), aligned(4)));
typedef int nnm_i16 __attribute__((vector_size(64)));

/* Register tile MR×NR (NR = two vectors: 16 floats with 8-lane vectors, 32 with 16-lane);
 * cache blocking: kc steps of k per packed panel, mc rows of A per packed block (L2), nc
 * columns of B per packed block. Blocking and tile shape change speed only, never results:
 * each C element's chain of FMAs is the same whatever the block sizes. */
#define NNM_MR 6
#define NNM_NR_MAX 32
#define NNM_KC 256
#define NNM_MC 96
#define NNM_NC 2048

#if defined(__x86_64__)
#define NNM_ATTR __attribute__((target("avx512f")))
#define NNM_FN(name) nnm_avx512_##name
#define NNM_VL 16
#define NNM_ISA 512
#define NNM_NR 32
#define NNM_VEC nnm_v16
#define NNM_VECU nnm_v16u
#define NNM_IVEC nnm_i16
#include "gemm_template.h"
#undef NNM_ATTR
#undef NNM_FN
#undef NNM_VL
#undef NNM_ISA
#undef NNM_NR
#undef NNM_VEC
#undef NNM_VECU
#undef NNM_IVEC

#define NNM_ATTR __attribute__((target("avx2,fma")))
#define NNM_FN(name) nnm_avx2_##name
#define NNM_VL 8
#define NNM_ISA 2
#define NNM_NR 16
#define NNM_VEC nnm_v8
#define NNM_VECU nnm_v8u
#define NNM_IVEC nnm_i8
#include "gemm_template.h"
#undef NNM_ATTR
#undef NNM_FN
#undef NNM_VL
#undef NNM_ISA
#undef NNM_NR
#undef NNM_VEC
#undef NNM_VECU
#undef NNM_IVEC
#endif

#define NNM_ATTR
#define NNM_FN(name) nnm_portable_##name
#define NNM_VL 8
#define NNM_ISA 0
#define NNM_NR 16
#define NNM_VEC nnm_v8
#define NNM_VECU nnm_v8u
#define NNM_IVEC nnm_i8
#include "gemm_template.h"
#undef NNM_ATTR
#undef NNM_FN
#undef NNM_VL
#undef NNM_ISA
#undef NNM_NR
#undef NNM_VEC
#undef NNM_VECU
#undef NNM_IVEC

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

nnm_path nnm_sgemm(nnm_path path, int transA, int transB, long M, long N, long K,
                   const float *A, long lda, const float *B, long ldb, float *C, long ldc,
                   int accumulate, const float *bias, nnm_activation activation) {
    path = nnm_resolve_path(path);
    if (M <= 0 || N <= 0) return path;
    /* A 32-wide AVX-512 tile would be mostly padding for narrow outputs: use the 16-wide
     * AVX2 tile there (same bits, by the contract). */
    if (path == NNM_PATH_AVX512 && N <= 16 && nnm_cpu_has_avx2_fma()) path = NNM_PATH_AVX2_FMA;
    long kc = K < NNM_KC ? K : NNM_KC;
    long bfloats = (kc > 0 ? kc : 1) * round_up(N < NNM_NC ? N : NNM_NC, NNM_NR_MAX);
    /* Pack A only when its row panels are reused across several column panels of B. */
    int pack_a = N > NNM_NR_MAX && K > 0;
    long afloats = pack_a ? kc * round_up(M < NNM_MC ? M : NNM_MC, NNM_MR) : 0;
    float stack_buf[8192] __attribute__((aligned(64)));
    float *work = stack_buf;
    if (bfloats + afloats > (long)(sizeof stack_buf / sizeof(float))) {
        work = scratch_get((size_t)(bfloats + afloats));
        if (!work) { /* out of memory for panels: fall back to the stack with no A packing */
            work = stack_buf;
            pack_a = 0;
            /* Split N into pieces of NR_MAX columns: their B panel (kc·32 ≤ 8192 floats)
             * fits on the stack and they never pack A, so the recursion ends there. */
            long piece = NNM_NR_MAX;
            for (long j = 0; j < N; j += piece) {
                long w = N - j < piece ? N - j : piece;
                const float *Bj = transB ? B + j * ldb : B + j;
                nnm_sgemm(path, transA, transB, M, w, K, A, lda, Bj, ldb, C + j, ldc,
                          accumulate, bias ? bias + j : 0, activation);
            }
            return path;
        }
    }
    float *bbuf = work;
    float *abuf = pack_a ? work + bfloats : 0;
#if defined(__x86_64__)
    if (path == NNM_PATH_AVX512) {
        nnm_avx512_sgemm(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
                         (int)activation, bbuf, abuf);
        return path;
    }
    if (path == NNM_PATH_AVX2_FMA) {
        nnm_avx2_sgemm(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
                       (int)activation, bbuf, abuf);
        return path;
    }
#endif
    nnm_portable_sgemm(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, bias,
                       (int)activation, bbuf, abuf);
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
