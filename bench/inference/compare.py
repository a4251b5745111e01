"""Compares nnm-predict's CSV with the onnxruntime peer's, column by column.

    compare.py NNM.csv ORT.csv TOLERANCE

Reads both files in pieces (constant memory), checks they have the same header and row count,
and reports the largest absolute difference of the probability columns and how many rows
decide a different class. Exits 1 when a probability differs by more than TOLERANCE, or a
decided class differs where the two most probable classes are more than TOLERANCE apart
(a near tie may legitimately fall either way).
"""
import sys

import numpy as np


def pieces(path, rows=200_000):
    with open(path) as f:
        header = f.readline().strip()
        yield header
        while True:
            lines = [f.readline() for _ in range(rows)]
            lines = [line for line in lines if line]
            if not lines:
                return
            yield np.loadtxt(lines, delimiter=",", dtype=np.float64, ndmin=2)


def main():
    nnm_path, ort_path, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    a, b = pieces(nnm_path), pieces(ort_path)
    header_a, header_b = next(a), next(b)
    if header_a != header_b:
        print(f"headers differ: {header_a!r} vs {header_b!r}")
        return 1
    rows = worst = 0
    class_differences = real_differences = 0
    for x, y in zip(a, b, strict=True):
        if x.shape != y.shape:
            print(f"pieces differ in shape: {x.shape} vs {y.shape}")
            return 1
        rows += len(x)
        worst = max(worst, float(np.max(np.abs(x[:, 1:] - y[:, 1:]))))
        differ = x[:, 0] != y[:, 0]
        class_differences += int(np.count_nonzero(differ))
        top2 = np.sort(x[differ, 1:], axis=1)[:, -2:]
        real_differences += int(np.count_nonzero(top2[:, 1] - top2[:, 0] > tolerance))
    ok = worst <= tolerance and real_differences == 0
    print(f"{rows} rows: max |Δp| = {worst:.3g} (tolerance {tolerance:g}); "
          f"{class_differences} rows decide another class ({real_differences} of them not near ties): "
          + ("agree" if ok else "DISAGREE"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
