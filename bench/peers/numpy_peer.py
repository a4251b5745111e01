"""numpy's side of the NNM benchmark workloads (bench/README.md); bench/run drives it.

Prints one tab-separated line per result, as nnm-bench does:
RESULT  workload  seconds  throughput  unit  note
The networks mirror bench/Sources/nnm-bench/MLPBench.swift: He-normal weights, zero biases,
ReLU hidden layers, float32 throughout, full-batch (W1, W2) or batch-32 (W3) SGD.
"""
import os
import sys
import time

import numpy as np

QUICK = "--quick" in sys.argv
# --repeat N: each training workload (W1–W3) runs N times from a fresh start and reports its
# fastest run, as nnm-bench does (on a shared machine the slow runs measure the neighbours).
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
REPEATED = f"; fastest of {REPEAT}" if REPEAT > 1 else ""  # for the notes
WANTED = [a for i, a in enumerate(sys.argv[1:]) if not a.startswith("--") and sys.argv[i] not in ("--repeat", "--idx")] \
    or ["gemm", "w1", "w2", "w3"]
# --idx DIR: W3 reads DIR/images.idx and DIR/labels.idx, W4 DIR/w4/… (bench/run's whole-process
# rows: the files nnm-train reads, scaled to [0, 1] and standardized per pixel as nnm-train does).
IDX_DIR = sys.argv[sys.argv.index("--idx") + 1] if "--idx" in sys.argv else None
THREADS = os.environ.get("OPENBLAS_NUM_THREADS", "?")


def report(workload, seconds, throughput, unit, note=""):
    print(f"RESULT\t{workload}\t{seconds}\t{throughput}\t{unit}\t{note}", flush=True)


def blas_core():
    """The OpenBLAS kernel family numpy runs (so a forced OPENBLAS_CORETYPE is visible)."""
    import ctypes
    import glob
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    libs += glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "scipy_openblas*", "lib", "*.so"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                     "openblas_get_corename64_", "openblas_get_corename"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return "unknown"


def bench_gemm():
    n = 256 if QUICK else 1024
    rng = np.random.default_rng(7)
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    c = a @ b
    times = []
    for _ in range(3 if QUICK else 7):
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t0)
    s = sorted(times)[len(times) // 2]
    report(f"GEMM {n}³ {THREADS} thread{'s' if THREADS != '1' else ''}", s,
           2 * n ** 3 / s / 1e9, "GFLOP/s", f"OpenBLAS core {blas_core()}")


def bench_small():
    """The small products of W1-W3, as the layers issue them (forward x·wᵀ, weight grad dᵀ·x)."""
    rng = np.random.default_rng(3)
    reps = 50 if QUICK else 2000
    for name, m, n, k, ta, tb in [("5000x2·2x5", 5000, 5, 2, False, True),
                                  ("dW 5x5000·5000x2", 5, 2, 5000, True, False),
                                  ("5000x16·16x16", 5000, 16, 16, False, True),
                                  ("dW 16x5000·5000x16", 16, 16, 5000, True, False),
                                  ("32x784·784x100", 32, 100, 784, False, True),
                                  ("dW 100x32·32x784", 100, 784, 32, True, False)]:
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
        opa = a.T if ta else a
        opb = b.T if tb else b
        opa @ opb
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            opa @ opb
            times.append(time.perf_counter() - t0)
        s = sorted(times)[len(times) // 2]
        report(name, s, 2 * m * n * k / s / 1e9, "GFLOP/s", f"numpy f32, BLAS threads {THREADS}")


def make_circles(n, noise, factor, seed):
    rng = np.random.default_rng(seed)
    outer, inner = n // 2, n - n // 2
    t_out = 2 * np.pi * np.arange(outer) / outer
    t_in = 2 * np.pi * np.arange(inner) / inner
    x = np.concatenate([np.stack([np.cos(t_out), np.sin(t_out)], 1),
                        factor * np.stack([np.cos(t_in), np.sin(t_in)], 1)])
    x += noise * rng.standard_normal(x.shape)
    y = np.concatenate([np.zeros(outer), np.ones(inner)])
    return x.astype(np.float32), y.astype(np.float32)


class MLP:
    def __init__(self, sizes, seed):
        rng = np.random.default_rng(seed)
        self.w = [(rng.standard_normal((o, i)) * np.sqrt(2.0 / i)).astype(np.float32)
                  for i, o in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(o, np.float32) for o in sizes[1:]]

    def forward(self, x):
        acts = [x]
        for l, (w, b) in enumerate(zip(self.w, self.b)):
            z = acts[-1] @ w.T + b
            acts.append(np.maximum(z, 0) if l + 1 < len(self.w) else z)
        return acts

    def step(self, x, dlogits_fn, lr):
        acts = self.forward(x)
        delta = dlogits_fn(acts[-1])
        for l in range(len(self.w) - 1, -1, -1):
            gw = delta.T @ acts[l]
            gb = delta.sum(0)
            if l > 0:
                delta = (delta @ self.w[l]) * (acts[l] > 0)
            self.w[l] -= np.float32(lr) * gw
            self.b[l] -= np.float32(lr) * gb


class Adam:
    """torch.optim.Adam's update (β 0.9 / 0.999, ε 1e-8, no weight decay), in place, float32."""

    def __init__(self, params, lr):
        self.params, self.lr, self.t = params, lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        c1, c2 = 1 - 0.9 ** self.t, 1 - 0.999 ** self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= np.float32(0.9)
            m += np.float32(0.1) * g
            v *= np.float32(0.999)
            v += np.float32(0.001) * g * g
            p -= np.float32(self.lr / c1) * m / (np.sqrt(v / np.float32(c2)) + np.float32(1e-8))


def gradients(net, x, dlogits_fn):
    """The weight and bias gradients of one batch, in the order net.w + net.b."""
    acts = net.forward(x)
    delta = dlogits_fn(acts[-1])
    gw, gb = [None] * len(net.w), [None] * len(net.b)
    for l in range(len(net.w) - 1, -1, -1):
        gw[l] = delta.T @ acts[l]
        gb[l] = delta.sum(0)
        if l > 0:
            delta = (delta @ net.w[l]) * (acts[l] > 0)
    return gw + gb


def softmax_dlogits(labels):
    def dlogits(z):
        e = np.exp(z - z.max(1, keepdims=True))
        p = e / e.sum(1, keepdims=True)
        p[np.arange(len(labels)), labels] -= 1
        return p * np.float32(1.0 / len(labels))
    return dlogits


def read_idx(directory):
    """IDX images (uint8, n×28×28) and labels from `directory`, as float32 in [0, 1] standardized
    per pixel (mean and deviation in float64, a constant pixel left unscaled), as nnm-train's
    Standardize layer does, and int64 labels."""
    def body(path, rank):
        raw = np.fromfile(path, dtype=np.uint8)
        return raw[4 + 4 * rank:]
    images = body(os.path.join(directory, "images.idx"), 3).reshape(-1, 784)
    labels = body(os.path.join(directory, "labels.idx"), 1).astype(np.int64)
    x = images.astype(np.float32) / np.float32(255)
    mean = x.mean(0, dtype=np.float64)
    std = x.std(0, dtype=np.float64)
    scale = np.where(std < 1e-12, 1.0, 1.0 / std).astype(np.float32)
    return (x - mean.astype(np.float32)) * scale, labels


def bench_circles(name, sizes, epochs, lr):
    x, y = make_circles(5000, 0.04, 0.8, 1)
    tx, ty = make_circles(1000, 0.04, 0.8, 2)
    y = y[:, None]
    inv = np.float32(1.0 / len(x))

    def dlogits(z):
        return (1 / (1 + np.exp(-z)) - y) * inv

    s = float("inf")
    for _ in range(REPEAT):  # fresh weights each run: the same work; the fastest run counts
        candidate = MLP(sizes, 3)
        t0 = time.perf_counter()
        for _ in range(epochs):
            candidate.step(x, dlogits, lr)
        elapsed = time.perf_counter() - t0
        if elapsed < s:
            s, net = elapsed, candidate
    acc = float(((net.forward(tx)[-1][:, 0] > 0) == (ty > 0.5)).mean())
    report(name, s, epochs / s, "epochs/s", f"test acc {acc:.3f}; numpy f32, BLAS threads {THREADS}{REPEATED}")


def mnist_shaped_data(samples, directory):
    """W3/W4's inputs: the IDX files in `directory` (whole-process rows), else random ones."""
    if directory is not None:
        return read_idx(directory)
    rng = np.random.default_rng(11)
    return rng.uniform(0, 1, (samples, 784)).astype(np.float32), rng.integers(0, 10, samples)


def bench_mnist_tutorial(samples, epochs):
    """W4: 784-256-128-10 ReLU, softmax cross-entropy, Adam 0.001, batch 64, shuffled epochs."""
    x, labels = mnist_shaped_data(samples, os.path.join(IDX_DIR, "w4") if IDX_DIR else None)
    samples = len(x)
    net = MLP([784, 256, 128, 10], 5)
    opt = Adam(net.w + net.b, 0.001)
    order_rng = np.random.default_rng(6)
    t0 = time.perf_counter()
    for _ in range(epochs):
        order = order_rng.permutation(samples)
        for start in range(0, samples, 64):
            batch = order[start:start + 64]
            opt.step(gradients(net, x[batch], softmax_dlogits(labels[batch])))
    s = time.perf_counter() - t0
    report("W4 784-256-128-10 Adam", s, samples * epochs / s, "samples/s", f"numpy f32, BLAS threads {THREADS}")


def bench_mnist_shaped(samples):
    x, labels = mnist_shaped_data(samples, IDX_DIR)
    samples = len(x)
    s = float("inf")
    for _ in range(REPEAT):  # fresh weights each run: the same work; the fastest run counts
        net = MLP([784, 100, 200, 10], 5)
        t0 = time.perf_counter()
        for start in range(0, samples, 32):
            xb = x[start:start + 32]
            lb = labels[start:start + 32]

            net.step(xb, softmax_dlogits(lb), 0.1)
        s = min(s, time.perf_counter() - t0)
    report(f"W3 784-100-200-10", s, samples / s, "samples/s", f"numpy f32, BLAS threads {THREADS}{REPEATED}")


def run_workloads(wanted, gemm, circles, mnist_shaped, mnist_tutorial, extra=None):
    """Runs the named workloads in order with a peer's own functions (torch_peer.py shares it):
    the sizes of W1–W4 live here once."""
    table = {"gemm": gemm,
             "w1": lambda: circles("W1 2-5-2-1", [2, 5, 2, 1], 300 if QUICK else 9000, 0.05),
             "w2": lambda: circles("W2 2-16-16-1", [2, 16, 16, 1], 100 if QUICK else 2000, 0.1),
             "w3": lambda: mnist_shaped(2000 if QUICK else 50000),
             "w4": lambda: mnist_tutorial(2000 if QUICK else 60000, 1 if QUICK else 5), **(extra or {})}
    for w in wanted:
        if w not in table:
            sys.exit(f"unknown workload {w}; known: {' '.join(table)}")
        table[w]()


if __name__ == "__main__":  # torch_peer.py imports the data generator without running these
    run_workloads(WANTED, bench_gemm, bench_circles, bench_mnist_shaped, bench_mnist_tutorial, {"small": bench_small})
