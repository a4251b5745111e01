#ifndef NNM_KERNELS_H
#define NNM_KERNELS_H
/// Hot loops of the NNM engine, in C so one binary can carry an AVX2+FMA path and a portable
/// path and pick one at run time (no compiler flags: the NNM product must stay usable as a
/// versioned dependency, and unsafe flags would forbid that).
///
/// Determinism contract (every path, every blocking, every thread split):
///   C[i][j] = act( (start + Σ_{p=0..K-1} opA[i][p]·opB[p][j]) + bias[j] )
/// where `start` is C[i][j] when accumulating and +0 otherwise, the sum runs over p in
/// increasing order and every step is one correctly rounded fused multiply-add. So the AVX2
/// path and the portable path return the same bits, and so do 1 and N threads (K is never split).
/// The narrow-network kernels below keep this for outputs and input gradients; their batch
/// reductions follow their own fixed split (nnm_narrow_backward), again the same on every path.
///
/// "The same bits" covers every result that is not a NaN, on every path and every instruction
/// set (x86-64 AVX-512, AVX2+FMA and portable; aarch64, checked under qemu by .ci/check-arm64).
/// NaN results are NaN everywhere, but their bit patterns (sign and payload) are NOT part of
/// the contract: an invalid operation (0·∞, ∞ − ∞) yields 0xFFC00000 on x86 and 0x7FC00000 on
/// aarch64, and which operand's payload survives when NaNs meet varies with the instruction
/// set, the path and the compiler's optimisation level. NNM never stores a kernel's NaN: a
/// model with a NaN weight is not saved, and a recorded loss or accuracy that is NaN is written
/// as 0x7FC00000 (NNM's HistoryRecorder), so files stay bit-identical even then.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction set a kernel call may use: a request names the highest allowed, and
/// runs on the best the CPU has at or below it.
typedef enum {
    /// Plain C with `fmaf`: builds everywhere; slow on x86 CPUs without FMA hardware.
    NNM_PATH_PORTABLE = 0,
    /// x86-64 AVX2 + FMA (Haswell, Zen and later).
    NNM_PATH_AVX2_FMA = 1,
    /// x86-64 AVX-512F (Skylake-X, Ice Lake, Zen 4/5): 16-lane FMAs.
    NNM_PATH_AVX512 = 2,
} nnm_path;

/// Activation applied after the bias in the GEMM epilogue.
typedef enum {
    NNM_ACT_NONE = 0,
    /// relu(x) = x if x > 0, else +0 (NaN becomes +0; the same bits on every path).
    NNM_ACT_RELU = 1,
} nnm_activation;

/// 1 when this CPU can run the AVX2+FMA path, else 0 (always 0 off x86-64).
int nnm_cpu_has_avx2_fma(void);

/// 1 when this CPU (and OS) can run the AVX-512F path, else 0 (always 0 off x86-64).
int nnm_cpu_has_avx512f(void);

/// The path a request resolves to on this CPU (the best supported at or below the request).
nnm_path nnm_resolve_path(nnm_path requested);

/// Single-precision GEMM with an optional bias + activation epilogue; row-major storage.
///
/// opA is A (M×K, row stride lda) or, when transA != 0, Aᵀ where A is K×M (row stride lda).
/// opB is B (K×N, row stride ldb) or, when transB != 0, Bᵀ where B is N×K (row stride ldb).
/// C is M×N with row stride ldc. `bias` (length N) may be NULL. Returns the path used.
nnm_path nnm_sgemm(nnm_path path, int transA, int transB,
                   long M, long N, long K,
                   const float *A, long lda,
                   const float *B, long ldb,
                   float *C, long ldc,
                   int accumulate, const float *bias, nnm_activation activation);

/// The same product on two threads: cut into chunks of `chunk` rows (or columns when
/// split_columns) that the calling thread and one helper thread claim one at a time; the helper
/// stays awake briefly between products (much cheaper to wake than a dispatch queue). Returns
/// 1 when done, 0 (nothing written) when the helper is busy with another caller or cannot be
/// started: the caller then runs the product itself. Same bits as nnm_sgemm.
int nnm_sgemm_two_way(nnm_path path, int transA, int transB, long M, long N, long K,
                      const float *A, long lda, const float *B, long ldb, float *C, long ldc,
                      int accumulate, const float *bias, nnm_activation activation,
                      int split_columns, long chunk);

/// A piece of two-way work: runs chunk `index` of a job described by `context`.
typedef void (*nnm_chunk_fn)(void *context, long index);

/// Runs fn(context, 0..chunks-1) on the calling thread (claiming chunks from the front) and the
/// kernels' helper thread (from the back); returns 1 when all are done, 0 (nothing run) when
/// the helper is busy, cannot be started, or has lately seen another program want its core
/// (it backs off then: see pool.c) — the caller then runs the chunks itself. Chunks
/// must write disjoint memory; which thread ran a chunk must not matter to the result.
int nnm_run_two_way(nnm_chunk_fn fn, void *context, long chunks);

/// Work the helper thread does while the caller goes on (the next batch read ahead): posts
/// fn(context, 0) and returns 1 at once, or returns 0 (nothing posted) when the helper is busy
/// or cannot be started. A posted job holds the helper until it is joined: nnm_run_two_way on
/// the same thread joins it first (then shares its own job as usual); two-way work from other
/// threads, and from inside the posted job itself, meanwhile runs on its caller alone. The same
/// thread must join.
int nnm_background_post(nnm_chunk_fn fn, void *context);

/// Finishes the job nnm_background_post posted: runs it on this thread if the helper has not
/// started it, else waits for the helper to end it. Afterwards the job's writes are visible.
void nnm_background_join(void);

/// What the kernels' helper thread has done so far in this process, for tests and benchmarks.
typedef struct {
    long thread_id;     ///< its kernel thread id (Linux; 0 before it starts or elsewhere)
    long jobs_shared;   ///< jobs posted to it (two-way and background)
    long jobs_alone;    ///< jobs its callers ran alone because it had been preempted lately
    long backoffs;      ///< times it found itself preempted and sent its callers alone
    long sleeps;        ///< times it went to sleep after its spin budget
    int asleep;         ///< 1 while it sleeps waiting for a job
} nnm_helper_stats;

/// Fills `out` with the helper's counters (relaxed reads: each value is recent, not a snapshot).
void nnm_helper_statistics(nnm_helper_stats *out);

/// The helper's rule for a sign of a busy neighbour (a preemption, or more threads running than
/// it and its caller), seen at one look: a sign sends the callers alone when the look just
/// before also saw one (`*suspect`, which the call updates; the helper forgets a suspicion
/// after ~8 ms) or when it has backed off since its last look without a sign (a neighbour that
/// stays is met at once); a lone sign only makes the helper suspect. Returns 1 when the callers
/// should go alone. Exposed so tests can check the rule itself.
int nnm_helper_convinced(int sign, int *suspect, int backed_off_lately);

/// For tests: makes `number` the number of the last job posted (jobs are numbered from 1 and
/// the shared ticket keeps their low 32 bits), so a test can cross 2³² without 4 billion posts.
void nnm_helper_set_job_number_for_testing(long number);

/// out[j] = Σ_{r=0..rows-1} m[r][j] (+0 start, rows in increasing order, plain adds).
void nnm_sum_columns(nnm_path path, long rows, long columns, const float *m, long ldm,
                     float *out);

/// Widest layer and most layers the narrow-network kernels take.
#define NNM_NARROW_MAX 32
#define NNM_NARROW_MAX_LAYERS 8

/// One dense layer for the narrow-network kernels: y = act(x · weightᵀ + bias).
typedef struct {
    long inputs, outputs;      ///< both in 1...NNM_NARROW_MAX; inputs == previous outputs
    const float *weight;       ///< [outputs][inputs], row-major (the .nnm layout)
    const float *bias;         ///< [outputs], or NULL for none
    nnm_activation activation; ///< applied after the bias (the last layer usually NONE)
    float *output;             ///< [batch][outputs] row-major, written by forward; may be NULL
    float *weight_grad;        ///< [outputs][inputs]: written by backward
    float *bias_grad;          ///< [outputs]: written by backward
} nnm_dense_layer;

/// Samples per block of the narrow kernels, and the number of interleaved partial sums of
/// their batch reductions. A constant of the algorithm, not of the vector width: one AVX-512
/// register, two AVX2 registers, or a C loop on the portable path all hold the same 16.
#define NNM_NARROW_LANES 16

/// Floats of the "lanes" buffer nnm_narrow_forward fills and nnm_narrow_backward reads:
/// ceil(batch/16)·16 · (inputs + Σ outputs). -1 when the shapes are out of range.
long nnm_narrow_lanes_floats(long batch, long count, const nnm_dense_layer *layers);

/// Forward pass of a whole narrow network (every width ≤ 32), 16 samples across the vector
/// lanes, block by block through all layers. Stores the input and every layer's output in
/// `lanes` (nnm_narrow_lanes_floats floats; block b, unit o, sample s at row-of-16 layout) and
/// writes each layer's row-major `output` whose pointer is not NULL. Each output element's bits
/// equal those of running nnm_sgemm layer by layer (x · Wᵀ from +0, FMA over inputs in order,
/// + bias, activation). Returns 0, or -1 (nothing written) when the shapes are out of range.
/// With `threads` ≥ 2 and a batch of at least 2048, the second half of the blocks (see
/// nnm_narrow_backward) runs on the kernels' helper thread; the bits never depend on `threads`.
int nnm_narrow_forward(nnm_path path, long batch, const float *x, long count,
                       const nnm_dense_layer *layers, float *lanes, int threads);

/// nnm_narrow_forward followed by binary cross-entropy on the last layer's one output (its
/// row-major `output`, which must be set): grad, prob and *loss exactly as
/// nnm_bce_logits(path, batch, output, labels, inverse_batch, grad, prob, threads) gives them,
/// each half's rows on the thread that computed their logits (no second pass over the batch).
/// Returns 0, or -1 (nothing written) when the shapes are out of range or the last layer does
/// not have one output.
int nnm_narrow_forward_bce(nnm_path path, long batch, const float *x, long count,
                           const nnm_dense_layer *layers, float *lanes, const long *labels,
                           float inverse_batch, float *grad, float *prob, double *loss, int threads);

/// Backward pass after nnm_narrow_forward (same `lanes`, batch and layers): given dLoss/dOutput
/// of the last layer (`output_grad`, [batch][last outputs], taken as the gradient of the last
/// layer's pre-activation — the last layer's activation is NONE or folded into the loss),
/// writes every layer's weight_grad and bias_grad.
///
/// δ_prev[r][i] = (Σ_o δ[r][o]·W[o][i] from +0, FMA, o increasing), set to +0 where the previous
/// layer's ReLU output is not > 0 — the same bits as nnm_sgemm(δ, W) + the ReLU mask.
///
/// The batch reductions are NOT the single in-order chain of nnm_sgemm(δᵀ, input). The batch's
/// B = ceil(batch/16) blocks of 16 samples are cut into two halves, blocks [0, H) and [H, B)
/// with H = ceil(B/2) (the second half is empty when B = 1). In each half, every sum is split
/// into NNM_NARROW_LANES (16) interleaved partial sums: sample r (0-based row of the batch) goes
/// to partial r mod 16; every partial starts at +0 and takes the half's samples in increasing r,
/// with one FMA per sample for weight_grad[o][i] (p ← fma(δ[r][o], input[r][i], p)) and one add
/// for bias_grad[o] (p ← p + δ[r][o]). The halves are added lane by lane, p[j] = first[j] +
/// second[j], and the 16 sums are combined by the fixed pairwise tree p[j] ← p[j] + p[j+h] for
/// h = 8, 4, 2, 1 (j = 0..h−1, in that order); the result is p[0]. Every path (AVX-512, AVX2,
/// portable) and every thread count computes exactly this; with `threads` ≥ 2 and a batch of
/// at least 2048 the second half runs on the helper thread. Returns 0, or -1 when the shapes
/// are out of range or scratch memory is unavailable.
int nnm_narrow_backward(nnm_path path, long batch, long count, const nnm_dense_layer *layers,
                        const float *lanes, const float *output_grad, int threads);

/// A whole training step's kernels for a narrow network whose last layer has one output and
/// whose loss is binary cross-entropy: nnm_narrow_forward_bce, then nnm_narrow_backward from
/// its `grad` (which must be set), with the bits of those two calls; each half of the batch goes
/// forward and back on one thread, so with two threads the helper is handed work once instead
/// of twice. When `correct` is not NULL (`prob` must then be set) it receives the number of rows
/// whose (prob ≥ 0.5 ? 1 : 0) equals the label, as nnm_binary_correct counts them. Returns 0,
/// or -1 (with every output unspecified) when the shapes are out of range, the last layer does
/// not have one output, a pointer is missing or scratch memory is unavailable.
int nnm_narrow_step_bce(nnm_path path, long batch, const float *x, long count,
                        const nnm_dense_layer *layers, float *lanes, const long *labels,
                        float inverse_batch, float *grad, float *prob, double *loss, long *correct,
                        int threads);

/// The logistic function y[i] = σ(x[i]): 1/(1 + e) for x ≥ 0 and e/(1 + e) otherwise, with
/// e = nnm_exp_nonpositive(−|x|) (one IEEE division). σ(NaN) = NaN, σ(±∞) = 1 or 0.
/// The same bits on every path (spec/training.md §4 defines every step).
void nnm_logistic(nnm_path path, long n, const float *x, float *y);

/// y[i] = e^x[i] for x[i] ≤ 0, NNM's own (not libm's): Cody–Waite reduction, a degree-7
/// polynomial, exact scaling; below −104 it returns 0, NaN stays NaN. Positive inputs are
/// outside its domain (their result is unspecified). Within 1 ulp of e^x (measured by the tests).
void nnm_exp_nonpositive(nnm_path path, long n, const float *x, float *y);

/// y[i] = e^x[i], log x[i], cos x[i], sin x[i] in binary64 for every i: nnm_exp, nnm_log,
/// nnm_cos, nnm_sin (nnm_math.h, spec/math.md §3–5) lane by lane, the same bits on every path
/// and for every n (the kernels run several arguments through the scalar steps at once). x and
/// y may be the same array.
void nnm_exp_many(nnm_path path, long n, const double *x, double *y);
void nnm_log_many(nnm_path path, long n, const double *x, double *y);
void nnm_cos_many(nnm_path path, long n, const double *x, double *y);
void nnm_sin_many(nnm_path path, long n, const double *x, double *y);

/// y[i] = log(1 + x[i]) for 0 ≤ x[i] ≤ 1, NNM's own: f ∈ [−0.25, 0.5) from an exact reduction,
/// then 2·atanh(f/(2 + f)) by its series to the 9th power. Other inputs are outside its domain.
void nnm_log1p_unit(nnm_path path, long n, const float *x, float *y);

/// Binary cross-entropy from logits, one logit per row, for a batch of `rows` samples with
/// labels 0 or 1. Per sample (float32): e = nnm_exp_nonpositive(−|z|),
/// loss = (max(z, 0) − z·t) + nnm_log1p_unit(e), p = σ(z) as nnm_logistic computes it (same
/// bits), and, when `grad` is not NULL, grad[r] = (p − t)·inverse_batch; `prob` (may be NULL)
/// receives p. A label other than 0 or 1 adds nothing and gets gradient 0.
/// Returns Σ loss in binary64, summed as the narrow kernels sum a batch: the rows in two halves
/// of 16-row blocks, [0, 16·H) and [16·H, rows) with H = ⌈⌈rows/16⌉/2⌉; in each half 16
/// interleaved partial sums (sample r into partial r mod 16, each from +0 in increasing r);
/// the halves' partials added lane by lane (first + second), then the pairwise tree of
/// nnm_narrow_backward. With threads ≥ 2 and at least 2048 rows the kernels' helper thread
/// runs the second half; the bits never depend on it.
/// A NaN logit gives a NaN sum (z·t is NaN), so divergence is always seen.
double nnm_bce_logits(nnm_path path, long rows, const float *z, const long *labels,
                      float inverse_batch, float *grad, float *prob, int threads);

/// The number of rows r with (y[r] ≥ 0.5 ? 1 : 0) == labels[r]: a one-output classifier's
/// correct predictions (an integer count: the same on every path by construction).
long nnm_binary_correct(nnm_path path, long rows, const float *y, const long *labels);

/// y[i] = (float)x[i] / 255 for n bytes: an IDX file's pixels on their way into a batch.
/// One exact conversion and one IEEE division each: the same bits on every path, and the
/// same as Swift's `Float(byte) / 255`. x and y must not overlap.
void nnm_unit_bytes(nnm_path path, long n, const unsigned char *x, float *y);

/// sums[j] += (double)x[r·width + j] for r = 0, 1, …, rows − 1 in that order (a Standardize
/// layer's mean): lanes across columns only, so every path gives a scalar loop's bits.
void nnm_column_sums(nnm_path path, long rows, long width, const float *x, double *sums);

/// squares[j] += d·d with d = (double)x[r·width + j] − mean[j], rows in order, the product and
/// the sum each rounded (no FMA): a Standardize layer's variance, the same bits on every path.
void nnm_column_squared_deviations(nnm_path path, long rows, long width, const float *x, const double *mean,
                                   double *squares);

/// nnm_unit_bytes over `rows` rows of `width` bytes, row r at base + offsets[r], into y's rows
/// in order; each row is fetched from memory a few rows ahead. y must not overlap the rows.
void nnm_unit_byte_rows(nnm_path path, long rows, long width, const unsigned char *base, const long *offsets,
                        float *y);

/// nnm_column_sums and nnm_column_squared_deviations over pixel bytes, each byte taken as
/// (float)byte / 255 (nnm_unit_bytes' value), with the same bits as converting the rows first
/// and summing the floats. Row r is the `columns` bytes at base + offsets[r]; offsets may repeat
/// and need not be sorted, and every row must hold `columns` readable bytes.
void nnm_unit_byte_column_sums(nnm_path path, long rows, long columns, const unsigned char *base,
                               const long *offsets, double *sums);
void nnm_unit_byte_column_squared_deviations(nnm_path path, long rows, long columns, const unsigned char *base,
                                             const long *offsets, const double *mean, double *squares);

/// y[r·width + j] = (x[r·width + j] − mean[j]) · scale[j], the difference and the product each
/// rounded (no FMA): a Standardize layer's forward pass, the same bits on every path and as the
/// scalar expression. x and y must not overlap.
void nnm_standardize_rows(nnm_path path, long rows, long width, const float *x, const float *mean,
                          const float *scale, float *y);

/// Floats each row of nnm_linear_row's transposed weight is padded to a multiple of.
#define NNM_LINEAR_ROW_PAD 16

/// One sample through a dense layer, for one-sample prediction: y[j] = act(Σ_p x[p]·wt[p][j] +
/// bias[j]) for j < N, where wt is the layer's weight transposed (K rows of ldw floats, ldw ≥ N a
/// multiple of NNM_LINEAR_ROW_PAD, padding columns any finite value, typically 0). Each output
/// is the FMA chain of nnm_sgemm's contract (from +0, p increasing, then + bias when bias is
/// not NULL, then the activation): the same bits as nnm_sgemm(x, Wᵀ) with the same bias and
/// activation, on every path. Does nothing when a size or pointer is invalid.
void nnm_linear_row(nnm_path path, long K, long N, const float *x, const float *wt, long ldw,
                    const float *bias, nnm_activation activation, float *y);

/// The update rules of the optimizers (spec/training.md §4b).
typedef enum { NNM_OPT_SGD = 0, NNM_OPT_MOMENTUM = 1, NNM_OPT_NESTEROV = 2, NNM_OPT_ADAM = 3 } nnm_optimizer;

/// One step's hyperparameters: learning rate, L2 decay λ (0 for biases), μ, Adam's β₁, β₂, ε
/// and bias corrections 1 − βᵗ.
typedef struct {
    float lr, decay, mu, beta1, beta2, epsilon, correction1, correction2;
} nnm_optimizer_settings;

/// Steps n parameters w with gradients g in place; m (velocity or first moment) for every
/// rule but SGD, v (second moment) for Adam. Each element is computed in the formula's
/// operation order with separate roundings (no contraction): the same bits on every path as
/// the scalar formulas.
void nnm_optimizer_step(nnm_path path, nnm_optimizer kind, long n, float *w, const float *g,
                        float *m, float *v, const nnm_optimizer_settings *settings);

#ifdef __cplusplus
}
#endif
#endif
