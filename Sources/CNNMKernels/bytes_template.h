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

/* The same two statistics straight from pixel bytes (an IDX file held in memory), each byte
 * taken as (float)byte / 255, the value unit_bytes gives: the bits of column_sums and
 * column_squared_deviations over the converted rows, without writing those rows anywhere.
 * Row r is the `columns` bytes at base + offsets[r] (a training part's rows are scattered over
 * the file), so a caller can also hand over a band of columns of every row. Written with
 * explicit vectors (left to itself the compiler divides four floats at a time), and each row
 * is fetched a few rows ahead: scattered rows of a 40 MB file come from memory, and waiting
 * for each cache line in turn took three times as long as the arithmetic. */
#define NNM_BYTE_ROWS_AHEAD 8
static inline NNM_ATTR __attribute__((always_inline)) void NNM_FN(prefetch_row)(const unsigned char *row, long columns) {
    for (long j = 0; j < columns; j += 64) __builtin_prefetch(row + j);
    __builtin_prefetch(row + columns - 1);
}

static inline NNM_ATTR __attribute__((always_inline)) NNM_DVEC NNM_FN(unit_doubles)(const unsigned char *p) {
    NNM_BVEC b;
    memcpy(&b, p, sizeof b);
    NNM_VEC unit = __builtin_convertvector(b, NNM_VEC) / NNM_FN(splat)(255.0f);
    return __builtin_convertvector(unit, NNM_DVEC);
}

static NNM_ATTR void NNM_FN(unit_byte_column_sums)(long rows, long columns, const unsigned char *base,
                                                   const long *offsets, double *restrict sums) {
    for (long r = 0; r < rows; r++) {
        if (r + NNM_BYTE_ROWS_AHEAD < rows) NNM_FN(prefetch_row)(base + offsets[r + NNM_BYTE_ROWS_AHEAD], columns);
        const unsigned char *row = base + offsets[r];
        long j = 0;
        for (; j + NNM_VL <= columns; j += NNM_VL) {
            NNM_DVEC s;
            memcpy(&s, sums + j, sizeof s);
            s += NNM_FN(unit_doubles)(row + j);
            memcpy(sums + j, &s, sizeof s);
        }
        for (; j < columns; j++) sums[j] += (double)((float)row[j] / 255.0f);
    }
}

/* unit_bytes over scattered rows (a batch of a training part, whose rows are all over the
 * file): y's row r is row r's bytes at base + offsets[r], converted, each fetched ahead. */
static NNM_ATTR void NNM_FN(unit_byte_rows)(long rows, long width, const unsigned char *base,
                                            const long *offsets, float *restrict y) {
    for (long r = 0; r < rows; r++) {
        if (r + NNM_BYTE_ROWS_AHEAD < rows) NNM_FN(prefetch_row)(base + offsets[r + NNM_BYTE_ROWS_AHEAD], width);
        NNM_FN(unit_bytes)(width, base + offsets[r], y + r * width);
    }
}

static NNM_ATTR void NNM_FN(unit_byte_column_squared_deviations)(long rows, long columns,
                                                                 const unsigned char *base,
                                                                 const long *offsets,
                                                                 const double *restrict mean,
                                                                 double *restrict squares) {
#pragma STDC FP_CONTRACT OFF
    for (long r = 0; r < rows; r++) {
        if (r + NNM_BYTE_ROWS_AHEAD < rows) NNM_FN(prefetch_row)(base + offsets[r + NNM_BYTE_ROWS_AHEAD], columns);
        const unsigned char *row = base + offsets[r];
        long j = 0;
        for (; j + NNM_VL <= columns; j += NNM_VL) {
            NNM_DVEC m, s;
            memcpy(&m, mean + j, sizeof m);
            memcpy(&s, squares + j, sizeof s);
            NNM_DVEC d = NNM_FN(unit_doubles)(row + j) - m;
            NNM_DVEC square = d * d;
            s += square;
            memcpy(squares + j, &s, sizeof s);
        }
        for (; j < columns; j++) {
            double d = (double)((float)row[j] / 255.0f) - mean[j];
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
#undef NNM_BYTE_ROWS_AHEAD
