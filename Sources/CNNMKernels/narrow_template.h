/* Narrow-network kernels (every width ≤ 32), compiled once per instruction set by kernels.c
 * right after gemm_template.h, whose helpers (ld, st, ldn, stn, splat, relu) they use.
 * Expects the same macros as gemm_template.h plus NNM_NS (samples run in lock-step). */

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
/* One layer for S samples, with NV (vectors per output row) a compile-time constant so the
 * unrolled loops carry no per-FMA branches. The previous layer's outputs are read as scalars
 * from `hin` (rows of NNM_NARROW_MAX floats per sample) and this layer's go to `hout`. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(narrow_forward_layer)(
    const int S, const int NV, long b0, const float *x, const nnm_dense_layer *layer,
    int first, const float *w, const float *bl, const float *hin, float *hout) {
    long inputs = layer->inputs;
    NNM_VEC acc[2 * NNM_NS][NNM_NV];
    NNM_FULL for (int s = 0; s < S; s++)
        NNM_FULL for (int v = 0; v < NV; v++) acc[s][v] = NNM_FN(splat)(0.0f);
    for (long i = 0; i < inputs; i++) {
        NNM_VEC wv[NNM_NV];
        NNM_FULL for (int v = 0; v < NV; v++) wv[v] = NNM_FN(ld)(w + i * NNM_NARROW_MAX + v * NNM_VL);
        NNM_FULL for (int s = 0; s < S; s++) {
            NNM_VEC xs = NNM_FN(splat)(first ? x[(b0 + s) * inputs + i] : hin[s * NNM_NARROW_MAX + i]);
            NNM_FULL for (int v = 0; v < NV; v++) acc[s][v] = NNM_FMA(xs, wv[v], acc[s][v]);
        }
    }
    int has_bias = layer->bias != 0, relu = layer->activation == NNM_ACT_RELU;
    NNM_FULL for (int s = 0; s < S; s++) {
        float *out = layer->output + (b0 + s) * layer->outputs;
        NNM_FULL for (int v = 0; v < NV; v++) {
            NNM_VEC y = acc[s][v];
            if (has_bias) y = y + NNM_FN(ld)(bl + v * NNM_VL);
            if (relu) y = NNM_FN(relu)(y);
            NNM_FN(st)(hout + s * NNM_NARROW_MAX + v * NNM_VL, y);
            long left = layer->outputs - v * NNM_VL;
            NNM_FN(stn)(out + v * NNM_VL, y, (int)(left < NNM_VL ? left : NNM_VL));
        }
    }
}

/* Forward for S consecutive samples in lock-step: S independent FMA chains per weight load,
 * so the CPU is not waiting on one sample's chain. Each sample's arithmetic is unchanged. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(narrow_forward_block)(
    long b0, const int S, const float *x, long count, const nnm_dense_layer *layers,
    const float *wt, const float *bias) {
    float h[2][2 * NNM_NS * NNM_NARROW_MAX] __attribute__((aligned(64)));
    for (long l = 0; l < count; l++) {
        const nnm_dense_layer *layer = &layers[l];
        const float *w = wt + l * NNM_NARROW_MAX * NNM_NARROW_MAX;
        const float *bl = bias + l * NNM_NARROW_MAX;
        const float *hin = h[l & 1];
        float *hout = h[(l + 1) & 1];
        int nv = (int)((layer->outputs + NNM_VL - 1) / NNM_VL);
        /* `first` as a literal: the input source is then chosen once, not per element. */
#define NNM_LAYER_CALL(NV_) do { \
            if (l == 0) NNM_FN(narrow_forward_layer)(S, NV_, b0, x, layer, 1, w, bl, hin, hout); \
            else NNM_FN(narrow_forward_layer)(S, NV_, b0, x, layer, 0, w, bl, hin, hout); \
        } while (0)
        if (nv == 1)
            NNM_LAYER_CALL(1);
#if NNM_NV > 2
        else if (nv == 2)
            NNM_LAYER_CALL(2);
        else if (nv == 3)
            NNM_LAYER_CALL(3);
#endif
        else
            NNM_LAYER_CALL(NNM_NV);
#undef NNM_LAYER_CALL
    }
}

static NNM_ATTR void NNM_FN(narrow_forward)(long batch, const float *x, long count,
                                            const nnm_dense_layer *layers, float *scratch) {
    float *wt = scratch;                                             /* count × 32 × 32 */
    float *bias = scratch + count * NNM_NARROW_MAX * NNM_NARROW_MAX;  /* count × 32 */
    for (long l = 0; l < count; l++)
        NNM_FN(narrow_pack)(&layers[l], wt + l * NNM_NARROW_MAX * NNM_NARROW_MAX,
                            bias + l * NNM_NARROW_MAX);
    /* Networks whose every layer fits one vector take twice the samples per block: more
     * independent chains, and the accumulators still fit the register file. */
    int one_vector = 1;
    for (long l = 0; l < count; l++)
        if (layers[l].outputs > NNM_VL) one_vector = 0;
    long b = 0;
    if (one_vector)
        for (; b + 2 * NNM_NS <= batch; b += 2 * NNM_NS)
            NNM_FN(narrow_forward_block)(b, 2 * NNM_NS, x, count, layers, wt, bias);
    for (; b + NNM_NS <= batch; b += NNM_NS)
        NNM_FN(narrow_forward_block)(b, NNM_NS, x, count, layers, wt, bias);
    for (; b < batch; b++)
        NNM_FN(narrow_forward_block)(b, 1, x, count, layers, wt, bias);
}

/* Backward for S consecutive samples in lock-step. The weight and bias gradients still take
 * the samples one after another in increasing order (the contract); the independent chains
 * are the S samples' deltas and the different gradient rows. */
/* One layer's backward step for S samples, with NVI (vectors per input row) a compile-time
 * constant. `din` holds this layer's deltas (rows of NNM_NARROW_MAX floats per sample, zero
 * past the outputs); the previous layer's deltas go to `dout` in the same form. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(narrow_backward_layer)(
    const int S, const int NVI, const int FIRST, const int RELU, long b0, const float *x,
    const nnm_dense_layer *layers, long l, float *gw_l, float *gb_l, const float *w_l,
    const float *din, float *dout) {
    const nnm_dense_layer *layer = &layers[l];
    long in_n = layer->inputs, out_n = layer->outputs;
    NNM_VEC zero = NNM_FN(splat)(0.0f);
    NNM_VEC row[NNM_NS][NNM_NV];
    NNM_FULL for (int s = 0; s < S; s++) {
        const float *in = FIRST ? x + (b0 + s) * in_n : layers[l - 1].output + (b0 + s) * in_n;
        NNM_FULL for (int v = 0; v < NVI; v++) {
            long left = in_n - v * NNM_VL;
            row[s][v] = NNM_FN(ldn)(in + v * NNM_VL, (int)(left < NNM_VL ? left : NNM_VL));
        }
    }
    /* weight_grad[o][i] += delta[o] · in[i]  (FMA; samples in increasing order) */
    for (long o = 0; o < out_n; o++) {
        NNM_VEC ds[NNM_NS];
        NNM_FULL for (int s = 0; s < S; s++) ds[s] = NNM_FN(splat)(din[s * NNM_NARROW_MAX + o]);
        NNM_FULL for (int v = 0; v < NVI; v++) {
            float *p = gw_l + o * NNM_NARROW_MAX + v * NNM_VL;
            NNM_VEC acc = NNM_FN(ld)(p);
            NNM_FULL for (int s = 0; s < S; s++) acc = NNM_FMA(ds[s], row[s][v], acc);
            NNM_FN(st)(p, acc);
        }
    }
    /* bias_grad[o] += delta[o]  (plain adds, samples in order; padded lanes add 0) */
    int nvo = (int)((out_n + NNM_VL - 1) / NNM_VL);
    for (int v = 0; v < nvo; v++) {
        float *p = gb_l + v * NNM_VL;
        NNM_VEC acc = NNM_FN(ld)(p);
        NNM_FULL for (int s = 0; s < S; s++) acc = acc + NNM_FN(ld)(din + s * NNM_NARROW_MAX + v * NNM_VL);
        NNM_FN(st)(p, acc);
    }
    if (FIRST) return;
    /* previous delta[i] = Σ_o delta[o] · W[o][i] (FMA, o increasing), then ReLU's mask */
    NNM_VEC acc[NNM_NS][NNM_NV];
    NNM_FULL for (int s = 0; s < S; s++)
        NNM_FULL for (int v = 0; v < NVI; v++) acc[s][v] = zero;
    for (long o = 0; o < out_n; o++) {
        NNM_VEC wv[NNM_NV];
        NNM_FULL for (int v = 0; v < NVI; v++) wv[v] = NNM_FN(ld)(w_l + o * NNM_NARROW_MAX + v * NNM_VL);
        NNM_FULL for (int s = 0; s < S; s++) {
            NNM_VEC ds = NNM_FN(splat)(din[s * NNM_NARROW_MAX + o]);
            NNM_FULL for (int v = 0; v < NVI; v++) acc[s][v] = NNM_FMA(ds, wv[v], acc[s][v]);
        }
    }
    NNM_FULL for (int s = 0; s < S; s++)
        NNM_FULL for (int v = 0; v < NVI; v++) {
            NNM_VEC d = acc[s][v];
            if (RELU) {
                NNM_IVEC keep = (NNM_IVEC)(row[s][v] > zero);
                d = (NNM_VEC)((NNM_IVEC)d & keep);
            }
            NNM_FN(st)(dout + s * NNM_NARROW_MAX + v * NNM_VL, d);
        }
}

/* Backward for S consecutive samples in lock-step. The weight and bias gradients still take
 * the samples one after another in increasing order (the contract); the independent chains
 * are the S samples' deltas and the different gradient rows. */
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(narrow_backward_block)(
    long b0, const int S, const float *x, long count, const nnm_dense_layer *layers,
    const float *output_grad, float *gw, float *gb, const float *wp) {
    float d[2][NNM_NS * NNM_NARROW_MAX] __attribute__((aligned(64)));
    long last_out = layers[count - 1].outputs;
    for (int s = 0; s < S; s++)
        for (long o = 0; o < NNM_NARROW_MAX; o++)
            d[0][s * NNM_NARROW_MAX + o] = o < last_out ? output_grad[(b0 + s) * last_out + o] : 0.0f;
    int cur = 0;
    for (long l = count - 1; l >= 0; l--) {
        int nvi = (int)((layers[l].inputs + NNM_VL - 1) / NNM_VL);
        float *gw_l = gw + l * NNM_NARROW_MAX * NNM_NARROW_MAX;
        float *gb_l = gb + l * NNM_NARROW_MAX;
        const float *w_l = wp + l * NNM_NARROW_MAX * NNM_NARROW_MAX;
        /* First layer and the previous layer's ReLU as literals: no per-element choices. */
        int relu = l > 0 && layers[l - 1].activation == NNM_ACT_RELU;
#define NNM_BACKWARD_CALL(NV_) do { \
            if (l == 0) \
                NNM_FN(narrow_backward_layer)(S, NV_, 1, 0, b0, x, layers, l, gw_l, gb_l, w_l, d[cur], d[cur ^ 1]); \
            else if (relu) \
                NNM_FN(narrow_backward_layer)(S, NV_, 0, 1, b0, x, layers, l, gw_l, gb_l, w_l, d[cur], d[cur ^ 1]); \
            else \
                NNM_FN(narrow_backward_layer)(S, NV_, 0, 0, b0, x, layers, l, gw_l, gb_l, w_l, d[cur], d[cur ^ 1]); \
        } while (0)
        if (nvi == 1)
            NNM_BACKWARD_CALL(1);
#if NNM_NV > 2
        else if (nvi == 2)
            NNM_BACKWARD_CALL(2);
        else if (nvi == 3)
            NNM_BACKWARD_CALL(3);
#endif
        else
            NNM_BACKWARD_CALL(NNM_NV);
#undef NNM_BACKWARD_CALL
        cur ^= 1;
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
