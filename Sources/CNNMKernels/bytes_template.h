/* Pixel bytes to float32 for one instruction set (instantiated per path in kernels.c, like
 * gemm_template.h): the conversion an IDX file's rows go through on their way into a batch.
 *
 * y[i] = (float)x[i] / 255: an exact conversion and one IEEE division, so every path gives the
 * bits of Swift's `Float(byte) / 255`. A plain loop; the target attribute lets the compiler
 * vectorise it (a scalar division per pixel cost more than reading the row from the file). */
static NNM_ATTR void NNM_FN(unit_bytes)(long n, const unsigned char *restrict x, float *restrict y) {
    for (long i = 0; i < n; i++) y[i] = (float)x[i] / 255.0f;
}
