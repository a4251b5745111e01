/* One helper thread for two-way work on small machines: products (nnm_sgemm_two_way) and the
 * narrow-network passes (kernels.c), both through nnm_run_two_way.
 *
 * DispatchQueue.concurrentPerform costs ~25 µs to wake and join a second thread here, which
 * is more than a whole W3 layer product takes. This helper spins for a short while after each
 * job (so the next job of a training step finds it awake) and then sleeps on a condition
 * variable. A job is cut into chunks that the calling thread claims from the front and the
 * helper from the back, one at a time: a helper that wakes late — the other core busy with
 * another program — costs at most the chunk it is running, and with two chunks each thread
 * keeps "its" half from job to job (the narrow passes rely on that to keep their data in the
 * core's own cache). Only one job at a time uses the helper: a second caller finds it busy and
 * runs alone. Results never depend on who ran a chunk.
 *
 * A background job (nnm_background_post / _join: the trainer reading its next batch) is the
 * same machinery with one chunk that the caller does not claim until it joins: if the helper
 * has not started it by then, the caller runs it, so a helper delayed by another program costs
 * nothing but the overlap. */
#include "nnm_kernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define NNM_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define NNM_PAUSE() __asm__ __volatile__("yield")
#else
#define NNM_PAUSE() ((void)0)
#endif

static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int started;                       /* written once under start_once */
static _Atomic long posted;               /* number of the job last posted */
static _Atomic int sleeping;
/* The job being shared: written by the submitter before it publishes `ticket`, read by the
 * helper only after it has claimed a chunk of that job (so never while it is rewritten). */
static nnm_chunk_fn shared_fn;
static void *shared_context;
static long shared_chunks;
/* (job number << 32) | (chunks claimed from the back << 16) | chunks claimed from the front;
 * claiming is one compare-and-swap, so a helper that wakes late for an old job claims nothing. */
static _Atomic unsigned long long ticket;
static _Atomic long chunks_done;

enum { SPIN_ROUNDS = 4000, WAIT_SPIN_ROUNDS = 2000, COUNT_BITS = 16, JOB_SHIFT = 32 };

/* Claims the next chunk of `job` from the front (the caller) or the back (the helper), or
 * returns -1 when the job is gone or fully claimed. */
static long claim(long job, int from_back) {
    const unsigned long long mask = (1ull << COUNT_BITS) - 1;
    unsigned long long t = atomic_load_explicit(&ticket, memory_order_acquire);
    for (;;) {
        if ((long)(t >> JOB_SHIFT) != job) return -1;
        long front = (long)(t & mask), back = (long)((t >> COUNT_BITS) & mask);
        if (front + back >= shared_chunks) return -1;
        unsigned long long next = from_back ? t + (1ull << COUNT_BITS) : t + 1;
        if (atomic_compare_exchange_weak_explicit(&ticket, &t, next, memory_order_acq_rel,
                                                  memory_order_acquire))
            return from_back ? shared_chunks - 1 - back : front;
    }
}

static void work_on(long job, int from_back) {
    long index;
    while ((index = claim(job, from_back)) >= 0) {
        shared_fn(shared_context, index);
        atomic_fetch_add_explicit(&chunks_done, 1, memory_order_acq_rel);
    }
}

static void *helper_main(void *unused) {
    (void)unused;
    long seen = 0;
    for (;;) {
        long job = atomic_load_explicit(&posted, memory_order_acquire);
        for (int i = 0; i < SPIN_ROUNDS && job == seen; i++) {
            NNM_PAUSE();
            job = atomic_load_explicit(&posted, memory_order_acquire);
        }
        if (job == seen) {
            pthread_mutex_lock(&wake_lock);
            atomic_store(&sleeping, 1);
            while ((job = atomic_load(&posted)) == seen) pthread_cond_wait(&wake, &wake_lock);
            atomic_store(&sleeping, 0);
            pthread_mutex_unlock(&wake_lock);
        }
        seen = job;
        work_on(job, 1);
    }
    return 0;
}

static void start_helper(void) {
    pthread_t thread;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, helper_main, 0) == 0) started = 1;
    pthread_attr_destroy(&attr);
}

static long post(nnm_chunk_fn fn, void *context, long chunks);
static void join(long job, long chunks);
static _Thread_local long background_job;

int nnm_run_two_way(nnm_chunk_fn fn, void *context, long chunks) {
    if (!fn || chunks < 2 || chunks >= (1L << COUNT_BITS)) return 0;
    /* This thread's own background job (the next batch read ahead) would keep the helper for
     * the rest of the step: finish it first (it is usually done by now), then share this job. */
    if (background_job) nnm_background_join();
    long job = post(fn, context, chunks);
    if (!job) return 0;   /* helper busy: the caller goes alone */
    /* Work alongside the helper; if it is slow to wake, this thread takes every chunk. */
    join(job, chunks);
    return 1;
}

/* Posts a job without working on it: the caller keeps submit_lock until it joins. */
static long post(nnm_chunk_fn fn, void *context, long chunks) {
    if (pthread_mutex_trylock(&submit_lock) != 0) return 0;   /* helper busy */
    pthread_once(&start_once, start_helper);
    if (!started) {
        pthread_mutex_unlock(&submit_lock);
        return 0;
    }
    shared_fn = fn;
    shared_context = context;
    shared_chunks = chunks;
    atomic_store_explicit(&chunks_done, 0, memory_order_relaxed);
    long job = atomic_load(&posted) + 1;
    atomic_store_explicit(&ticket, (unsigned long long)job << JOB_SHIFT, memory_order_release);
    atomic_store_explicit(&posted, job, memory_order_release);
    /* Taking the lock orders this post against the helper's check-then-wait, so a helper
     * about to sleep either sees the job or is already waiting and gets the signal. */
    pthread_mutex_lock(&wake_lock);
    if (atomic_load(&sleeping)) pthread_cond_signal(&wake);
    pthread_mutex_unlock(&wake_lock);
    return job;
}

/* Works on the chunks of `job` that are still free, waits for the rest, frees the helper. */
static void join(long job, long chunks) {
    work_on(job, 0);
    for (long i = 0; atomic_load_explicit(&chunks_done, memory_order_acquire) != chunks; i++) {
        if (i < WAIT_SPIN_ROUNDS) NNM_PAUSE(); else sched_yield();
    }
    pthread_mutex_unlock(&submit_lock);
}

/* background_job (declared above): the job nnm_background_post posted on this thread, 0 for
 * none; only its poster reads or writes it. */

int nnm_background_post(nnm_chunk_fn fn, void *context) {
    if (!fn || background_job) return 0;
    background_job = post(fn, context, 1);
    return background_job != 0;
}

void nnm_background_join(void) {
    if (!background_job) return;
    join(background_job, 1);
    background_job = 0;
}

/* One two-way product: a chunk is `chunk` rows (or columns) of C. */
typedef struct {
    nnm_path path;
    int transA, transB;
    long M, N, K;
    const float *A;
    long lda;
    const float *B;
    long ldb;
    float *C;
    long ldc;
    int accumulate;
    const float *bias;
    nnm_activation activation;
    int by_columns;
    long chunk;
} gemm_job;

static void gemm_chunk(void *context, long index) {
    gemm_job j = *(const gemm_job *)context;
    long start = index * j.chunk;
    if (j.by_columns) {
        long end = start + j.chunk < j.N ? start + j.chunk : j.N;
        j.B = j.transB ? j.B + start * j.ldb : j.B + start;
        j.C = j.C + start;
        j.bias = j.bias ? j.bias + start : 0;
        j.N = end - start;
    } else {
        long end = start + j.chunk < j.M ? start + j.chunk : j.M;
        j.A = j.transA ? j.A + start : j.A + start * j.lda;
        j.C = j.C + start * j.ldc;
        j.M = end - start;
    }
    nnm_sgemm(j.path, j.transA, j.transB, j.M, j.N, j.K, j.A, j.lda, j.B, j.ldb, j.C, j.ldc,
              j.accumulate, j.bias, j.activation);
}

int nnm_sgemm_two_way(nnm_path path, int transA, int transB, long M, long N, long K,
                      const float *A, long lda, const float *B, long ldb, float *C, long ldc,
                      int accumulate, const float *bias, nnm_activation activation,
                      int split_columns, long chunk) {
    long extent = split_columns ? N : M;
    if (chunk <= 0 || chunk >= extent) return 0;
    gemm_job job = {path, transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate,
                    bias, activation, split_columns, chunk};
    return nnm_run_two_way(gemm_chunk, &job, (extent + chunk - 1) / chunk);
}
