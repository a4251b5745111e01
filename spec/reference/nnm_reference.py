#!/usr/bin/env python3
"""Independent reference implementation of NNM's PRNG, dataset generators and split.

Written from spec/random.md, spec/datasets.md and spec/math.md only (standard library only; NNM's
own cos, sin and log are in nnm_math.py), so that the
Swift test Tests/NNMTests/DataReferenceTests.swift can check that the spec and the Swift code
agree bit for bit.

Usage:
  nnm_reference.py vectors
      prints the test vectors of spec/random.md section 5
  nnm_reference.py generate GENERATOR seed=S [samples=N] [noise=X] [factor=X] [classes=K]
                   [centers=K] [spread=X] [validation=F] [test=F]
      prints 'classes K', then one line per sample of the full dataset:
      'all LABEL HEX HEX ...' (features as float32 bit patterns), then the split:
      'train|validation|test LABEL HEX ...'
"""
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnm_math  # noqa: E402  NNM's own cos, sin, log (spec/math.md)

MASK = (1 << 64) - 1
STREAMS = {"dataset": 1, "split": 2, "initialization": 3, "shuffle": 4}


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Random:
    def __init__(self, seed, stream):
        state = (seed ^ mix64((stream + 0x6A09E667F3BCC909) & MASK)) & MASK
        s = []
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            s.append(mix64(state))
        self.s = s

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        return float(self.next() >> 11) * (2.0 ** -53)

    def uniform_range(self, low, high):
        return low + (high - low) * self.uniform()

    def normal(self):
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * nnm_math.log(u1)) * nnm_math.cos(2.0 * math.pi * u2)

    def integer_below(self, n):
        threshold = ((1 << 64) - n) % n
        while True:
            p = self.next() * n
            if (p & MASK) >= threshold:
                return p >> 64

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.integer_below(i + 1)
            a[i], a[j] = a[j], a[i]


def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def finish(points, noise, rng):
    """Steps 2-4 of spec/datasets.md: permutation, noise in the new order, float32."""
    order = list(range(len(points)))
    rng.shuffle(order)
    out = []
    for source in order:
        x, y, label = points[source]
        if noise > 0:
            x = x + noise * rng.normal()
            y = y + noise * rng.normal()
        out.append((label, [f32_bits(x), f32_bits(y)]))
    return out


def per_class(k, samples, classes):
    return samples // classes + (1 if k < samples % classes else 0)


def linspace_pi(count):
    if count <= 1:
        return [0.0] * count
    step = math.pi / (count - 1)
    angles = [i * step for i in range(count)]
    angles[-1] = math.pi
    return angles


def circles(p, seed):
    n, noise, factor = p["samples"], p["noise"], p["factor"]
    outer, inner = n // 2, n - n // 2
    points = []
    step = 2.0 * math.pi / outer
    for i in range(outer):
        a = i * step
        points.append((nnm_math.cos(a), nnm_math.sin(a), 0))
    step = 2.0 * math.pi / inner
    for i in range(inner):
        a = i * step
        points.append((factor * nnm_math.cos(a), factor * nnm_math.sin(a), 1))
    return finish(points, noise, Random(seed, STREAMS["dataset"])), 2


def moons(p, seed):
    n, noise = p["samples"], p["noise"]
    outer, inner = n // 2, n - n // 2
    points = [(nnm_math.cos(a), nnm_math.sin(a), 0) for a in linspace_pi(outer)]
    points += [(1.0 - nnm_math.cos(a), 1.0 - nnm_math.sin(a) - 0.5, 1) for a in linspace_pi(inner)]
    return finish(points, noise, Random(seed, STREAMS["dataset"])), 2


def xor(p, seed):
    rng = Random(seed, STREAMS["dataset"])
    points = []
    for _ in range(p["samples"]):
        x = rng.uniform_range(-1.0, 1.0)
        y = rng.uniform_range(-1.0, 1.0)
        x = x + 0.1 if x >= 0 else x - 0.1
        y = y + 0.1 if y >= 0 else y - 0.1
        points.append((x, y, 1 if (x >= 0) != (y >= 0) else 0))
    return finish(points, p["noise"], rng), 2


def spiral(p, seed):
    n, k_count = p["samples"], p["classes"]
    turn = 2.0 * math.pi
    points = []
    for k in range(k_count):
        count = per_class(k, n, k_count)
        offset = turn * k / k_count
        for i in range(count):
            f = i / count
            t = 1.75 * turn * f + offset
            points.append((f * nnm_math.sin(t), f * nnm_math.cos(t), k))
    return finish(points, p["noise"], Random(seed, STREAMS["dataset"])), k_count


def blobs(p, seed):
    n, k_count = p["samples"], p["centers"]
    turn = 2.0 * math.pi
    points = []
    for k in range(k_count):
        a = turn * k / k_count
        cx, cy = nnm_math.cos(a), nnm_math.sin(a)
        points += [(cx, cy, k)] * per_class(k, n, k_count)
    return finish(points, p["spread"], Random(seed, STREAMS["dataset"])), k_count


BITS4 = [
    [1, 1, 0, 1], [0, 1, 0, 1], [0, 1, 0, 1], [1, 0, 1, 0],
    [0, 1, 1, 0], [1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 0],
    [0, 0, 1, 1], [1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0],
    [1, 1, 1, 1], [0, 1, 1, 1], [1, 0, 0, 1], [1, 0, 0, 1],
]


def bits4(p, seed):
    return [(row[2], [f32_bits(float(v)) for v in row]) for row in BITS4], 2


GENERATORS = {"circles": circles, "moons": moons, "xor": xor, "spiral": spiral,
              "blobs": blobs, "bits4": bits4}
INTEGER_PARAMETERS = {"samples", "classes", "centers"}


def split(rows, validation, test, seed):
    n = len(rows)
    n_val = math.floor(n * validation + 0.5)
    n_test = math.floor(n * test + 0.5)
    n_train = n - n_val - n_test
    order = list(range(n))
    Random(seed, STREAMS["split"]).shuffle(order)
    return {"train": [rows[i] for i in order[:n_train]],
            "validation": [rows[i] for i in order[n_train:n_train + n_val]],
            "test": [rows[i] for i in order[n_train + n_val:]]}


def print_vectors():
    for seed, stream in [(0, 0), (42, 1), (42, 2), (0xFFFFFFFFFFFFFFFF, 4)]:
        r = Random(seed, stream)
        print("next %d %d %s" % (seed, stream, " ".join("%016x" % r.next() for _ in range(4))))
    r = Random(0, 0)
    r.s = [1, 2, 3, 4]
    print("xoshiro1234 %s" % " ".join(str(r.next()) for _ in range(4)))
    print("splitmix0 %016x" % mix64(0x9E3779B97F4A7C15))
    r = Random(42, 1)
    print("uniform %s" % " ".join(float.hex(r.uniform()) for _ in range(3)))
    r = Random(42, 1)
    print("normal %s" % " ".join(float.hex(r.normal()) for _ in range(3)))
    r = Random(42, 1)
    print("integer10 %s" % " ".join(str(r.integer_below(10)) for _ in range(8)))
    r = Random(42, 1)
    a = list(range(10))
    r.shuffle(a)
    print("shuffle10 %s" % " ".join(str(v) for v in a))


def main(argv):
    if len(argv) >= 1 and argv[0] == "vectors":
        print_vectors()
        return 0
    if len(argv) < 2 or argv[0] != "generate" or argv[1] not in GENERATORS:
        sys.stderr.write(__doc__)
        return 2
    params = {}
    for item in argv[2:]:
        key, value = item.split("=", 1)
        params[key] = int(value) if key in INTEGER_PARAMETERS or key == "seed" else float(value)
    seed = params.pop("seed")
    validation = params.pop("validation", 0.0)
    test = params.pop("test", 0.0)
    rows, classes = GENERATORS[argv[1]](params, seed)
    print("classes %d" % classes)
    for label, bits in rows:
        print("all %d %s" % (label, " ".join("%08x" % b for b in bits)))
    for part, part_rows in split(rows, validation, test, seed).items():
        for label, bits in part_rows:
            print("%s %d %s" % (part, label, " ".join("%08x" % b for b in bits)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
