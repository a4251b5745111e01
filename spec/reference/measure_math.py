#!/usr/bin/env python3
"""Accuracy of NNM's own elementary functions (spec/math.md §8) against a 200-bit reference.

Needs mpmath (`pip install mpmath`) and a C compiler: it builds Sources/CNNMKernels/math.c into a
temporary shared library (the bits are those of spec/reference/nnm_math.py, which the Swift tests
check) and compares, over the inputs NNM gives each function, NNM's result and the C library's
(Python's math module: glibc on Linux) with the correctly rounded value.

Usage:
  measure_math.py [--quick]                 the table of spec/math.md §8
  measure_math.py --tanhf-undecided FILE    settles the inputs spec/reference/tanhf_exhaustive.c
                                            printed as undecided
"""
import ctypes
import math
import os
import struct
import subprocess
import sys
import tempfile

import mpmath
from mpmath import mp, mpf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nnm_reference import Random  # noqa: E402

mp.prec = 200
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_library():
    directory = tempfile.mkdtemp()
    library = os.path.join(directory, "libnnmmath.so")
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-I", os.path.join(ROOT, "Sources/CNNMKernels/include"),
                    os.path.join(ROOT, "Sources/CNNMKernels/math.c"), "-o", library], check=True)
    lib = ctypes.CDLL(library)
    for name in ("nnm_cos", "nnm_sin", "nnm_log", "nnm_exp"):
        getattr(lib, name).restype = ctypes.c_double
        getattr(lib, name).argtypes = [ctypes.c_double]
    lib.nnm_pow_whole.restype = ctypes.c_double
    lib.nnm_pow_whole.argtypes = [ctypes.c_double, ctypes.c_uint64]
    lib.nnm_tanhf.restype = ctypes.c_float
    lib.nnm_tanhf.argtypes = [ctypes.c_float]
    return lib


def ulps(value, exact):
    """|value − exact| in units in the last place of the correctly rounded result."""
    rounded = float(exact)
    if rounded == 0:
        return 0.0 if value == 0 else math.inf
    return float(abs(mpf(value) - exact) / math.ulp(rounded))


def generator_angles(quick):
    """circles' 2πi/n, moons' i·(π/(n−1)), spiral's 1.75·2π·f + 2πk/K, blobs' 2πk/K."""
    top = 120 if quick else 700
    for n in range(1, top):
        step = 2.0 * math.pi / n
        yield from (i * step for i in range(n))
        if n > 1:
            step = math.pi / (n - 1)
            yield from (i * step for i in range(n - 1))
            yield math.pi
    turn = 2.0 * math.pi
    for classes in (2, 3, 4, 5):
        for count in ((50, 167) if quick else (50, 167, 333, 1000, 2500)):
            for k in range(classes):
                offset = turn * k / classes
                for i in range(count):
                    yield 1.75 * turn * (i / count) + offset


def box_muller(count):
    """(u1, 2π·u2) pairs exactly as normal() forms them, from the dataset stream of seed 42."""
    random = Random(42, 1)
    for _ in range(count):
        u1 = 1.0 - random.uniform()
        u2 = random.uniform()
        yield u1, 2.0 * math.pi * u2


def schedule_angles(quick):
    for steps in ((100, 999) if quick else (100, 999, 4500, 20000)):
        for s in range(steps + 1):
            yield math.pi * s / steps


def measure(name, mine, theirs, exact, inputs):
    count = worse_mine = worse_theirs = 0
    worst_mine = worst_theirs = 0.0
    for x in inputs:
        value = exact(x)
        a, b = mine(x), theirs(x)
        count += 1
        if a != float(value):
            worse_mine += 1
        if b != float(value):
            worse_theirs += 1
        worst_mine = max(worst_mine, ulps(a, value))
        worst_theirs = max(worst_theirs, ulps(b, value))
    print(f"| {name} | {count} | {worse_mine} | {worst_mine:.3f} | {worse_theirs} | {worst_theirs:.3f} |")


def main(quick):
    lib = load_library()
    pairs = list(box_muller(20000 if quick else 200000))
    rng = Random(7, 1)
    print("| function, inputs | count | NNM not correctly rounded | NNM max ulp | libm not CR | libm max ulp |")
    print("|---|---|---|---|---|---|")
    angles = list(generator_angles(quick))
    measure("cos, generator angles", lib.nnm_cos, math.cos, lambda x: mpmath.cos(mpf(x)), angles)
    measure("sin, generator angles", lib.nnm_sin, math.sin, lambda x: mpmath.sin(mpf(x)), angles)
    measure("cos, Box–Muller 2π·u₂", lib.nnm_cos, math.cos, lambda x: mpmath.cos(mpf(x)), (t for _, t in pairs))
    measure("log, Box–Muller u₁", lib.nnm_log, math.log, lambda x: mpmath.log(mpf(x)), (u for u, _ in pairs))
    measure("cos, schedule π·s/S", lib.nnm_cos, math.cos, lambda x: mpmath.cos(mpf(x)), schedule_angles(quick))
    losses = [rng.uniform_range(-60.0, 0.0) for _ in range(20000 if quick else 200000)]
    measure("exp, loss x − max ∈ [−60, 0]", lib.nnm_exp, math.exp, lambda x: mpmath.exp(mpf(x)), losses)
    sums = [rng.uniform_range(1.0, 100.0) for _ in range(20000 if quick else 100000)]
    measure("log, loss Σ ∈ [1, 100]", lib.nnm_log, math.log, lambda x: mpmath.log(mpf(x)), sums)
    steps = range(1, 5001 if quick else 100001)
    for beta in (0.9, 0.999):
        measure(f"pow, {beta}^t", lambda t, b=beta: lib.nnm_pow_whole(b, t), lambda t, b=beta: math.pow(b, t),
                lambda t, b=beta: mpf(b) ** t, steps)


def tanhf_undecided(path):
    """Each 'undecided 0xBITS mine 0xBITS' line of tanhf_exhaustive.c, settled with mpmath."""
    count = wrong = 0
    for line in open(path):
        if not line.startswith("undecided"):
            continue
        _, bits, _, mine = line.split()
        x = struct.unpack("<f", struct.pack("<I", int(bits, 16)))[0]
        exact = mpmath.tanh(mpf(x))
        # Round the 200-bit value to binary32 directly: to binary64 first could round twice.
        m, e = mpmath.frexp(exact)
        if e < -125:
            e = -125  # subnormal binary32 grid (never reached: tanh x ≈ x there, decided)
        scaled = mpmath.ldexp(exact, 24 - e)
        nearest = mpmath.nint(scaled)
        correct = float(mpmath.ldexp(nearest, e - 24))
        correct_bits = struct.unpack("<I", struct.pack("<f", correct))[0]
        count += 1
        if correct_bits != int(mine, 16):
            wrong += 1
    print(f"undecided inputs settled with mpmath: {count}; nnm_tanhf not correctly rounded on {wrong}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--tanhf-undecided":
        tanhf_undecided(sys.argv[2])
    else:
        main("--quick" in sys.argv)
