#!/usr/bin/env python3
"""NNM's regression against scikit-learn's MLPRegressor(32, 32) on the same split.

For each data set: write it as CSV (data NNM never saw in its tests), train `nnm-train` with
its default settings (seed 42, so validation 0.1 and test 0.2), cut the very same split in
Python with the reference implementation of NNM's split (spec/reference/nnm_reference.py),
train MLPRegressor(hidden_layer_sizes=(32, 32)) on standardized inputs (StandardScaler fitted
on the training part) on the same training rows, and print both test R² values.

Usage: bench/regression/compare.py [--bin .build/release] [--out DIR] [-- extra nnm-train flags]
Needs numpy and scikit-learn.
"""
import argparse
import csv
import json
import os
import subprocess
import sys

import numpy as np
from sklearn.datasets import load_diabetes, make_friedman1
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "spec", "reference"))
import nnm_reference as ref  # noqa: E402


def datasets():
    """name -> (features, target, header)."""
    out = {}
    d = load_diabetes()
    out["diabetes"] = (d.data, d.target, list(d.feature_names) + ["progression"])
    x, y = make_friedman1(n_samples=2000, noise=1.0, random_state=0)
    out["friedman1"] = (x, y, ["x%d" % i for i in range(1, 11)] + ["y"])
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (2000, 2))
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1] ** 2 + rng.normal(0, 0.1, 2000)
    out["sine"] = (x, y, ["x1", "x2", "y"])
    return out


def write_csv(path, x, y, header):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row, target in zip(x, y):
            # float32 shortest text: NNM reads features in float32, the same values for both.
            w.writerow([repr(float(np.float32(v))) for v in row] + [repr(float(np.float32(target)))])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--out", default="/tmp/nnm-regression")
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for name, (x, y, header) in datasets().items():
        path = os.path.join(args.out, name + ".csv")
        write_csv(path, x, y, header)
        model = os.path.join(args.out, name + ".nnm")
        command = [os.path.join(args.bin, "nnm-train"), "-o", model, "--dataset", "csv:" + path, "--task", "regression", "--json", "--quiet"] + args.extra
        summary = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        nnm_r2 = summary["test"]["r2"]
        # The same split, from the reference implementation of spec/datasets.md §4.
        data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32).astype(np.float64)
        parts = ref.split(list(range(len(data))), 0.1, 0.2, 42)
        train, test = data[parts["train"]], data[parts["test"]]
        scaler = StandardScaler().fit(train[:, :-1])
        scores = []
        # MLPRegressor's defaults (adam, alpha 1e-4, at most 200 iterations), and the same given
        # 2000 iterations, which it needs to converge on some of these sets.
        for iterations in (200, 2000):
            mlp = MLPRegressor(hidden_layer_sizes=(32, 32), max_iter=iterations, random_state=0)
            mlp.fit(scaler.transform(train[:, :-1]), train[:, -1])
            scores.append(r2_score(test[:, -1], mlp.predict(scaler.transform(test[:, :-1]))))
        rows.append((name, len(data), nnm_r2, scores, " ".join(["nnm-train", "--dataset", "csv:%s.csv" % name, "--task", "regression"] + args.extra)))
        print("%-10s %5d rows  NNM test R² %.4f  sklearn (200 it) %.4f  (2000 it) %.4f  NNM - best sklearn %+.4f"
              % (name, len(data), nnm_r2, scores[0], scores[1], nnm_r2 - max(scores)), flush=True)
    return rows


if __name__ == "__main__":
    main()
