#!/usr/bin/env python3
"""Optional check: NNM's clean circles/moons points equal scikit-learn's, bit for bit.

NNM's generators follow make_circles / make_moons (spec/datasets.md 3.1, 3.2) but draw the
permutation and the noise from NNM's own PRNG. Before those steps, the points must be exactly
scikit-learn's with shuffle=False and no noise. Needs numpy and scikit-learn (not needed by
NNM or its tests): python3 check_against_sklearn.py  -> prints 'ok' or the first difference.
"""
import sys

import numpy as np
from sklearn.datasets import make_circles, make_moons

import nnm_reference as ref


def clean_points(generator, samples, factor=0.8):
    """Step 1 of the reference generator, before permutation and noise."""
    captured = {}

    def capture(points, noise, rng):
        captured["points"] = points
        return []

    original = ref.finish
    ref.finish = capture
    try:
        if generator == "circles":
            ref.circles({"samples": samples, "noise": 0.0, "factor": factor}, 0)
        else:
            ref.moons({"samples": samples, "noise": 0.0}, 0)
    finally:
        ref.finish = original
    return captured["points"]


def main():
    for samples in [2, 3, 7, 100, 101, 1000, 5000]:
        for generator in ["circles", "moons"]:
            if generator == "circles":
                X, y = make_circles(n_samples=samples, shuffle=False, factor=0.8)
            else:
                X, y = make_moons(n_samples=samples, shuffle=False)
            points = clean_points(generator, samples)
            ours = np.array([(x, yy) for x, yy, _ in points])
            labels = np.array([label for _, _, label in points])
            if not (np.array_equal(ours.view(np.uint64), X.view(np.uint64)) and np.array_equal(labels, y)):
                print("differs: %s samples=%d" % (generator, samples))
                return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
