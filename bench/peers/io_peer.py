"""numpy's side of workload S (bench/README.md): save and load ~40 MB of float32 weights.

The tensors have the shapes of nnm-bench's IOBench.swift (linear layers 2048->2048->2048->512->1024:
weights and biases, 9,967,104 values drawn as randn*0.05), saved with np.savez_compressed and
loaded with np.load, every array read into memory. Warm page cache, median of a few runs.
Prints RESULT lines as nnm-bench does. --quick halves every side (a quarter of the bytes).
"""
import os
import sys
import tempfile
import time

import numpy as np

QUICK = "--quick" in sys.argv


def report(workload, seconds, throughput, unit, note=""):
    print(f"RESULT\t{workload}\t{seconds}\t{throughput}\t{unit}\t{note}", flush=True)


def median_seconds(repeats, body):
    body()  # warm-up (and page cache)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        body()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


scale = 2 if QUICK else 1
widths = [w // scale for w in (2048, 2048, 2048, 512, 1024)]
rng = np.random.default_rng(2024)
arrays = {}
for i in range(len(widths) - 1):
    inputs, outputs = widths[i], widths[i + 1]
    arrays[f"layers.{i}.weight"] = (rng.standard_normal((outputs, inputs)) * 0.05).astype(np.float32)
    arrays[f"layers.{i}.bias"] = (rng.standard_normal(outputs) * 0.05).astype(np.float32)
values = sum(a.size for a in arrays.values())
raw = values * 4
megabytes = raw / 1e6
repeats = 2 if QUICK else 5

with tempfile.TemporaryDirectory() as directory:
    path = os.path.join(directory, "s.npz")
    save = median_seconds(repeats, lambda: np.savez_compressed(path, **arrays))
    checksum = [0.0]

    def load():
        with np.load(path) as archive:
            for name in archive.files:
                a = archive[name]
                checksum[0] += float(a.flat[a.size // 2])

    load_s = median_seconds(repeats, load)
    size = os.path.getsize(path)

fraction = size / raw
label = f"S {round(megabytes)} MB float32"
note = f"file {fraction:.3f} of raw ({size} bytes for {values} values)"
report(f"{label} save", save, megabytes / save, "MB/s", f"{note}; np.savez_compressed (no fsync)")
report(f"{label} load", load_s, megabytes / load_s, "MB/s", f"{note}; np.load + every array read")
