#!/usr/bin/env python3
"""Test accuracy of nnm-train's defaults against scikit-learn's MLPClassifier, same splits.

Usage: python3 bench/compare_defaults.py NNM_TRAIN [--seeds 1,2,3,4,5] [--out DIR]

For every data set and seed: nnm-train with --keep-best (the lowest validation-loss epoch's
weights), with its defaults (the last epoch's weights), and MLPClassifier() with default
settings on standardized inputs (StandardScaler fitted on the training rows). The split is
NNM's own (spec/datasets.md §4, via spec/reference/nnm_reference.py): scikit-learn trains on
exactly NNM's training rows and is tested on its test rows (NNM's validation rows are used by
NNM only to choose the epoch). The real tabular sets are scikit-learn's own, written to CSV
under --out. Prints a Markdown table (mean ± standard deviation over the seeds, in %).
Needs numpy and scikit-learn (not needed by NNM or its tests).
"""
import json
import os
import statistics
import struct
import subprocess
import sys

import numpy as np
from sklearn import datasets
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec", "reference"))
import nnm_reference as ref  # noqa: E402

GENERATORS = [("circles", {"samples": 1000, "noise": 0.05, "factor": 0.8}, []),
              ("moons", {"samples": 1000, "noise": 0.1}, []),
              ("xor", {"samples": 1000, "noise": 0.05}, []),
              ("spiral", {"samples": 1000, "noise": 0.02, "classes": 2}, ["--hidden", "32,32", "--epochs", "300"]),
              ("blobs", {"samples": 1000, "spread": 0.2, "centers": 3}, [])]
TABULAR = ["breast_cancer", "wine", "digits", "iris"]


def write_csv(name, directory):
    data = getattr(datasets, "load_" + name)()
    path = os.path.join(directory, name + ".csv")
    with open(path, "w") as f:
        f.write(",".join("f%d" % i for i in range(data.data.shape[1])) + ",label\n")
        for row, label in zip(data.data, data.target):
            f.write(",".join(repr(float(v)) for v in row) + ",%d\n" % label)
    return path, data.data.astype(np.float64), data.target


def generator_rows(name, params, seed):
    rows, _ = ref.GENERATORS[name](params, seed)
    X = np.array([[struct.unpack("<f", struct.pack("<I", b))[0] for b in bits] for _, bits in rows])
    return X, np.array([label for label, _ in rows])


def split(X, y, seed):
    parts = ref.split(list(range(len(y))), 0.1, 0.2, seed)
    return [(X[idx], y[idx]) for idx in (np.array(parts["train"]), np.array(parts["test"]))]


def nnm_accuracy(binary, dataset_flags, seed, extra):
    out = subprocess.run([binary, "-o", "/tmp/compare-defaults.nnm", "--force", "--quiet", "--json",
                              "--seed", str(seed)] + dataset_flags + extra, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("nnm-train failed: %s" % out.stderr)
    return json.loads(out.stdout)["test"]["accuracy"]


def sklearn_accuracy(X, y, seed):
    (Xtr, ytr), (Xte, yte) = split(X, y, seed)
    scaler = StandardScaler().fit(Xtr)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(random_state=seed).fit(scaler.transform(Xtr), ytr)
    return model.score(scaler.transform(Xte), yte)


def main(argv):
    binary = argv[1]
    seeds = [1, 2, 3, 4, 5]
    out_dir = "/tmp/nnm-compare-defaults"
    if "--seeds" in argv:
        seeds = [int(s) for s in argv[argv.index("--seeds") + 1].split(",")]
    if "--out" in argv:
        out_dir = argv[argv.index("--out") + 1]
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    for name, params, extra in GENERATORS:
        flags = ["--dataset", name] + extra
        cases.append((name, flags, lambda s, n=name, p=params: generator_rows(n, p, s)))
    for name in TABULAR:
        path, X, y = write_csv(name, out_dir)
        cases.append((name, ["--dataset", "csv:" + path, "--label-column", "label"], lambda s, X=X, y=y: (X, y)))
    print("| data set | NNM `--keep-best` | NNM defaults (last epoch) | scikit-learn `MLPClassifier()` |")
    print("|---|---|---|---|")
    for name, flags, rows in cases:
        best = [nnm_accuracy(binary, flags, s, ["--keep-best"]) for s in seeds]
        last = [nnm_accuracy(binary, flags, s, []) for s in seeds]
        sk = [sklearn_accuracy(*rows(s), s) for s in seeds]

        def cell(v):
            return "%.2f ± %.2f" % (100 * statistics.mean(v), 100 * statistics.stdev(v) if len(v) > 1 else 0)
        print("| %s | %s | %s | %s |" % (name, cell(best), cell(last), cell(sk)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
