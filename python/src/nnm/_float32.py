"""NNM's float32 arithmetic in numpy (spec/training.md §1 and §4a), so that ``Model.forward``
gives the values ``nnm-predict`` gives, to the last bit or within an ulp.

A float32 fused multiply-add is computed in float64 and rounded to float32: the product of two
float32 values is exact in float64, so only the rare double rounding of the sum can differ from
a single rounding (by one ulp). Results are float32 arrays.
"""

import numpy as np

F32 = np.float32
F64 = np.float64


def fma32(a, b, c):
    """fl32(a·b + c) with the product exact (see the module's note)."""
    return (a.astype(F64) * b.astype(F64) + c.astype(F64)).astype(F32)


def linear32(x, weight, bias):
    """``y[o] = fl(acc + b[o])``, ``acc`` from +0 by ``acc = fma(x[k], W[o, k], acc)`` for k in
    increasing order (the engine's GEMM and narrow kernels; the bias is added last).

    The chain is sequential in k, so this costs one pass over ``samples × outputs`` per input
    (buffers reused); ``precision="float64"`` is a single matrix product instead."""
    x64 = x.astype(F64)
    w64 = weight.astype(F64).T.copy()          # row k: the weights of input k, contiguous
    acc = np.zeros((x.shape[0], weight.shape[0]), dtype=F32)
    step = np.empty(acc.shape, dtype=F64)
    for k in range(weight.shape[1]):
        np.multiply(x64[:, k, None], w64[k], out=step)       # exact: 24-bit × 24-bit products
        np.add(step, acc, out=step)
        acc[...] = step                                        # one rounding to float32
    return (acc + bias.astype(F32)).astype(F32)


def _bits(value):
    return np.array([value], dtype=np.uint32).view(F32)[0]


_LOG2E, _SHIFTER = _bits(0x3FB8AA3B), _bits(0x4B400000)
_LN2_HI, _LN2_LO = _bits(0xBF318000), _bits(0x395E8083)
_P0 = _bits(0x39500D01)
_COEFFICIENTS = [_bits(b) for b in (0x3AB60B61, 0x3C088889, 0x3D2AAAAB, 0x3E2AAAAB, 0x3F000000, 0x3F800000, 0x3F800000)]


def exp_minus(a):
    """NNM's ``exp⁻(a)`` for ``a ≤ 0`` (spec/training.md §4a), step by step in float32."""
    a = np.where(a < F32(-104), F32(-104), a).astype(F32)            # NaN stays NaN
    t = ((a * _LOG2E).astype(F32) + _SHIFTER).astype(F32)
    n = (t - _SHIFTER).astype(F32)
    with np.errstate(invalid="ignore"):
        m = (np.uint32(0x4B400000) - t.view(np.uint32)).astype(np.uint32)
    r = fma32(n, _LN2_HI, a)
    r = fma32(n, _LN2_LO, r)
    p = np.full_like(a, _P0)
    for c in _COEFFICIENTS:
        p = fma32(p, r, np.full_like(a, c))
    m1 = m >> np.uint32(1)
    m2 = m - m1
    s1 = ((np.uint32(127) - m1) << np.uint32(23)).astype(np.uint32).view(F32)
    s2 = ((np.uint32(127) - m2) << np.uint32(23)).astype(np.uint32).view(F32)
    result = ((p * s1).astype(F32) * s2).astype(F32)
    return np.where(np.isnan(a), a, result)


def sigmoid32(x):
    """``1/(1+e)`` for ``x ≥ 0``, else ``e/(1+e)``, ``e = exp⁻(−|x|)``, ``1+e`` rounded."""
    e = exp_minus((-np.abs(x)).astype(F32))
    one_plus = (F32(1) + e).astype(F32)
    return np.where(x >= 0, F32(1) / one_plus, e / one_plus).astype(F32)


def softmax32(x):
    """Per row: ``m`` the max, ``e_j = expf(x_j − m)``, Σ in float32 in increasing j, then each
    ``e_j · fl(1/Σ)``."""
    m = x.max(axis=1, keepdims=True)
    e = np.exp((x - m).astype(F32).astype(F64)).astype(F32)
    total = np.zeros(x.shape[0], dtype=F32)
    for j in range(x.shape[1]):
        total = (total + e[:, j]).astype(F32)
    inverse = (F32(1) / total).astype(F32)
    return (e * inverse[:, None]).astype(F32)


def tanh32(x):
    return np.tanh(x.astype(F64)).astype(F32)


def leaky32(x, slope):
    return np.where(x > 0, x, (F32(slope) * x).astype(F32)).astype(F32)


def standardize32(x, mean, scale):
    return ((x - mean).astype(F32) * scale).astype(F32)


def rescale32(x, scale, shift):
    # The product rounded to float32, then the sum: two roundings, no fused multiply-add (spec §6).
    return ((x * scale).astype(F32) + shift).astype(F32)
