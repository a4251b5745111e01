#ifndef NNM_KERNELS_H
#define NNM_KERNELS_H
/// Hot loops of the NNM engine (placeholder header; the performance work fills it in).
int nnm_kernels_placeholder(void);
#endif
