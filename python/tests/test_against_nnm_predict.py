"""The forward pass against NNM's own `nnm-predict` (the Swift tool) on every sample model and
on fresh models of every layer kind trained by `nnm-train`: probabilities within 1e-6, the same
decided class, raw outputs within 1e-5 relative. Skips when the tools are not built."""
import csv
import os
import subprocess

import numpy as np
import pytest

import nnm
from conftest import sample_models


def run_nnm_predict(tool, model_path, x, tmp_path):
    data = tmp_path / "inputs.csv"
    np.savetxt(data, x.astype(np.float32), delimiter=",", fmt="%.9g")
    out = tmp_path / "predictions.csv"
    done = subprocess.run([tool("nnm-predict"), model_path, "--data", "csv:%s" % data, "--header", "absent",
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def inputs_for(model, rows=2000, seed=0):
    rng = np.random.default_rng(seed)
    if model.input_width == 784:          # the digits sample: pixel values
        return rng.integers(0, 256, size=(rows // 4, 784)).astype(np.float32)
    return rng.uniform(-2.5, 2.5, size=(rows, model.input_width)).astype(np.float32)


def ulps(ours, theirs):
    """Distance in units in the last place between two float32 arrays of the same sign."""
    return np.abs(ours.astype(np.float32).view(np.int32).astype(np.int64)
                  - theirs.astype(np.float32).view(np.int32).astype(np.int64))


def compare(tool, path, tmp_path, max_ulps=None):
    model = nnm.load(path, verify=True)
    x = inputs_for(model)
    header, rows = run_nnm_predict(tool, path, x, tmp_path)
    assert len(rows) == len(x)
    if model.is_classifier:
        names = model.class_names or [str(i) for i in range(model.class_count)]
        assert header == ["predicted"] + names
        theirs = np.array([[float(v) for v in row[1:]] for row in rows])
        ours = model.predict_proba(x)
        assert np.max(np.abs(ours - theirs)) <= 1e-6
        if max_ulps is not None:   # float32 mode computes as the engine does: the same bits, or nearly
            assert ulps(ours, theirs).max() <= max_ulps
        assert np.max(np.abs(model.predict_proba(x, precision="float64") - theirs)) <= 1e-5
        decided = [names.index(row[0]) for row in rows]
        assert model.predict(x).tolist() == decided
    else:
        theirs = np.array([[float(v) for v in (row if len(header) > 1 else row[:1])] for row in rows])
        ours = model.forward(x).reshape(len(x), -1)
        assert np.allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    return model


@pytest.mark.parametrize("path", sample_models(), ids=lambda p: os.path.basename(os.path.dirname(p)))
def test_sample_models_agree_with_nnm_predict(tool, path, tmp_path):
    compare(tool, path, tmp_path, max_ulps=2)


@pytest.mark.parametrize("arguments", [
    ["--dataset", "blobs", "--centers", "3", "--layers",
     "standardize,linear:8,leaky-relu:0.2,linear:8,tanh,linear:8,sigmoid,identity,linear:3,softmax"],
    ["--dataset", "moons", "--layers", "linear:8,tanh,linear:2", "--loss", "mse"],
    ["--dataset", "spiral", "--classes", "4", "--layers", "linear:12,tanh,linear:12,sigmoid,linear:4,softmax"],
    ["--dataset", "xor", "--layers", "linear:6,leaky-relu:0.3,linear:1,sigmoid"],
], ids=["every-kind", "regression", "softmax-4", "leaky-relu"])
def test_fresh_models_agree_with_nnm_predict(tool, arguments, tmp_path):
    path = str(tmp_path / "fresh.nnm")
    done = subprocess.run([tool("nnm-train"), "-o", path, "--epochs", "5", "--quiet"] + arguments,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    model = compare(tool, path, tmp_path)
    with open(path, "rb") as f:
        assert nnm.dumps(model) == f.read()
