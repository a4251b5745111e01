/* Every binary32 input of nnm_tanhf against the correctly rounded tanh, for spec/math.md.
 *
 *   clang -O2 -I Sources/CNNMKernels/include spec/reference/tanhf_exhaustive.c \
 *         Sources/CNNMKernels/math.c -lm -o /tmp/tanhf-exhaustive && /tmp/tanhf-exhaustive [STRIDE]
 *
 * The reference is glibc's binary64 tanh (error below 2 ulp of binary64) rounded to binary32;
 * where that double lies within 8 ulp of a binary32 rounding boundary the rounding is not
 * decided by it, and the input is printed ("undecided 0x…") for mpmath to settle
 * (spec/reference/measure_math.py --tanhf-undecided). Only x ≥ 0 is run: both functions are odd
 * (nnm_tanhf by construction, tanh mathematically). Also counts glibc's own tanhf. */
#include "nnm_math.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float from_bits(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static uint32_t bits_of(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

int main(int argc, char **argv) {
    /* Optional: every STRIDE-th input only (argv[1]), for a quick look. */
    uint32_t stride = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1;
    if (stride == 0) stride = 1;
    unsigned long long inputs = 0, mine_wrong = 0, glibc_wrong = 0, undecided = 0, worst_ulps = 0;
    for (uint32_t b = 0; b < 0x7f800000u; b += stride) {
        float x = from_bits(b);
        double exact = tanh((double)x);
        float reference = (float)exact;
        /* Undecided when moving the double by 8 of its ulps changes the binary32 rounding. */
        double slack = 8 * (nextafter(exact, 2.0) - exact);
        if ((float)(exact - slack) != reference || (float)(exact + slack) != reference) {
            printf("undecided 0x%08x mine 0x%08x\n", b, bits_of(nnm_tanhf(x)));
            undecided++;
            continue;
        }
        inputs++;
        float mine = nnm_tanhf(x);
        if (mine != reference) {
            mine_wrong++;
            long long d = (long long)bits_of(mine) - (long long)bits_of(reference);
            if ((unsigned long long)(d < 0 ? -d : d) > worst_ulps) worst_ulps = (unsigned long long)(d < 0 ? -d : d);
        }
        if (tanhf(x) != reference) glibc_wrong++;
    }
    printf("decided inputs %llu: nnm_tanhf not correctly rounded %llu (worst %llu ulp), glibc tanhf %llu; undecided %llu\n",
           inputs, mine_wrong, worst_ulps, glibc_wrong, undecided);
    return 0;
}
