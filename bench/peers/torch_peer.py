"""PyTorch's side of the NNM benchmark workloads (bench/README.md); bench/run runs it only
when `import torch` works. Same networks and data as numpy_peer.py, float32, CPU.
Prints RESULT lines like nnm-bench. `--threads N` sets torch's intra-op threads (bench/run runs
it with 1 and with 2, as it runs numpy with 1 and 2 OpenBLAS threads)."""
import sys
import time

import numpy as np
import torch

sys.path.insert(0, __import__("os").path.dirname(__file__))
from numpy_peer import IDX_DIR, make_circles, mnist_shaped_data, report, run_workloads  # noqa: E402  (same data and sizes as the numpy peer)

QUICK = "--quick" in sys.argv
# --repeat N: each training workload (W1–W3) runs N times from a fresh start and reports its
# fastest run, as nnm-bench does (on a shared machine the slow runs measure the neighbours).
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
REPEATED = f"; fastest of {REPEAT}" if REPEAT > 1 else ""  # for the notes
WANTED = [a for i, a in enumerate(sys.argv[1:]) if not a.startswith("--") and sys.argv[i] not in ("--repeat", "--threads", "--idx")] \
    or ["gemm", "w1", "w2", "w3"]
if "--threads" in sys.argv:
    torch.set_num_threads(int(sys.argv[sys.argv.index("--threads") + 1]))
torch.manual_seed(3)


def mlp(sizes):
    layers = []
    for l, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(i, o)
        torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if l + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def bench_circles(name, sizes, epochs, lr):
    x, y = make_circles(5000, 0.04, 0.8, 1)
    tx, ty = make_circles(1000, 0.04, 0.8, 2)
    x, y = torch.from_numpy(x), torch.from_numpy(y)[:, None]
    loss_fn = torch.nn.BCEWithLogitsLoss()
    s = float("inf")
    for _ in range(REPEAT):  # fresh weights each run: the same work; the fastest run counts
        candidate = mlp(sizes)
        opt = torch.optim.SGD(candidate.parameters(), lr=lr)
        t0 = time.perf_counter()
        for _ in range(epochs):
            opt.zero_grad()
            loss_fn(candidate(x), y).backward()
            opt.step()
        elapsed = time.perf_counter() - t0
        if elapsed < s:
            s, net = elapsed, candidate
    with torch.no_grad():
        acc = float(((net(torch.from_numpy(tx))[:, 0] > 0).numpy() == (ty > 0.5)).mean())
    report(name, s, epochs / s, "epochs/s",
           f"test acc {acc:.3f}; PyTorch {torch.__version__}, {torch.get_num_threads()} threads{REPEATED}")


def bench_mnist_tutorial(samples, epochs):
    """W4, as a PyTorch MNIST tutorial trains it: 784-256-128-10 ReLU, CrossEntropyLoss, Adam
    0.001, batch 64, reshuffled every epoch (index tensors, not a DataLoader: the faster way)."""
    x, labels = mnist_shaped_data(samples, __import__("os").path.join(IDX_DIR, "w4") if IDX_DIR else None)
    x, labels = torch.from_numpy(x), torch.from_numpy(labels)
    samples = len(x)
    loss_fn = torch.nn.CrossEntropyLoss()
    net = mlp([784, 256, 128, 10])
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    t0 = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(samples)
        for start in range(0, samples, 64):
            batch = order[start:start + 64]
            opt.zero_grad()
            loss_fn(net(x[batch]), labels[batch]).backward()
            opt.step()
    s = time.perf_counter() - t0
    report("W4 784-256-128-10 Adam", s, samples * epochs / s, "samples/s",
           f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")


def bench_mnist_shaped(samples):
    x, labels = mnist_shaped_data(samples, IDX_DIR)
    x, labels = torch.from_numpy(x), torch.from_numpy(labels)
    samples = len(x)
    loss_fn = torch.nn.CrossEntropyLoss()
    s = float("inf")
    for _ in range(REPEAT):  # fresh weights each run: the same work; the fastest run counts
        net = mlp([784, 100, 200, 10])
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        t0 = time.perf_counter()
        for start in range(0, samples, 32):
            opt.zero_grad()
            loss_fn(net(x[start:start + 32]), labels[start:start + 32]).backward()
            opt.step()
        s = min(s, time.perf_counter() - t0)
    report("W3 784-100-200-10", s, samples / s, "samples/s",
           f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads{REPEATED}")


def bench_gemm():
    n = 256 if QUICK else 1024
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    for _ in range(3):  # warm-up: thread pool start, first-call dispatch
        a @ b
    times = []
    for _ in range(3 if QUICK else 7):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    s = sorted(times)[len(times) // 2]
    threads = torch.get_num_threads()
    report(f"GEMM {n}³ {threads} thread{'s' if threads != 1 else ''}", s, 2 * n ** 3 / s / 1e9,
           "GFLOP/s", f"PyTorch {torch.__version__}")


run_workloads(WANTED, bench_gemm, bench_circles, bench_mnist_shaped, bench_mnist_tutorial)
