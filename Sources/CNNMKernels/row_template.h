/* One row through a dense layer whose weight is stored transposed (instantiated per path in
 * kernels.c, like gemm_template.h): the one-sample prediction path (nnm_linear_row).
 *
 * y[j] = act(Σ_p x[p]·wt[p][j] + bias[j]): each output is one FMA chain over p in increasing
 * order from +0, then one add of its bias, then the activation — the chain nnm_sgemm runs for
 * the same element, so the bits are the same. Outputs go across the vector lanes, up to
 * NNM_ROW_VECTORS vectors at once (independent chains that keep both FMA units busy: 14 with
 * AVX2 and AVX-512, which takes a 100-wide layer in one pass over its weights, 14 accumulators,
 * the broadcast input and a spare in AVX2's 16 registers; 8 on the portable path, whose vectors
 * are two or four registers each), and
 * every row of wt is read once per block, in order. wt's rows are padded to a multiple of
 * NNM_LINEAR_ROW_PAD floats (16: one AVX-512 vector), so every load is a whole vector; padding lanes are never stored. */

/* One block of nv (1…NNM_ROW_VECTORS, a constant after inlining) vectors of outputs, columns
 * j0…j0 + n − 1 (n ≤ nv·VL). */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(row_block)(
    long K, const float *x, const float *wt, long ldw, long j0, long n, int nv,
    const float *bias, int act, float *y) {
    NNM_VEC acc[NNM_ROW_VECTORS];
    _Pragma("clang loop unroll(full)")
    for (int v = 0; v < NNM_ROW_VECTORS; v++) acc[v] = NNM_FN(splat)(0.0f);
    const float *w = wt + j0;
    for (long p = 0; p < K; p++) {
        NNM_VEC xs = NNM_FN(splat)(x[p]);
        _Pragma("clang loop unroll(full)")
        for (int v = 0; v < NNM_ROW_VECTORS; v++)
            if (v < nv) acc[v] = NNM_FMA(xs, NNM_FN(ld)(w + v * NNM_VL), acc[v]);
        w += ldw;
    }
    _Pragma("clang loop unroll(full)")
    for (int v = 0; v < NNM_ROW_VECTORS; v++) {
        if (v >= nv) break;
        long left = n - v * NNM_VL;
        if (left <= 0) break;
        int lanes = left < NNM_VL ? (int)left : NNM_VL;
        NNM_VEC r = acc[v];
        if (bias) r = r + NNM_FN(ldn)(bias + j0 + v * NNM_VL, lanes);
        if (act == NNM_ACT_RELU) r = NNM_FN(relu)(r);
        NNM_FN(stn)(y + j0 + v * NNM_VL, r, lanes);
    }
}

static NNM_ATTR void NNM_FN(linear_row)(long K, long N, const float *x, const float *wt, long ldw,
                                        const float *bias, int act, float *y) {
    long block = NNM_ROW_VECTORS * NNM_VL;
    for (long j0 = 0; j0 < N; j0 += block) {
        long n = N - j0 < block ? N - j0 : block;
        int nv = (int)((n + NNM_VL - 1) / NNM_VL);
_Static_assert(NNM_ROW_VECTORS >= 1 && NNM_ROW_VECTORS <= 14, "the cases below go up to 13, then NNM_ROW_VECTORS");
#define NNM_ROW_CASE(k) case k: NNM_FN(row_block)(K, x, wt, ldw, j0, n, k, bias, act, y); break;
        switch (nv) {
        NNM_ROW_CASE(1) NNM_ROW_CASE(2) NNM_ROW_CASE(3) NNM_ROW_CASE(4) NNM_ROW_CASE(5)
        NNM_ROW_CASE(6) NNM_ROW_CASE(7) NNM_ROW_CASE(8) NNM_ROW_CASE(9) NNM_ROW_CASE(10)
        NNM_ROW_CASE(11) NNM_ROW_CASE(12) NNM_ROW_CASE(13)
        default: NNM_FN(row_block)(K, x, wt, ldw, j0, n, NNM_ROW_VECTORS, bias, act, y); break;
        }
#undef NNM_ROW_CASE
    }
}
