/* Ends one instantiation of the *_template.h files in kernels.c: every parameter
 * macro is undefined, so the next instruction set must define all of them afresh. */
#undef NNM_ATTR
#undef NNM_FN
#undef NNM_VL
#undef NNM_MR
#undef NNM_ISA
#undef NNM_NR
#undef NNM_VEC
#undef NNM_VECU
#undef NNM_IVEC
#undef NNM_UVEC
#undef NNM_BVEC
#undef NNM_DVEC
#undef NNM_LVEC
#undef NNM_MATH_DVEC
#undef NNM_MATH_LVEC
#undef NNM_ROW_VECTORS
#undef NNM_FMA
