/* Pixel bytes to float32 for one instruction set (instantiated per path in kernels.c, like
 * gemm_template.h): the conversion an IDX file's rows go through on their way into a batch.
 *
 * y[i] = (float)x[i] / 255: an exact conversion and one IEEE division, so every path gives the
 * bits of Swift's `Float(byte) / 255`. A plain loop; the target attribute lets the compiler
 * vectorise it (a scalar division per pixel cost more than reading the row from the file). */
static NNM_ATTR void NNM_FN(unit_bytes)(long n, const unsigned char *restrict x, float *restrict y) {
    for (long i = 0; i < n; i++) y[i] = (float)x[i] / 255.0f;
}

/* Per-column statistics of float rows in binary64 (a Standardize layer's fit): column j's
 * accumulator takes rows 0, 1, 2, … in order, exactly as a scalar loop would, so every path
 * gives the same bits; the lanes run across columns, never across rows. The deviations are
 * squared and added in two roundings (no FMA): contraction is off for this function. */
static NNM_ATTR void NNM_FN(column_sums)(long rows, long width, const float *restrict x,
                                         double *restrict sums) {
    for (long r = 0; r < rows; r++) {
        const float *restrict row = x + r * width;
        for (long j = 0; j < width; j++) sums[j] += (double)row[j];
    }
}

static NNM_ATTR void NNM_FN(column_squared_deviations)(long rows, long width, const float *restrict x,
                                                       const double *restrict mean,
                                                       double *restrict squares) {
#pragma STDC FP_CONTRACT OFF
    for (long r = 0; r < rows; r++) {
        const float *restrict row = x + r * width;
        for (long j = 0; j < width; j++) {
            double d = (double)row[j] - mean[j];
            double square = d * d;
            squares[j] += square;
        }
    }
}

/* A Standardize layer's forward pass: y = (x − mean[j]) · scale[j], the subtraction and the
 * product each rounded (contraction is off in kernels.c), as Swift's `(x - m) * s` rounds. */
static NNM_ATTR void NNM_FN(standardize_rows)(long rows, long width, const float *restrict x,
                                              const float *restrict mean, const float *restrict scale,
                                              float *restrict y) {
    for (long r = 0; r < rows; r++) {
        const float *restrict in = x + r * width;
        float *restrict out = y + r * width;
        for (long j = 0; j < width; j++) out[j] = (in[j] - mean[j]) * scale[j];
    }
}
