/* One helper thread for two-way work on small machines: products (nnm_sgemm_two_way) and the
 * narrow-network passes (kernels.c), both through nnm_run_two_way.
 *
 * DispatchQueue.concurrentPerform costs ~25 µs to wake and join a second thread here, which
 * is more than a whole W3 layer product takes. This helper spins for a short while after each
 * job (so the next job of a training step finds it awake) and then sleeps on a condition
 * variable. A job is cut into chunks that the calling thread claims from the front and the
 * helper from the back, one at a time: a helper that wakes late costs at most the chunk it is
 * running, and with two chunks each thread keeps "its" half from job to job (the narrow passes
 * rely on that to keep their data in the core's own cache). Only one job at a time uses the
 * helper: a second caller finds it busy and runs alone. Results never depend on who ran a chunk.
 *
 * A background job (nnm_background_post / _join: the trainer reading its next batch) is the
 * same machinery with one chunk that the caller does not claim until it joins: if the helper
 * has not started it by then, the caller runs it, so a helper delayed by another program costs
 * nothing but the overlap.
 *
 * A busy neighbour. When another program wants the other core, a helper that stays runnable
 * (spinning between the jobs of a training step, which come microseconds apart) takes a third
 * of the CPU the calling thread would otherwise have, and a chunk it claimed just before being
 * preempted keeps the caller waiting for a scheduler slice: two threads ran 39 % slower than one.
 * So the helper watches its own involuntary context switches (getrusage, at most once per clock
 * tick): one means another thread wanted its core, and the callers then run alone for a while
 * (4 ms, doubling up to 256 ms while it keeps happening), the helper asleep. A tick of work
 * without one ends the back-off. A first sign is taken on a second look (nnm_helper_convinced):
 * on a quiet machine a system thread preempts the helper ~30 times a second, and going alone
 * for each blip sent 8-16 % of W1's passes alone. The caller never spins long either: after a
 * short spin it sleeps until the helper's last chunk is done. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "nnm_kernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#define NNM_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define NNM_PAUSE() __asm__ __volatile__("yield")
#else
#define NNM_PAUSE() ((void)0)
#endif

#if defined(CLOCK_MONOTONIC_COARSE)
#define NNM_COARSE_CLOCK CLOCK_MONOTONIC_COARSE
#else
#define NNM_COARSE_CLOCK CLOCK_MONOTONIC
#endif

static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int started;                       /* written once under start_once */
static _Atomic long helper_tid;           /* the helper's kernel thread id (Linux), for tests */
static _Atomic long posted;               /* number of the job last posted */
static _Atomic int sleeping;              /* the helper waits on `wake` */
static _Atomic int caller_waiting;        /* the caller waits on `done` */
/* The job being shared: written by the submitter before it publishes `ticket`, read by the
 * helper only after it has claimed a chunk of that job (so never while it is rewritten). */
static nnm_chunk_fn shared_fn;
static void *shared_context;
/* Atomic (sequentially consistent, like the ticket's updates) because a helper back from the
 * last chunk of the old job may read it while a new job is being posted: see post(). */
static _Atomic long shared_chunks;
/* (job_bits(job) << 32) | (chunks claimed from the back << 16) | chunks claimed from the front;
 * claiming is one compare-and-swap, so a helper that wakes late for an old job claims nothing. */
static _Atomic unsigned long long ticket;
static _Atomic long chunks_done;
/* Coarse-clock time (ns) before which callers run alone: the helper saw a busy neighbour. */
static _Atomic long long alone_until;
static _Atomic long stat_shared, stat_alone, stat_backoffs, stat_sleeps;

/* Spin budgets, in time rather than pause instructions (a pause takes ~10 cycles on one CPU and
 * ~140 on another): the helper spins HELPER_SPIN_NS after a job before it sleeps, the ~100 µs
 * the old 4000 pauses gave on the AVX-512 box, enough to cover the gaps inside a training step
 * (loss, optimizer, the next batch) and short enough to sleep through the gaps between runs
 * (bench/README.md, "Threads that never hurt", says what the shared box let us measure); the
 * caller spins CALLER_SPIN_NS for the helper's last chunk, then sleeps. A back-off runs from
 * BACKOFF_MIN_NS to BACKOFF_MAX_NS: one probe of a few ms per 256 ms costs a busy run ~2 %. */
enum { COUNT_BITS = 16, JOB_SHIFT = 32, PAUSES_PER_CLOCK_READ = 32 };
static const long long HELPER_SPIN_NS = 100000, CALLER_SPIN_NS = 50000;
static const long long BACKOFF_MIN_NS = 4000000, BACKOFF_MAX_NS = 256000000;
/* How long a lone sign stays a suspicion: the next look or two at one per coarse tick (~4 ms). */
static const long long SUSPICION_NS = 2 * BACKOFF_MIN_NS;

static long long clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The ticket keeps a job number's low 32 bits (job numbers count every post, and pass 2³²
 * after about 12 hours of training at 10⁵ posts a second); 0 stands for no job. */
static unsigned long long job_bits(long job) { return (unsigned long long)job & 0xffffffffull; }

/* Claims the next chunk of `job` from the front (the caller) or the back (the helper), or
 * returns -1 when the job is gone or fully claimed. */
static long claim(long job, int from_back) {
    const unsigned long long mask = (1ull << COUNT_BITS) - 1;
    unsigned long long t = atomic_load_explicit(&ticket, memory_order_acquire);
    for (;;) {
        if ((t >> JOB_SHIFT) != job_bits(job)) return -1;
        long front = (long)(t & mask), back = (long)((t >> COUNT_BITS) & mask);
        long chunks = atomic_load(&shared_chunks);
        if (front + back >= chunks) return -1;
        unsigned long long next = from_back ? t + (1ull << COUNT_BITS) : t + 1;
        /* Fails when a new job's post has begun since t was read (post() closes the ticket
         * before it writes the new count), so `chunks` is this job's count on success. */
        if (atomic_compare_exchange_weak(&ticket, &t, next))
            return from_back ? chunks - 1 - back : front;
    }
}

/* Marks one chunk done; wakes a caller that went to sleep waiting for it. The seq_cst pair
 * (this add, then the load of caller_waiting; the caller's store, then its load of
 * chunks_done) means one of the two sees the other. */
static void chunk_done(void) {
    atomic_fetch_add(&chunks_done, 1);
    if (atomic_load(&caller_waiting)) {
        pthread_mutex_lock(&done_lock);
        pthread_cond_signal(&done);
        pthread_mutex_unlock(&done_lock);
    }
}

static void work_on(long job, int from_back) {
    long index;
    while ((index = claim(job, from_back)) >= 0) {
        shared_fn(shared_context, index);
        if (from_back) chunk_done();
        else atomic_fetch_add(&chunks_done, 1);
    }
}

/* Whether callers run alone now (the helper was preempted a moment ago). */
static int backing_off(void) {
    return clock_ns(NNM_COARSE_CLOCK) < atomic_load_explicit(&alone_until, memory_order_relaxed);
}

/* The helper's watch for a busy neighbour, checked at most once per coarse clock tick of the
 * helper being awake: its own involuntary context switches since the last check (another
 * thread wanted its core), and the number of threads the kernel has running right now
 * (/proc/loadavg's fourth field, Linux) beyond the helper and its caller. */
typedef struct {
    long long window_start;   /* coarse ns; the window restarts when the helper wakes */
    long switches;            /* ru_nivcsw at window_start */
    long long backoff;        /* the next back-off's length */
    int loadavg;              /* an open /proc/loadavg, or -1 */
    int suspect;              /* the last look saw a sign that did not yet send callers alone */
    long long suspect_at;     /* coarse ns of that look */
} neighbour_watch;

static long involuntary_switches(void) {
#if defined(RUSAGE_THREAD)
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) == 0) return usage.ru_nivcsw;
#endif
    return 0;
}

/* Threads running system-wide, read from "0.50 0.40 0.30 3/512 1234"; 0 when unknown. */
static long running_threads(int loadavg) {
    char text[128];
    if (loadavg < 0) return 0;
    ssize_t length = pread(loadavg, text, sizeof text - 1, 0);
    if (length <= 0) return 0;
    text[length] = 0;
    const char *p = text;
    for (int field = 0; field < 3 && p; field++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    return p ? strtol(p, 0, 10) : 0;
}

/* Whether another program wants a core now: more threads running than the helper and its
 * caller (the caller is assumed to run: it posted the job the helper just did). */
static int neighbour_running(const neighbour_watch *w) {
    return running_threads(w->loadavg) > 2;
}

static void watch_restart(neighbour_watch *w) {
    w->window_start = clock_ns(NNM_COARSE_CLOCK);
    w->switches = involuntary_switches();
}

/* Sends the callers alone for the next back-off, then doubles it. */
static void back_off(neighbour_watch *w, long long now) {
    atomic_store_explicit(&alone_until, now + w->backoff, memory_order_relaxed);
    atomic_fetch_add_explicit(&stat_backoffs, 1, memory_order_relaxed);
    w->backoff = w->backoff * 2 < BACKOFF_MAX_NS ? w->backoff * 2 : BACKOFF_MAX_NS;
}

int nnm_helper_convinced(int sign, int *suspect, int backed_off_lately) {
    int convinced = sign && (*suspect || backed_off_lately);
    *suspect = sign && !convinced;
    return convinced;
}

/* Whether this look's sign of a neighbour sends the callers alone (nnm_helper_convinced). A
 * suspicion counts for the next look only if that comes within SUSPICION_NS: looks on either
 * side of a sleep are not "in a row". */
static int convinced_by(neighbour_watch *w, int sign, long long now) {
    if (w->suspect && now - w->suspect_at > SUSPICION_NS) w->suspect = 0;
    int convinced = nnm_helper_convinced(sign, &w->suspect, w->backoff > BACKOFF_MIN_NS);
    if (w->suspect) w->suspect_at = now;
    return convinced;
}

/* Called after each job and before sleeping: at the end of a window, a preemption or a
 * running neighbour starts (or lengthens) a back-off once it convinces the helper; a window
 * without either resets it. */
static void watch_check(neighbour_watch *w) {
    long long now = clock_ns(NNM_COARSE_CLOCK);
    if (now == w->window_start) return;   /* the coarse clock has not ticked yet */
    long switches = involuntary_switches();
    int sign = switches != w->switches || neighbour_running(w);
    if (convinced_by(w, sign, now)) back_off(w, now);
    else if (!sign) w->backoff = BACKOFF_MIN_NS;
    w->window_start = now;
    w->switches = switches;
}

/* Just woken for a job: when a neighbour runs (and convinces the helper), the callers go alone
 * again at once (the helper leaves this job to its caller) instead of after a tick of shared
 * work. Returns 1 then. */
static int watch_woken(neighbour_watch *w) {
    watch_restart(w);
    if (!convinced_by(w, neighbour_running(w), w->window_start)) return 0;
    back_off(w, w->window_start);
    return 1;
}

/* Waits for a job newer than `seen`: spins up to HELPER_SPIN_NS (none while callers back off),
 * then sleeps on `wake`. Returns the job's number, negated when the helper should leave it
 * to its caller (it woke to find a neighbour running). */
static long wait_for_job(long seen, neighbour_watch *w) {
    long job = atomic_load_explicit(&posted, memory_order_acquire);
    if (job != seen) return job;
    long long deadline = backing_off() ? 0 : clock_ns(CLOCK_MONOTONIC) + HELPER_SPIN_NS;
    for (long i = 1; job == seen; i++) {
        NNM_PAUSE();
        job = atomic_load_explicit(&posted, memory_order_acquire);
        if (i % PAUSES_PER_CLOCK_READ == 0 && clock_ns(CLOCK_MONOTONIC) >= deadline) break;
    }
    if (job != seen) return job;
    watch_check(w);   /* a preemption while spinning counts too */
    pthread_mutex_lock(&wake_lock);
    atomic_store(&sleeping, 1);
    atomic_fetch_add_explicit(&stat_sleeps, 1, memory_order_relaxed);
    while ((job = atomic_load(&posted)) == seen) pthread_cond_wait(&wake, &wake_lock);
    atomic_store(&sleeping, 0);
    pthread_mutex_unlock(&wake_lock);
    /* Time asleep is no evidence either way; a neighbour running now is. */
    return watch_woken(w) ? -job : job;
}

static void *helper_main(void *unused) {
    (void)unused;
#if defined(__linux__)
    atomic_store(&helper_tid, (long)syscall(SYS_gettid));
    pthread_setname_np(pthread_self(), "nnm-helper");
#endif
    neighbour_watch watch = {.backoff = BACKOFF_MIN_NS, .loadavg = -1};
#if defined(__linux__)
    watch.loadavg = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
#endif
    watch_restart(&watch);
    long seen = 0;
    for (;;) {
        long job = wait_for_job(seen, &watch);
        if (job < 0) {   /* left to the caller */
            seen = -job;
            continue;
        }
        seen = job;
        work_on(job, 1);
        watch_check(&watch);
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
    if (!job) return 0;   /* helper busy or backing off: the caller goes alone */
    /* Work alongside the helper; if it is slow to wake, this thread takes every chunk. */
    join(job, chunks);
    return 1;
}

/* Posts a job without working on it: the caller keeps submit_lock until it joins. */
static long post(nnm_chunk_fn fn, void *context, long chunks) {
    if (backing_off()) {
        atomic_fetch_add_explicit(&stat_alone, 1, memory_order_relaxed);
        return 0;
    }
    if (pthread_mutex_trylock(&submit_lock) != 0) return 0;   /* helper busy */
    pthread_once(&start_once, start_helper);
    if (!started) {
        pthread_mutex_unlock(&submit_lock);
        return 0;
    }
    /* Close the old job's ticket before its chunk count changes: a helper that read the old
     * ticket, then this count, would otherwise claim a chunk the old job does not have and run
     * one of this job's chunks under it (run twice, counted three times: the caller then waits
     * forever). With the ticket closed first, such a claim's compare-and-swap fails. */
    atomic_store(&ticket, 0);
    shared_fn = fn;
    shared_context = context;
    atomic_store(&shared_chunks, chunks);
    atomic_store_explicit(&chunks_done, 0, memory_order_relaxed);
    long job = atomic_load(&posted) + 1;
    if (job_bits(job) == 0) job++;   /* a ticket of 0 is a closed one */
    atomic_store_explicit(&ticket, job_bits(job) << JOB_SHIFT, memory_order_release);
    atomic_store_explicit(&posted, job, memory_order_release);
    /* Taking the lock orders this post against the helper's check-then-wait, so a helper
     * about to sleep either sees the job or is already waiting and gets the signal. */
    pthread_mutex_lock(&wake_lock);
    if (atomic_load(&sleeping)) pthread_cond_signal(&wake);
    pthread_mutex_unlock(&wake_lock);
    atomic_fetch_add_explicit(&stat_shared, 1, memory_order_relaxed);
    return job;
}

/* Sleeps until the helper has marked every chunk of the job done. */
static void sleep_until_done(long chunks) {
    pthread_mutex_lock(&done_lock);
    atomic_store(&caller_waiting, 1);
    while (atomic_load(&chunks_done) != chunks) pthread_cond_wait(&done, &done_lock);
    atomic_store(&caller_waiting, 0);
    pthread_mutex_unlock(&done_lock);
}

/* Works on the chunks of `job` that are still free, waits for the rest (spinning up to
 * CALLER_SPIN_NS, then asleep: a helper preempted mid-chunk then gets this core), frees the
 * helper. */
static void join(long job, long chunks) {
    work_on(job, 0);
    long long deadline = 0;
    for (long i = 1; atomic_load_explicit(&chunks_done, memory_order_acquire) != chunks; i++) {
        NNM_PAUSE();
        if (i % PAUSES_PER_CLOCK_READ != 0) continue;
        long long now = clock_ns(CLOCK_MONOTONIC);
        if (!deadline) deadline = now + CALLER_SPIN_NS;
        else if (now >= deadline) {
            sleep_until_done(chunks);
            break;
        }
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
    long job = background_job;
    if (!job) return;
    /* Cleared before joining: when the helper has not started the job, this thread runs it
     * (join), and two-way work inside it (a large batch's read) must then run alone, not join
     * the very job it is part of and wait for itself. Its post finds submit_lock taken. */
    background_job = 0;
    join(job, 1);
}

void nnm_helper_set_job_number_for_testing(long number) {
    if (number < 0) return;
    pthread_mutex_lock(&submit_lock);   /* no job in flight while the count moves */
    atomic_store(&posted, number);
    pthread_mutex_unlock(&submit_lock);
}

void nnm_helper_statistics(nnm_helper_stats *out) {
    if (!out) return;
    out->thread_id = atomic_load(&helper_tid);
    out->jobs_shared = atomic_load(&stat_shared);
    out->jobs_alone = atomic_load(&stat_alone);
    out->backoffs = atomic_load(&stat_backoffs);
    out->sleeps = atomic_load(&stat_sleeps);
    out->asleep = atomic_load(&sleeping);
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
