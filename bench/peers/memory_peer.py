"""numpy's side of the W3 peak-memory row (bench/README.md): peak resident memory of one epoch
of 784-100-ReLU-200-ReLU-10, batch 32, softmax cross-entropy, SGD 0.1 over 50,000 samples.

The 50,000x784 float32 inputs (157 MB) are drawn in chunks straight into float32, so the
process holds the data once, as NNM's does; VmHWM (/proc/self/status) is read after building
the data and after training. bench/run also wraps this process in /usr/bin/time -f %M.
Prints a RESULT line as nnm-bench does (throughput column: peak MB). --quick: 2,000 samples.
"""
import sys
import time

import numpy as np

samples = 2000 if "--quick" in sys.argv else 50000


def resident_kib():
    current = peak = 0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return current, peak


start = resident_kib()
rng = np.random.default_rng(11)
x = np.empty((samples, 784), np.float32)
for row in range(0, samples, 1000):
    x[row:row + 1000] = rng.random((min(1000, samples - row), 784), dtype=np.float32)
labels = rng.integers(0, 10, samples)
after_data = resident_kib()

sizes = [784, 100, 200, 10]
w = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32) for a, b in zip(sizes, sizes[1:])]
b = [np.zeros(n, np.float32) for n in sizes[1:]]
t0 = time.perf_counter()
for s in range(0, samples, 32):
    xb, lb = x[s:s + 32], labels[s:s + 32]
    acts = [xb]
    for i in range(3):
        z = acts[-1] @ w[i] + b[i]
        acts.append(np.maximum(z, 0) if i < 2 else z)
    e = np.exp(acts[-1] - acts[-1].max(1, keepdims=True))
    d = e / e.sum(1, keepdims=True)
    d[np.arange(len(lb)), lb] -= 1
    d *= np.float32(1 / len(lb))
    for i in (2, 1, 0):
        gw, gb = acts[i].T @ d, d.sum(0)
        if i > 0:
            d = (d @ w[i].T) * (acts[i] > 0)
        w[i] -= np.float32(0.1) * gw
        b[i] -= np.float32(0.1) * gb
seconds = time.perf_counter() - t0
end = resident_kib()
peak = end[1] / 1024
data_mb = x.nbytes / 1e6
print(f"RESULT\tW3 peak RSS (engine Trainer)\t{seconds}\t{peak}\tMB peak\t"
      f"VmHWM {peak:.1f} MB; at start {start[0] / 1024:.1f} MB (python + numpy); resident after "
      f"building the data {after_data[0] / 1024:.1f} MB (input features alone {data_mb:.1f} MB); "
      f"training added {peak - after_data[0] / 1024:.1f} MB above the resident data set", flush=True)
