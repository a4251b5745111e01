"""The forward pass: each layer kind against its formula (spec §6), and predict /
predict_proba / forward shapes and decisions."""
import os

import numpy as np
import pytest

import nnm
from conftest import VECTORS, sample_models


def test_minimal_vector_by_hand():
    model = nnm.load(os.path.join(VECTORS, "minimal.nnm"))
    x = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0]])
    z = 0.5 * x[:, 0] - 0.25 * x[:, 1] + 0.125
    p = 1 / (1 + np.exp(-z))
    assert np.allclose(model.forward(x, precision="float64")[:, 0], p, rtol=0, atol=1e-15)
    assert np.allclose(model.predict_proba(x, precision="float64"), np.stack([1 - p, p], axis=1), rtol=0, atol=1e-15)
    assert model.forward(x).dtype == np.float32
    assert np.allclose(model.predict_proba(x), np.stack([1 - p, p], axis=1), rtol=0, atol=1e-7)
    assert model.predict(x).tolist() == [int(v >= 0.5) for v in p]
    assert model.is_classifier and model.class_count == 2


def test_rescale_against_its_formula():
    model = nnm.load(os.path.join(VECTORS, "rescale.nnm"), verify=True)
    assert model.version == (1, 1) and model.layers[-1].kind.name == "Rescale"
    x = np.random.default_rng(2).normal(size=(32, model.input_width)).astype(np.float32)
    before = x
    for layer in model.layers[:-1]:
        before = layer.kind.forward32(layer, before)
    last = model.layers[-1]
    scale, shift = last.tensors["scale"], last.tensors["shift"]
    expected = (before * scale).astype(np.float32) + shift      # two float32 roundings
    assert model.forward(x).tobytes() == expected.astype(np.float32).tobytes()
    assert nnm.dumps(model) == open(os.path.join(VECTORS, "rescale.nnm"), "rb").read()


def test_every_kind_against_the_formulas():
    model = nnm.load(os.path.join(VECTORS, "every-kind-zlib.nnm"), verify=True)
    kinds = [layer.kind.name for layer in model.layers]
    # The 1.0 kinds; Rescale (1.1) has its own vector, tested below.
    assert set(kinds) == {kind.name for kind in nnm.LAYER_KINDS.values()} - {"Rescale"}
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, model.input_width)).astype(np.float32)
    y = x.astype(np.float64)
    for layer in model.layers:
        t = {k: v.astype(np.float64) for k, v in layer.tensors.items()}
        name = layer.kind.name
        if name == "Linear":
            y = np.array([[t["bias"][o] + sum(t["weight"][o, j] * row[j] for j in range(layer.inputs))
                           for o in range(layer.outputs)] for row in y])
        elif name == "ReLU":
            y = np.where(y > 0, y, 0.0)
        elif name == "LeakyReLU":
            y = np.where(y > 0, y, layer.params["slope"] * y)
        elif name == "Sigmoid":
            y = 1 / (1 + np.exp(-y))
        elif name == "Tanh":
            y = (np.exp(y) - np.exp(-y)) / (np.exp(y) + np.exp(-y))
        elif name == "Softmax":
            e = np.exp(y - y.max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
        elif name == "Identity":
            pass
        elif name == "Standardize":
            y = (y - t["mean"]) * t["scale"]
    assert np.allclose(model.forward(x, precision="float64"), y, rtol=1e-12, atol=1e-12)
    assert np.allclose(model.forward(x), y, rtol=0, atol=1e-6)


def test_sigmoid_and_softmax_never_overflow():
    model = nnm.Model([nnm.Layer.linear([[1.0], [-1.0]], [0, 0]), nnm.Layer.sigmoid(2), nnm.Layer.softmax(2)])
    soft = nnm.Model([nnm.Layer.identity(3), nnm.Layer.softmax(3)])
    for precision in ("float32", "float64"):
        with np.errstate(all="raise"):
            y = model.forward([[1e30], [-1e30], [0.0]], precision=precision)
            assert np.all(np.isfinite(y)) and np.allclose(y.sum(axis=1), 1)
            assert np.allclose(soft.forward([3e38, 3e38, -3e38], precision=precision), [0.5, 0.5, 0])


def test_shapes_and_single_samples():
    path = [p for p in sample_models() if "spiral3" in p][0]
    model = nnm.load(path)
    batch = np.zeros((5, 2))
    assert model.forward(batch).shape == (5, 3)
    assert model.forward([0.1, 0.2]).shape == (3,)
    assert model.predict_proba(batch).shape == (5, 3)
    assert model.predict(batch).shape == (5,) and model.predict(batch).dtype == np.int64
    assert model.predict([0.1, 0.2]).shape == ()
    with pytest.raises(ValueError, match="2 inputs"):
        model.forward(np.zeros((5, 3)))
    with pytest.raises(TypeError):
        model.forward([["a", "b"]])


def test_predict_decides_like_nnm_predict():
    ties = nnm.Model([nnm.Layer.identity(3), nnm.Layer.softmax(3)])
    assert ties.predict([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0]]).tolist() == [0, 1]     # first on ties
    half = nnm.Model([nnm.Layer.identity(1), nnm.Layer.sigmoid(1)])
    assert half.predict([[0.0], [-1e-3]]).tolist() == [1, 0]                         # p >= 0.5


def test_a_model_that_is_not_a_classifier():
    model = nnm.Model([nnm.Layer.linear([[2.0, 1.0]], [0.5])])
    assert not model.is_classifier and model.class_count is None
    assert model.predict([[1.0, 1.0], [0.0, 0.0]]).tolist() == [3.5, 0.5]
    with pytest.raises(ValueError, match="classifier"):
        model.predict_proba([[1.0, 1.0]])


def test_inputs_are_rounded_to_float32_like_nnm():
    model = nnm.Model([nnm.Layer.identity(1)])
    assert model.forward([[0.1]], precision="float64")[0, 0] == float(np.float32(0.1))


def test_nnm_exponential_follows_the_spec():
    """spec/training.md §4a: exp⁻ within 1 ulp of exp, and NaN stays NaN."""
    from nnm import _float32
    a = -np.concatenate([np.linspace(0, 110, 200001), [0.0, 1e-30, 87.3, 103.9, 104.0, 200.0]]).astype(np.float32)
    got = _float32.exp_minus(a)
    exact = np.exp(np.maximum(a, -104).astype(np.float64))
    ulp = np.spacing(exact.astype(np.float32)).astype(np.float64)
    assert np.all(np.abs(got - exact) <= np.maximum(ulp, 2.0 ** -149))
    assert np.isnan(_float32.exp_minus(np.array([np.nan], dtype=np.float32)))[0]
