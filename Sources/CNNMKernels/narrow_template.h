/* Narrow-network kernels (every width ≤ 32), compiled once per instruction set by kernels.c
 * right after gemm_template.h, whose helpers (ld, st, splat, relu) they use.
 *
 * Layout: SAMPLES across the vector lanes. The batch is cut into blocks of NNM_NARROW_LANES
 * (16) consecutive samples; a block's activations are stored as rows of 16 floats, one row per
 * unit ("lanes" layout: block b, unit o, sample s at [b][o][s]). One 16-float row is one zmm
 * register with AVX-512 and two 8-float vectors (NNM_G) on the AVX2 and portable paths.
 *
 * Forward and input-gradient arithmetic is per sample and elementwise across lanes (weights
 * broadcast), so it is the same chain of FMAs as the layer-by-layer GEMMs. The batch reductions
 * (weight and bias gradients) use NNM_NARROW_LANES interleaved partial sums, fixed by the
 * algorithm and not by the vector width: sample r goes to partial r mod 16 (its lane), each
 * partial accumulates in increasing sample order within each half of the batch, and
 * nnm_narrow_backward (kernels.c) adds the halves lane by lane and combines the 16 sums by the
 * fixed pairwise tree of nnm_narrow_tree (see nnm_kernels.h). Every path computes exactly this. */

#define NNM_P NNM_NARROW_LANES
#define NNM_G (NNM_P / NNM_VL) /* vectors per 16-sample row */
#define NNM_FULL _Pragma("clang loop unroll(full)")
#define NNM_AI static inline NNM_ATTR __attribute__((always_inline))

/* Register tiles: forward / input-gradient outputs per pass (FT), and gradient tiles of
 * GO outputs × GI inputs. Speed only: every element's chain is the same whatever the tile. */
#if NNM_VL == 16
#define NNM_FT 8
#define NNM_FS 2 /* blocks in lock-step in the forward pass */
#define NNM_GO 4
#define NNM_GI 4
#else
#define NNM_FT 4
#define NNM_FS 1
#define NNM_GO 2
#define NNM_GI 2
#endif

/* T outputs of one layer for S consecutive blocks: out[t] = act((Σ_i in[i]·W[o0+t][i] from +0,
 * FMA, i increasing) + bias). `w` points at row o0 (stride `in_n`); block k's rows are at
 * hin + k·in_n·16 and hout + k·out_n·16. S blocks give S independent chains per weight. */
NNM_AI void NNM_FN(nf_tile)(const int S, const int T, long in_n, long out_n, const float *w,
                            const float *bias, int relu, const float *hin, float *hout) {
    NNM_VEC acc[NNM_FS][NNM_FT][NNM_G];
    NNM_FULL for (int k = 0; k < S; k++)
        NNM_FULL for (int t = 0; t < T; t++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) acc[k][t][g] = NNM_FN(splat)(0.0f);
    for (long i = 0; i < in_n; i++) {
        NNM_VEC xv[NNM_FS][NNM_G];
        NNM_FULL for (int k = 0; k < S; k++)
            NNM_FULL for (int g = 0; g < NNM_G; g++)
                xv[k][g] = NNM_FN(ld)(hin + k * in_n * NNM_P + i * NNM_P + g * NNM_VL);
        NNM_FULL for (int t = 0; t < T; t++) {
            NNM_VEC wv = NNM_FN(splat)(w[t * in_n + i]);
            NNM_FULL for (int k = 0; k < S; k++)
                NNM_FULL for (int g = 0; g < NNM_G; g++) acc[k][t][g] = NNM_FMA(xv[k][g], wv, acc[k][t][g]);
        }
    }
    NNM_FULL for (int k = 0; k < S; k++)
        NNM_FULL for (int t = 0; t < T; t++) {
            NNM_FULL for (int g = 0; g < NNM_G; g++) {
                NNM_VEC y = acc[k][t][g];
                if (bias) y = y + NNM_FN(splat)(bias[t]);
                if (relu) y = NNM_FN(relu)(y);
                NNM_FN(st)(hout + k * out_n * NNM_P + t * NNM_P + g * NNM_VL, y);
            }
        }
}

/* One layer's forward for S blocks, in tiles of up to FT outputs. */
NNM_AI void NNM_FN(nf_layer)(const int S, const nnm_dense_layer *layer, const float *hin, float *hout) {
    long in_n = layer->inputs, out_n = layer->outputs;
    int relu = layer->activation == NNM_ACT_RELU;
    long o = 0;
    for (; o + NNM_FT <= out_n; o += NNM_FT)
        NNM_FN(nf_tile)(S, NNM_FT, in_n, out_n, layer->weight + o * in_n, layer->bias ? layer->bias + o : 0,
                        relu, hin, hout + o * NNM_P);
#define NNM_FCASE(T_) case T_: \
        NNM_FN(nf_tile)(S, (T_) < NNM_FT ? (T_) : 1, in_n, out_n, layer->weight + o * in_n, \
                        layer->bias ? layer->bias + o : 0, relu, hin, hout + o * NNM_P); break;
    switch (out_n - o) {
        NNM_FCASE(1) NNM_FCASE(2) NNM_FCASE(3) NNM_FCASE(4) NNM_FCASE(5) NNM_FCASE(6) NNM_FCASE(7)
        default: break;
    }
#undef NNM_FCASE
}

/* S blocks from block b through all layers, with the row-major outputs. */
NNM_AI void NNM_FN(nf_blocks)(const int S, long b, long batch, long count, const nnm_dense_layer *layers,
                              const float *lanes, long in0, float *const *region) {
    const float *hin = lanes + b * in0 * NNM_P;
    for (long l = 0; l < count; l++) {
        long out_n = layers[l].outputs;
        float *hout = region[l] + b * out_n * NNM_P;
        NNM_FN(nf_layer)(S, &layers[l], hin, hout);
        float *rows = layers[l].output;
        if (rows) {
            for (long k = b; k < b + S; k++) {
                long b0 = k * NNM_P;
                long n = batch - b0 < NNM_P ? batch - b0 : NNM_P;
                const float *h = region[l] + k * out_n * NNM_P;
                if (out_n == 1 && n == NNM_P) {
                    NNM_FULL for (int g = 0; g < NNM_G; g++)
                        NNM_FN(st)(rows + b0 + g * NNM_VL, NNM_FN(ld)(h + g * NNM_VL));
                } else {
                    for (long s = 0; s < n; s++)
                        for (long o = 0; o < out_n; o++) rows[(b0 + s) * out_n + o] = h[o * NNM_P + s];
                }
            }
        }
        hin = hout;
    }
}

/* Forward of blocks b_lo..b_hi-1: per block of 16 samples through all layers (the block stays
 * in L1). Writes the input and every layer's output in the lanes layout, and each layer's
 * row-major `output` when that pointer is not NULL. Blocks are independent, so the two halves
 * of the batch may run on two threads. Lanes past the batch hold a zero input row's forward values;
 * they are never used by the gradients. */
static NNM_ATTR void NNM_FN(narrow_forward)(long batch, const float *x, long count,
                                            const nnm_dense_layer *layers, float *lanes,
                                            long b_lo, long b_hi) {
    long nblk = (batch + NNM_P - 1) / NNM_P;
    long in0 = layers[0].inputs;
    float *region[NNM_NARROW_MAX_LAYERS];
    long offset = nblk * in0 * NNM_P;
    for (long l = 0; l < count; l++) {
        region[l] = lanes + offset;
        offset += nblk * layers[l].outputs * NNM_P;
    }
    /* The input's transpose first, in its own pass: a vector load right after 16 scalar
     * stores to the same line cannot be forwarded and would stall every block. */
    for (long b = b_lo; b < b_hi; b++) {
        long b0 = b * NNM_P;
        long n = batch - b0 < NNM_P ? batch - b0 : NNM_P;
        float *xb = lanes + b * in0 * NNM_P;
        if (n == NNM_P && in0 == 2) {
            /* Two inputs (the 2-D data sets): split even and odd floats with two shuffles per
             * pair of vectors instead of 32 scalar moves. Data movement only. */
            NNM_FULL for (int g = 0; g < NNM_G; g++) {
                NNM_VEC lo = NNM_FN(ld)(x + 2 * (b0 + g * NNM_VL));
                NNM_VEC hi = NNM_FN(ld)(x + 2 * (b0 + g * NNM_VL) + NNM_VL);
#if NNM_VL == 16
                NNM_VEC even = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                NNM_VEC odd = __builtin_shufflevector(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
#else
                NNM_VEC even = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
                NNM_VEC odd = __builtin_shufflevector(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15);
#endif
                NNM_FN(st)(xb + g * NNM_VL, even);
                NNM_FN(st)(xb + NNM_P + g * NNM_VL, odd);
            }
        } else if (n == NNM_P) {
            for (long i = 0; i < in0; i++)
                NNM_FULL for (int s = 0; s < NNM_P; s++) xb[i * NNM_P + s] = x[(b0 + s) * in0 + i];
        } else {
            for (long i = 0; i < in0; i++)
                for (int s = 0; s < NNM_P; s++) xb[i * NNM_P + s] = s < n ? x[(b0 + s) * in0 + i] : 0.0f;
        }
    }
    long b = b_lo;
    for (; b + NNM_FS <= b_hi; b += NNM_FS)
        NNM_FN(nf_blocks)(NNM_FS, b, batch, count, layers, lanes, in0, region);
    for (; b < b_hi; b++)
        NNM_FN(nf_blocks)(1, b, batch, count, layers, lanes, in0, region);
}

/* T input-gradients of one layer for S consecutive blocks: d_prev[i0+t] = (Σ_o d[o]·W[o][i0+t]
 * from +0, FMA, o increasing), then zero where the previous layer's ReLU output is not > 0
 * (RELU). Block k's rows are at d + k·out_n·16 and prev / dout + k·in_n·16. */
NNM_AI void NNM_FN(nb_tile)(const int S, const int T, const int RELU, long in_n, long out_n,
                            const float *w, const float *d, const float *prev, float *dout) {
    NNM_VEC acc[NNM_FS][NNM_FT][NNM_G];
    NNM_FULL for (int k = 0; k < S; k++)
        NNM_FULL for (int t = 0; t < T; t++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) acc[k][t][g] = NNM_FN(splat)(0.0f);
    for (long o = 0; o < out_n; o++) {
        NNM_VEC dv[NNM_FS][NNM_G];
        NNM_FULL for (int k = 0; k < S; k++)
            NNM_FULL for (int g = 0; g < NNM_G; g++)
                dv[k][g] = NNM_FN(ld)(d + k * out_n * NNM_P + o * NNM_P + g * NNM_VL);
        NNM_FULL for (int t = 0; t < T; t++) {
            NNM_VEC wv = NNM_FN(splat)(w[o * in_n + t]);
            NNM_FULL for (int k = 0; k < S; k++)
                NNM_FULL for (int g = 0; g < NNM_G; g++) acc[k][t][g] = NNM_FMA(dv[k][g], wv, acc[k][t][g]);
        }
    }
    NNM_VEC zero = NNM_FN(splat)(0.0f);
    NNM_FULL for (int k = 0; k < S; k++)
        NNM_FULL for (int t = 0; t < T; t++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) {
                NNM_VEC v = acc[k][t][g];
                if (RELU) {
                    NNM_VEC a = NNM_FN(ld)(prev + k * in_n * NNM_P + t * NNM_P + g * NNM_VL);
                    NNM_IVEC keep = (NNM_IVEC)(a > zero);
                    v = (NNM_VEC)((NNM_IVEC)v & keep);
                }
                NNM_FN(st)(dout + k * in_n * NNM_P + t * NNM_P + g * NNM_VL, v);
            }
}

NNM_AI void NNM_FN(nb_layer)(const int S, const int RELU, const nnm_dense_layer *layer, const float *d,
                             const float *prev, float *dout) {
    long in_n = layer->inputs, out_n = layer->outputs;
    long i = 0;
    for (; i + NNM_FT <= in_n; i += NNM_FT)
        NNM_FN(nb_tile)(S, NNM_FT, RELU, in_n, out_n, layer->weight + i, d, prev + i * NNM_P, dout + i * NNM_P);
#define NNM_BCASE(T_) case T_: \
        NNM_FN(nb_tile)(S, (T_) < NNM_FT ? (T_) : 1, RELU, in_n, out_n, layer->weight + i, d, \
                        prev + i * NNM_P, dout + i * NNM_P); break;
    switch (in_n - i) {
        NNM_BCASE(1) NNM_BCASE(2) NNM_BCASE(3) NNM_BCASE(4) NNM_BCASE(5) NNM_BCASE(6) NNM_BCASE(7)
        default: break;
    }
#undef NNM_BCASE
}

/* Input-gradients of S blocks from block b down through the layers. */
NNM_AI void NNM_FN(nb_blocks)(const int S, long b, long count, const nnm_dense_layer *layers,
                              const float *const *region, float *const *dregion) {
    for (long l = count - 1; l >= 1; l--) {
        long out_n = layers[l].outputs, in_n = layers[l].inputs;
        const float *d = dregion[l] + b * out_n * NNM_P;
        const float *prev = region[l - 1] + b * in_n * NNM_P;
        float *dout = dregion[l - 1] + b * in_n * NNM_P;
        if (layers[l - 1].activation == NNM_ACT_RELU)
            NNM_FN(nb_layer)(S, 1, &layers[l], d, prev, dout);
        else
            NNM_FN(nb_layer)(S, 0, &layers[l], d, prev, dout);
    }
}

/* Gradient tile: TO outputs × TI inputs of one layer's weight gradient (and, when WB, the TO
 * bias gradients) over blocks b_start..b_end-1: 16 partials per element, one per lane, each
 * accumulating its samples in increasing order (FMA for weights, plain adds for biases). The
 * partials start at +0 (FIRST) or continue from `pw`/`pb`; when `tail` > 0 the partial block
 * b_end follows with only its first `tail` lanes; the partials are then saved back, or (LAST)
 * combined by nnm_narrow_tree into gw / gb. Chunking the blocks only keeps the data in L1: each
 * partial still takes its samples in increasing order. */
NNM_AI void NNM_FN(ng_tile)(const int TO, const int TI, const int WB, int first, int last,
                            long b_start, long b_end, long tail,
                            const float *d, long out_n, const float *in, long in_n,
                            long o0, long i0, float *pw, float *pb, float *gw, float *gb) {
    NNM_VEC acc[NNM_GO][NNM_GI][NNM_G];
    NNM_VEC accb[NNM_GO][NNM_G];
    NNM_FULL for (int t = 0; t < TO; t++)
        NNM_FULL for (int g = 0; g < NNM_G; g++) {
            accb[t][g] = first || !WB ? NNM_FN(splat)(0.0f) : NNM_FN(ld)(pb + (o0 + t) * NNM_P + g * NNM_VL);
            NNM_FULL for (int u = 0; u < TI; u++)
                acc[t][u][g] = first ? NNM_FN(splat)(0.0f)
                                     : NNM_FN(ld)(pw + ((o0 + t) * in_n + i0 + u) * NNM_P + g * NNM_VL);
        }
    for (long b = b_start; b < b_end; b++) {
        const float *db = d + (b * out_n + o0) * NNM_P;
        const float *ib = in + (b * in_n + i0) * NNM_P;
        NNM_VEC dv[NNM_GO][NNM_G], iv[NNM_GI][NNM_G];
        NNM_FULL for (int t = 0; t < TO; t++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) dv[t][g] = NNM_FN(ld)(db + t * NNM_P + g * NNM_VL);
        NNM_FULL for (int u = 0; u < TI; u++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) iv[u][g] = NNM_FN(ld)(ib + u * NNM_P + g * NNM_VL);
        NNM_FULL for (int t = 0; t < TO; t++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) {
                if (WB) accb[t][g] = accb[t][g] + dv[t][g];
                NNM_FULL for (int u = 0; u < TI; u++) acc[t][u][g] = NNM_FMA(dv[t][g], iv[u][g], acc[t][u][g]);
            }
    }
    if (tail) {
        const float *db = d + (b_end * out_n + o0) * NNM_P;
        const float *ib = in + (b_end * in_n + i0) * NNM_P;
        NNM_FULL for (int g = 0; g < NNM_G; g++) {
            NNM_IVEC m;
            for (int k = 0; k < NNM_VL; k++) m[k] = g * NNM_VL + k < tail ? -1 : 0;
            NNM_FULL for (int t = 0; t < TO; t++) {
                NNM_VEC dv = NNM_FN(ld)(db + t * NNM_P + g * NNM_VL);
                if (WB) {
                    NNM_IVEC sum = (NNM_IVEC)(accb[t][g] + dv), old = (NNM_IVEC)accb[t][g];
                    accb[t][g] = (NNM_VEC)((sum & m) | (old & ~m));
                }
                NNM_FULL for (int u = 0; u < TI; u++) {
                    NNM_VEC iv = NNM_FN(ld)(ib + u * NNM_P + g * NNM_VL);
                    NNM_IVEC sum = (NNM_IVEC)NNM_FMA(dv, iv, acc[t][u][g]), old = (NNM_IVEC)acc[t][u][g];
                    acc[t][u][g] = (NNM_VEC)((sum & m) | (old & ~m));
                }
            }
        }
    }
    if (!last) {
        NNM_FULL for (int t = 0; t < TO; t++)
            NNM_FULL for (int g = 0; g < NNM_G; g++) {
                if (WB) NNM_FN(st)(pb + (o0 + t) * NNM_P + g * NNM_VL, accb[t][g]);
                NNM_FULL for (int u = 0; u < TI; u++)
                    NNM_FN(st)(pw + ((o0 + t) * in_n + i0 + u) * NNM_P + g * NNM_VL, acc[t][u][g]);
            }
        return;
    }
    float p[NNM_P] __attribute__((aligned(64)));
    NNM_FULL for (int t = 0; t < TO; t++) {
        NNM_FULL for (int u = 0; u < TI; u++) {
            NNM_FULL for (int g = 0; g < NNM_G; g++) NNM_FN(st)(p + g * NNM_VL, acc[t][u][g]);
            gw[(o0 + t) * in_n + i0 + u] = nnm_narrow_tree(p);
        }
        if (WB) {
            NNM_FULL for (int g = 0; g < NNM_G; g++) NNM_FN(st)(p + g * NNM_VL, accb[t][g]);
            gb[o0 + t] = nnm_narrow_tree(p);
        }
    }
}

/* Dispatch of one gradient tile with compile-time sizes (to ≤ GO, ti ≤ GI). */
#define NNM_GARGS first, last, b_start, b_end, tail_now, d, out_n, in, in_n, o0, i0, pw, pb, gw, gb
#define NNM_GCALL(TO_, TI_) do { \
        if (i0 == 0) NNM_FN(ng_tile)(TO_, TI_, 1, NNM_GARGS); \
        else NNM_FN(ng_tile)(TO_, TI_, 0, NNM_GARGS); \
    } while (0)
#define NNM_GSWITCH_TI(TO_) do { switch (ti) { \
        case 1: NNM_GCALL(TO_, 1); break; \
        case 2: NNM_GCALL(TO_, NNM_GI >= 2 ? 2 : 1); break; \
        case 3: NNM_GCALL(TO_, NNM_GI >= 3 ? 3 : 1); break; \
        case 4: NNM_GCALL(TO_, NNM_GI >= 4 ? 4 : 1); break; \
        case 5: NNM_GCALL(TO_, NNM_GI >= 5 ? 5 : 1); break; \
        case 6: NNM_GCALL(TO_, NNM_GI >= 6 ? 6 : 1); break; \
        case 7: NNM_GCALL(TO_, NNM_GI >= 7 ? 7 : 1); break; \
        default: NNM_GCALL(TO_, NNM_GI); break; } } while (0)

/* Blocks per chunk of the gradient pass: a chunk's δ and input rows of a 32-wide layer
 * (16 · 64 · 64 B = 64 KB at most; 32 KB for 16-wide layers) stay in L1/L2 while every tile
 * sweeps them. Speed only: the partials' order is the same for any chunk size. */
#define NNM_GCHUNK 16

/* One layer's 16 partial sums per weight and bias over the full blocks b_lo..b_end_full-1,
 * then, when tail > 0, the first `tail` lanes of block b_end_full. They are left in `partials`
 * (out_n·in_n·16 floats for the weights, then out_n·16 for the biases), starting from +0; an
 * empty range leaves zeros. */
static NNM_ATTR void NNM_FN(ng_layer)(long b_lo, long b_end_full, long tail, const float *d,
                                      long out_n, const float *in, long in_n, float *partials) {
    float *pw = partials, *pb = partials + out_n * in_n * NNM_P;
    float *gw = 0, *gb = 0; /* the tree runs later, over both halves (nnm_narrow_backward) */
    const int last = 0;
    long b_start = b_lo;
    int first = 1;
    do {
        long b_end = b_end_full - b_start > NNM_GCHUNK ? b_start + NNM_GCHUNK : b_end_full;
        long tail_now = b_end == b_end_full ? tail : 0;
        for (long o0 = 0; o0 < out_n; o0 += NNM_GO) {
            long to = out_n - o0 < NNM_GO ? out_n - o0 : NNM_GO;
            for (long i0 = 0; i0 < in_n; i0 += NNM_GI) {
                long ti = in_n - i0 < NNM_GI ? in_n - i0 : NNM_GI;
                switch (to) {
                case 1: NNM_GSWITCH_TI(1); break;
                case 2: NNM_GSWITCH_TI(NNM_GO >= 2 ? 2 : 1); break;
                case 3: NNM_GSWITCH_TI(NNM_GO >= 3 ? 3 : 1); break;
                default: NNM_GSWITCH_TI(NNM_GO); break;
                }
            }
        }
        first = 0;
        b_start = b_end;
    } while (b_start < b_end_full);
}
#undef NNM_GSWITCH_TI
#undef NNM_GCALL
#undef NNM_GARGS
#undef NNM_GCHUNK

/* Backward after narrow_forward, for the blocks b_lo..b_hi-1 of one half of the batch: top
 * gradients into the lanes layout (lanes past the batch +0), input-gradients down through the
 * layers block by block, then each layer's 16 partial sums of its weight and bias gradients
 * over this half, into `partials` (layer l at partial_start[l]). Everything this touches
 * belongs to the half, so the two halves may run on two threads. `deltas` holds Σ outputs rows
 * of 16 floats per block of the whole batch. */
static NNM_ATTR void NNM_FN(narrow_backward_half)(long batch, long count, const nnm_dense_layer *layers,
                                                  const float *lanes, const float *output_grad,
                                                  float *deltas, float *partials,
                                                  const long *partial_start, long b_lo, long b_hi) {
    long nblk = (batch + NNM_P - 1) / NNM_P;
    long in0 = layers[0].inputs;
    const float *region[NNM_NARROW_MAX_LAYERS];
    float *dregion[NNM_NARROW_MAX_LAYERS];
    long offset = nblk * in0 * NNM_P, doffset = 0;
    for (long l = 0; l < count; l++) {
        region[l] = lanes + offset;
        dregion[l] = deltas + doffset;
        offset += nblk * layers[l].outputs * NNM_P;
        doffset += nblk * layers[l].outputs * NNM_P;
    }
    long top = count - 1, last_out = layers[top].outputs;
    for (long b = b_lo; b < b_hi; b++) {
        long b0 = b * NNM_P;
        long n = batch - b0 < NNM_P ? batch - b0 : NNM_P;
        float *db = dregion[top] + b * last_out * NNM_P;
        if (last_out == 1 && n == NNM_P) {
            NNM_FULL for (int g = 0; g < NNM_G; g++)
                NNM_FN(st)(db + g * NNM_VL, NNM_FN(ld)(output_grad + b0 + g * NNM_VL));
            continue;
        }
        for (long o = 0; o < last_out; o++)
            for (long s = 0; s < NNM_P; s++)
                db[o * NNM_P + s] = s < n ? output_grad[(b0 + s) * last_out + o] : 0.0f;
    }
    long b = b_lo;
    for (; b + NNM_FS <= b_hi; b += NNM_FS) NNM_FN(nb_blocks)(NNM_FS, b, count, layers, region, dregion);
    for (; b < b_hi; b++) NNM_FN(nb_blocks)(1, b, count, layers, region, dregion);
    /* This half's full blocks, and the batch's partial last block if it falls in this half. */
    long nfull = batch / NNM_P, tail = batch - nfull * NNM_P;
    long end_full = b_hi < nfull ? b_hi : nfull;
    if (end_full < b_lo) end_full = b_lo;
    long tail_here = tail > 0 && b_lo <= nfull && b_hi > nfull ? tail : 0;
    for (long l = 0; l < count; l++) {
        const float *in = l == 0 ? lanes : region[l - 1];
        NNM_FN(ng_layer)(b_lo, end_full, tail_here, dregion[l], layers[l].outputs, in,
                         layers[l].inputs, partials + partial_start[l]);
    }
}

#undef NNM_FT
#undef NNM_FS
#undef NNM_GO
#undef NNM_GI
#undef NNM_AI
#undef NNM_FULL
#undef NNM_G
#undef NNM_P
