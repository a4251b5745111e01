/* The bits of every C kernel and of NNM's elementary functions on fixed inputs, one line per
 * check: `name hash` (FNV-1a 64 over the result bytes). .ci/check-arm64 builds this for x86-64
 * (run on every kernel path the CPU has) and for aarch64 (run under qemu) and demands identical
 * lines. Checks whose inputs contain or produce NaNs print `name raw=HASH canonical=HASH`:
 * `canonical` (every NaN replaced by 0x7FC00000 / 0x7FF8000000000000) must agree; `raw` may
 * not, which is the documented NaN exception (nnm_kernels.h, spec/training.md §4a).
 *
 * Usage: kernel_bits PATH   (PATH = portable | avx2 | avx512; the line "path X" says what ran)
 *        kernel_bits --training   a short narrow-network training run (forward, bce, backward,
 *                                 Adam with NNM's pow, cosine schedule) from NNM's own normal
 *                                 draws of circles points: the final weights' hash per step */
#include "nnm_kernels.h"
#include "nnm_math.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Inputs are computed here too: no fused multiply-add behind our back (aarch64 would otherwise
 * fuse `a + b * c` and feed the kernels other arguments than x86-64 does). */
#pragma clang fp contract(off)

static nnm_path path_in_use;

/* ---- hashing ---- */

static uint64_t fnv(uint64_t h, const void *data, size_t bytes) {
    const unsigned char *p = data;
    for (size_t i = 0; i < bytes; i++) { h ^= p[i]; h *= 0x100000001b3ULL; }
    return h;
}
#define FNV_START 0xcbf29ce484222325ULL

static uint64_t hash_floats(const float *x, long n, int canonical) {
    uint64_t h = FNV_START;
    for (long i = 0; i < n; i++) {
        uint32_t b; memcpy(&b, &x[i], 4);
        if (canonical && x[i] != x[i]) b = 0x7fc00000u;
        h = fnv(h, &b, 4);
    }
    return h;
}

static uint64_t hash_doubles(const double *x, long n, int canonical) {
    uint64_t h = FNV_START;
    for (long i = 0; i < n; i++) {
        uint64_t b; memcpy(&b, &x[i], 8);
        if (canonical && x[i] != x[i]) b = 0x7ff8000000000000ULL;
        h = fnv(h, &b, 8);
    }
    return h;
}

static int has_nan(const float *x, long n) {
    for (long i = 0; i < n; i++) if (x[i] != x[i]) return 1;
    return 0;
}

static void report(const char *name, const float *x, long n) {
    if (has_nan(x, n)) printf("%s raw=%016llx canonical=%016llx\n", name,
                              (unsigned long long)hash_floats(x, n, 0), (unsigned long long)hash_floats(x, n, 1));
    else printf("%s %016llx\n", name, (unsigned long long)hash_floats(x, n, 0));
}

/* ---- inputs: xorshift64* values of mixed magnitude ---- */

static uint64_t state = 0x9E3779B97F4A7C15ULL;
static uint64_t next_u64(void) {
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}
static float next_float(float scale) {
    return scale * ((float)(int32_t)(next_u64() >> 32) / 2147483648.0f);
}
static float *random_floats(long n, float scale) {
    float *x = malloc((size_t)n * sizeof *x);
    if (!x) { perror("malloc"); exit(2); }
    for (long i = 0; i < n; i++) x[i] = next_float(scale);
    return x;
}

/* ---- checks ---- */

static void check_gemm(void) {
    static const long shapes[][3] = { {1, 1, 1}, {7, 13, 5}, {33, 47, 29}, {64, 64, 64},
                                       {100, 37, 300}, {5, 200, 17}, {130, 20, 260} };
    char name[96];
    for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        long m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = random_floats(m * k, 2.0f), *b = random_floats(k * n, 0.5f), *bias = random_floats(n, 1.0f);
        float *c = malloc((size_t)(m * n) * sizeof *c);
        for (int variant = 0; variant < 16; variant++) {
            int ta = variant & 1, tb = (variant >> 1) & 1, acc = (variant >> 2) & 1, act = (variant >> 3) & 1;
            for (long i = 0; i < m * n; i++) c[i] = (float)i * 0.001f;
            nnm_sgemm(path_in_use, ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c, n, acc,
                      act ? bias : NULL, act ? NNM_ACT_RELU : NNM_ACT_NONE);
            snprintf(name, sizeof name, "sgemm %ldx%ldx%ld ta%d tb%d acc%d bias+relu%d", m, n, k, ta, tb, acc, act);
            report(name, c, m * n);
        }
        nnm_sum_columns(path_in_use, m, n, c, n, bias);
        snprintf(name, sizeof name, "sum_columns %ldx%ld", m, n);
        report(name, bias, n);
        free(a); free(b); free(bias); free(c);
    }
}

static void check_elementwise(void) {
    long n = 200003;
    float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    for (long i = 0; i < n; i++) x[i] = -110.0f * (float)i / (float)n;
    nnm_exp_nonpositive(path_in_use, n, x, y);
    report("exp_nonpositive [-110,0]", y, n);
    for (long i = 0; i < n; i++) x[i] = (float)i / (float)(n - 1);
    nnm_log1p_unit(path_in_use, n, x, y);
    report("log1p_unit [0,1]", y, n);
    for (long i = 0; i < n; i++) x[i] = -40.0f + 80.0f * (float)i / (float)n;
    nnm_logistic(path_in_use, n, x, y);
    report("logistic [-40,40]", y, n);
    long *labels = malloc((size_t)n * sizeof *labels);
    for (long i = 0; i < n; i++) labels[i] = (long)(next_u64() & 1);
    float *grad = malloc((size_t)n * sizeof *grad);
    double loss = nnm_bce_logits(path_in_use, n, x, labels, 1.0f / (float)n, grad, y, 1);
    report("bce_logits gradient", grad, n);
    report("bce_logits probability", y, n);
    printf("bce_logits loss %016llx\n", (unsigned long long)hash_doubles(&loss, 1, 0));
    printf("binary_correct %ld\n", nnm_binary_correct(path_in_use, n, y, labels));
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
    nnm_unit_bytes(path_in_use, 256, bytes, y);
    report("unit_bytes", y, 256);
    free(x); free(y); free(labels); free(grad);
}

static void check_optimizers(void) {
    long n = 1001;
    char name[64];
    for (int kind = NNM_OPT_SGD; kind <= NNM_OPT_ADAM; kind++) {
        float *w = random_floats(n, 1.0f), *g = random_floats(n, 0.1f);
        float *m = calloc((size_t)n, sizeof *m), *v = calloc((size_t)n, sizeof *v);
        for (int t = 1; t <= 5; t++) {
            nnm_optimizer_settings settings = { 0.01f, 0.001f, 0.9f, 0.9f, 0.999f, 1e-8f,
                                                (float)(1 - nnm_pow_whole(0.9, (uint64_t)t)),
                                                (float)(1 - nnm_pow_whole(0.999, (uint64_t)t)) };
            nnm_optimizer_step(path_in_use, (nnm_optimizer)kind, n, w, g, m, v, &settings);
        }
        snprintf(name, sizeof name, "optimizer %d weights", kind);
        report(name, w, n);
        free(w); free(g); free(m); free(v);
    }
}

/* A 2-16-16-1 relu network on `batch` points: forward with bce, backward; the gradients. */
static void check_narrow(long batch, int threads) {
    float *x = random_floats(batch * 2, 1.5f);
    float *w1 = random_floats(32, 1.0f), *b1 = random_floats(16, 0.1f);
    float *w2 = random_floats(256, 0.5f), *b2 = random_floats(16, 0.1f);
    float *w3 = random_floats(16, 0.5f), *b3 = random_floats(1, 0.1f);
    float *o1 = malloc((size_t)batch * 16 * sizeof(float)), *o2 = malloc((size_t)batch * 16 * sizeof(float));
    float *o3 = malloc((size_t)batch * sizeof(float));
    float gw1[32], gb1[16], gw2[256], gb2[16], gw3[16], gb3[1];
    nnm_dense_layer layers[3] = {
        { 2, 16, w1, b1, NNM_ACT_RELU, o1, gw1, gb1 },
        { 16, 16, w2, b2, NNM_ACT_RELU, o2, gw2, gb2 },
        { 16, 1, w3, b3, NNM_ACT_NONE, o3, gw3, gb3 },
    };
    long lanes_count = nnm_narrow_lanes_floats(batch, 3, layers);
    float *lanes = malloc((size_t)lanes_count * sizeof(float));
    long *labels = malloc((size_t)batch * sizeof(long));
    for (long i = 0; i < batch; i++) labels[i] = (long)(next_u64() & 1);
    float *grad = malloc((size_t)batch * sizeof(float)), *prob = malloc((size_t)batch * sizeof(float));
    double loss = 0;
    char name[96];
    int ok = nnm_narrow_forward_bce(path_in_use, batch, x, 3, layers, lanes, labels, 1.0f / (float)batch,
                                    grad, prob, &loss, threads) == 0
          && nnm_narrow_backward(path_in_use, batch, 3, layers, lanes, grad, threads) == 0;
    snprintf(name, sizeof name, "narrow batch %ld threads %d", batch, threads);
    if (!ok) { printf("%s FAILED\n", name); exit(1); }
    float all[32 + 16 + 256 + 16 + 16 + 1];
    memcpy(all, gw1, sizeof gw1); memcpy(all + 32, gb1, sizeof gb1); memcpy(all + 48, gw2, sizeof gw2);
    memcpy(all + 304, gb2, sizeof gb2); memcpy(all + 320, gw3, sizeof gw3); memcpy(all + 336, gb3, sizeof gb3);
    report(name, all, 337);
    printf("%s loss %016llx\n", name, (unsigned long long)hash_doubles(&loss, 1, 0));
    free(x); free(w1); free(b1); free(w2); free(b2); free(w3); free(b3); free(o1); free(o2); free(o3);
    free(lanes); free(labels); free(grad); free(prob);
}

static void check_math(void) {
    long n = 100003;
    double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    for (long i = 0; i < n; i++) x[i] = -20.0 + 40.0 * (double)i / (double)n;
    for (long i = 0; i < n; i++) y[i] = nnm_cos(x[i]);
    printf("math cos [-20,20] %016llx\n", (unsigned long long)hash_doubles(y, n, 0));
    for (long i = 0; i < n; i++) y[i] = nnm_sin(x[i]);
    printf("math sin [-20,20] %016llx\n", (unsigned long long)hash_doubles(y, n, 0));
    for (long i = 0; i < n; i++) { uint64_t b = next_u64() & 0x7fffffffffffffffULL; memcpy(&x[i], &b, 8); }
    for (long i = 0; i < n; i++) y[i] = nnm_log(x[i]);
    printf("math log (all positive binary64) raw=%016llx canonical=%016llx\n",
           (unsigned long long)hash_doubles(y, n, 0), (unsigned long long)hash_doubles(y, n, 1));
    for (long i = 0; i < n; i++) x[i] = -750.0 + 1460.0 * (double)i / (double)n;
    for (long i = 0; i < n; i++) y[i] = nnm_exp(x[i]);
    printf("math exp [-750,710] %016llx\n", (unsigned long long)hash_doubles(y, n, 0));
    for (long i = 0; i < n; i++) y[i] = nnm_pow_whole(i & 1 ? 0.999 : 0.9, (uint64_t)i);
    printf("math pow %016llx\n", (unsigned long long)hash_doubles(y, n, 0));
    /* The vector kernels (the loss's exp and log, the initialization's log and cos): each must
     * give the scalar function's bits, element by element, on this path and machine. */
    double *v = malloc((size_t)n * sizeof *v);
    const char *names[3] = {"exp", "log", "cos"};
    for (int f = 0; f < 3; f++) {
        for (long i = 0; i < n; i++) {
            uint64_t b = next_u64();
            if (i % 3 == 0) memcpy(&x[i], &b, 8);                          /* any pattern */
            else if (i % 3 == 1) x[i] = (double)(b >> 11) * 0x1p-53;        /* (0, 1) */
            else x[i] = -750.0 + 1460.0 * ((double)(b >> 11) * 0x1p-53);   /* every range */
            y[i] = f == 0 ? nnm_exp(x[i]) : f == 1 ? nnm_log(x[i]) : nnm_cos(x[i]);
        }
        if (f == 0) nnm_exp_many(path_in_use, n, x, v);
        else if (f == 1) nnm_log_many(path_in_use, n, x, v);
        else nnm_cos_many(path_in_use, n, x, v);
        long differ = 0;
        for (long i = 0; i < n; i++) differ += memcmp(&v[i], &y[i], 8) != 0;
        printf("math %s_many raw=%016llx canonical=%016llx, elements unlike the scalar %s: %ld\n", names[f],
               (unsigned long long)hash_doubles(v, n, 0), (unsigned long long)hash_doubles(v, n, 1), names[f], differ);
    }
    free(v);
    free(x); free(y);
    long count = 0;
    float *t = malloc(((size_t)1 << 20) * sizeof *t);
    for (uint64_t b = 0; b < 0x100000000ULL; b += 4093) {   /* every 4093rd binary32, NaNs too */
        float f; uint32_t b32 = (uint32_t)b; memcpy(&f, &b32, 4);
        t[count++] = nnm_tanhf(f);
    }
    report("math tanhf (every 4093rd binary32)", t, count);
    free(t);
}

/* Operations that create NaNs (0·∞, ∞ − ∞) or pass them on: the raw bits may differ between
 * instruction sets, the canonical ones must not. */
static void check_nans(void) {
    float inf = 1.0f / 0.0f, nan_in = 0.0f / 0.0f;
    float a[16] = { 0, inf, 1, -inf, nan_in, 2, 3, 4, 5, 6, 7, 8, -inf, 0, 1, 1 };
    float b[16] = { inf, 0, inf, inf, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    float c[16];
    nnm_sgemm(path_in_use, 0, 1, 4, 4, 4, a, 4, b, 4, c, 4, 0, NULL, NNM_ACT_NONE);
    report("nan sgemm 0*inf", c, 16);
    nnm_sgemm(path_in_use, 0, 1, 4, 4, 4, a, 4, b, 4, c, 4, 0, NULL, NNM_ACT_RELU);
    report("nan sgemm relu", c, 16);
    nnm_logistic(path_in_use, 16, a, c);
    report("nan logistic", c, 16);
    long labels[16] = { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 };
    double loss = nnm_bce_logits(path_in_use, 16, a, labels, 0.0625f, c, NULL, 1);
    report("nan bce gradient", c, 16);
    printf("nan bce loss raw=%016llx canonical=%016llx\n",
           (unsigned long long)hash_doubles(&loss, 1, 0), (unsigned long long)hash_doubles(&loss, 1, 1));
}

/* ---- a short training run, for the cross-machine reproducibility figure ---- */

static double uniform(void) { return (double)(next_u64() >> 11) * 0x1p-53; }

static void training_run(void) {
    long batch = 512;
    float *x = malloc((size_t)batch * 2 * sizeof(float));
    long *labels = malloc((size_t)batch * sizeof(long));
    for (long i = 0; i < batch; i++) {          /* noisy circles from NNM's cos, sin, log */
        double angle = 2.0 * 0x1.921fb54442d18p+1 * (double)i / (double)batch;
        double radius = (i & 1) ? 0.8 : 1.0;
        double u1 = 1.0 - uniform(), u2 = uniform();
        double noise = __builtin_sqrt(-2.0 * nnm_log(u1)) * nnm_cos(2.0 * 0x1.921fb54442d18p+1 * u2);
        x[2 * i] = (float)(radius * nnm_cos(angle) + 0.05 * noise);
        x[2 * i + 1] = (float)(radius * nnm_sin(angle));
        labels[i] = i & 1;
    }
    float w[32 + 16 + 256 + 16 + 16 + 1];
    for (int i = 0; i < 337; i++) {             /* tanh-squashed normal draws as initial weights */
        double u1 = 1.0 - uniform(), u2 = uniform();
        w[i] = nnm_tanhf((float)(__builtin_sqrt(-2.0 * nnm_log(u1)) * nnm_sin(2.0 * 0x1.921fb54442d18p+1 * u2)));
    }
    float g[337], m[337] = { 0 }, v[337] = { 0 };
    float *o1 = malloc((size_t)batch * 16 * sizeof(float)), *o2 = malloc((size_t)batch * 16 * sizeof(float));
    float *o3 = malloc((size_t)batch * sizeof(float)), *grad = malloc((size_t)batch * sizeof(float));
    nnm_dense_layer layers[3] = {
        { 2, 16, w, w + 32, NNM_ACT_RELU, o1, g, g + 32 },
        { 16, 16, w + 48, w + 304, NNM_ACT_RELU, o2, g + 48, g + 304 },
        { 16, 1, w + 320, w + 336, NNM_ACT_NONE, o3, g + 320, g + 336 },
    };
    float *lanes = malloc((size_t)nnm_narrow_lanes_floats(batch, 3, layers) * sizeof(float));
    int steps = 300;
    for (int step = 1; step <= steps; step++) {
        double loss = 0;
        if (nnm_narrow_forward_bce(path_in_use, batch, x, 3, layers, lanes, labels, 1.0f / (float)batch,
                                   grad, NULL, &loss, 2) != 0
            || nnm_narrow_backward(path_in_use, batch, 3, layers, lanes, grad, 2) != 0) { puts("FAILED"); exit(1); }
        float lr = (float)(0.05 * 0.5 * (1 + nnm_cos(0x1.921fb54442d18p+1 * (double)(step - 1) / steps)));
        nnm_optimizer_settings settings = { lr, 0, 0.9f, 0.9f, 0.999f, 1e-8f,
                                            (float)(1 - nnm_pow_whole(0.9f, (uint64_t)step)),
                                            (float)(1 - nnm_pow_whole(0.999f, (uint64_t)step)) };
        nnm_optimizer_step(path_in_use, NNM_OPT_ADAM, 337, w, g, m, v, &settings);
        if (step % 100 == 0) {
            printf("training step %d loss %.9g weights %016llx\n", step, loss / batch,
                   (unsigned long long)hash_floats(w, 337, 0));
        }
    }
}

int main(int argc, char **argv) {
    const char *request = argc > 1 ? argv[1] : "portable";
    int training = strcmp(request, "--training") == 0;
    if (training) request = argc > 2 ? argv[2] : "portable";
    nnm_path asked = strcmp(request, "avx512") == 0 ? NNM_PATH_AVX512
                   : strcmp(request, "avx2") == 0 ? NNM_PATH_AVX2_FMA : NNM_PATH_PORTABLE;
    path_in_use = nnm_resolve_path(asked);
    fprintf(stderr, "path %s (resolved %d)\n", request, (int)path_in_use);
    if (training) { training_run(); return 0; }
    check_gemm();
    check_elementwise();
    check_optimizers();
    check_narrow(100, 1);
    check_narrow(2100, 1);
    check_narrow(2100, 2);
    check_math();
    check_nans();
    return 0;
}
