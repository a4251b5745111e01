/* The optimizers' parameter steps for one instruction set (instantiated per path in kernels.c,
 * like gemm_template.h). Each is a plain loop over contiguous floats written in the exact
 * operation order of the formulas in spec/training.md §4b (kernels.c turns FMA contraction off,
 * so a*b + c stays two roundings); the target attribute lets the compiler vectorise it, and
 * vectorising an elementwise loop changes no bits. λ is the L2 weight decay (0 for biases). */

static NNM_ATTR void NNM_FN(sgd_step)(long n, float *restrict w, const float *restrict g,
                                      float lr, float decay) {
    for (long i = 0; i < n; i++) w[i] = w[i] - lr * (g[i] + decay * w[i]);
}

static NNM_ATTR void NNM_FN(momentum_step)(long n, float *restrict w, const float *restrict g,
                                           float *restrict m, float lr, float decay, float mu) {
    for (long i = 0; i < n; i++) {
        m[i] = mu * m[i] + (g[i] + decay * w[i]);
        w[i] = w[i] - lr * m[i];
    }
}

static NNM_ATTR void NNM_FN(nesterov_step)(long n, float *restrict w, const float *restrict g,
                                           float *restrict m, float lr, float decay, float mu) {
    for (long i = 0; i < n; i++) {
        float step = g[i] + decay * w[i];
        m[i] = mu * m[i] + step;
        w[i] = w[i] - lr * (step + mu * m[i]);
    }
}

static NNM_ATTR void NNM_FN(adam_step)(long n, float *restrict w, const float *restrict g,
                                       float *restrict m, float *restrict v, float lr,
                                       float decay, float beta1, float beta2, float epsilon,
                                       float correction1, float correction2) {
    float keep1 = 1 - beta1, keep2 = 1 - beta2;
    for (long i = 0; i < n; i++) {
        float step = g[i] + decay * w[i];
        m[i] = beta1 * m[i] + keep1 * step;
        v[i] = beta2 * v[i] + keep2 * step * step;
        float mHat = m[i] / correction1;
        float vHat = v[i] / correction2;
        w[i] = w[i] - lr * mHat / (__builtin_elementwise_sqrt(vHat) + epsilon);   /* no errno: vectorises */
    }
}
