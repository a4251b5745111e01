"""Joins the RESULT lines of nnm-bench and the peers into one table (bench/run calls this)."""
import os
import sys

out = sys.argv[1]


def read(name):
    """Each workload's row; a workload measured in several rounds keeps its fastest round."""
    rows = {}
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return rows
    rounds = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 5 and parts[0] == "RESULT":
            row = (float(parts[2]), float(parts[3]), parts[4], parts[5] if len(parts) > 5 else "")
            rounds[parts[1]] = rounds.get(parts[1], 0) + 1
            if parts[1] not in rows or row[0] < rows[parts[1]][0]:
                rows[parts[1]] = row
    for workload, count in rounds.items():
        if count > 1:
            s, thr, unit, note = rows[workload]
            rows[workload] = (s, thr, unit, f"{note}; fastest of {count} rounds")
    return rows


def row_order(workload):
    """Products first, then training, I/O, pictures, inspection, memory (as bench/README lists them)."""
    if "peak" in workload:
        return 7
    if "portable" in workload:
        return 2
    for rank, prefix in ((0, "GEMM"), (3, "W"), (4, "S "), (5, "R "), (6, "inspect")):
        if workload.startswith(prefix):
            return rank
    return 1  # the small shapes


nnm = dict(sorted(read("nnm.txt").items(), key=lambda item: row_order(item[0])))
peers = [("numpy 1t", read("numpy-1.txt")), ("numpy 2t", read("numpy-2.txt")),
         ("PyTorch 1t", read("torch-1.txt")), ("PyTorch 2t", read("torch-2.txt")), ("matplotlib", read("matplotlib.txt"))]


def fmt_time(s):
    return f"{s * 1e3:.3f} ms" if s < 1 else f"{s:.3f} s"


def fmt_rate(x, unit):
    if unit == "MB peak":
        return f"{x:.1f} MB peak"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M {unit}"
    if x >= 1e4:
        return f"{x / 1e3:.1f} k {unit}"
    return f"{x:.1f} {unit}"


def accuracy(note):
    for part in note.split(";"):
        if "acc" in part:
            return part.strip().replace("test acc ", "")
    return ""


peers = [(name, results) for name, results in peers if results]
header = ["workload", "NNM time", "NNM throughput", "acc"]
for name, _ in peers:
    header += [f"{name} time", f"{name} thr."]
header += ["NNM ÷ best peer"]
lines = []
for workload, (s, thr, unit, note) in nnm.items():
    row = [workload, fmt_time(s), fmt_rate(thr, unit), accuracy(note)]
    best = None
    for name, results in peers:
        # "W1 2-5-2-1 (engine Trainer)" is compared with the peers' "W1 2-5-2-1"; a whole-process
        # row only with the peer's whole-process row (runs/s and epochs/s do not divide).
        hit = results.get(workload)
        if hit is None and not workload.endswith("process)"):
            hit = results.get(workload.split(" (")[0])
        if hit:
            row += [fmt_time(hit[0]), fmt_rate(hit[1], hit[2])
                    + (f" ({accuracy(hit[3])})" if accuracy(hit[3]) else "")]
            # Peak memory: lower is better, so the best peer is the smallest one.
            pick = min if unit == "MB peak" else max
            best = hit[1] if best is None else pick(best, hit[1])
        else:
            row += ["—", "—"]
    if unit == "MB peak":   # NNM ÷ peer as a resident-size ratio (below 1: NNM needs less)
        row += [f"{thr / best:.2f}× RSS" if best else "—"]
    else:
        row += [f"{thr / best:.2f}×" if best else "—"]
    lines.append(row)

# The machine every figure of this table was measured on, printed above it.
cpu_path = os.path.join(out, "cpu.txt")
if os.path.exists(cpu_path):
    cpu = (open(cpu_path).read().splitlines() + ["", "", ""])[:3]
    now = open(os.path.join(out, "load-after.txt")).read().split()
    print(f"CPU: {cpu[0] or 'unknown'}; flags: {cpu[1].strip() or 'none of avx2, avx512f, fma'}; "
          f"cores: {cpu[2]}; load average at the end: {' '.join(now[:3])}")
    print()

widths = [max(len(str(r[i])) for r in [header] + lines) for i in range(len(header))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in lines:
    print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")

print()
for name, (s, thr, unit, note) in nnm.items():
    if note:
        print(f"NNM {name}: {note}")
for name, results in peers:
    for workload, (s, thr, unit, note) in results.items():
        if (workload.startswith(("GEMM", "S ", "W3 peak", "R "))) and note:
            print(f"{name} {workload}: {note}")
before = open(os.path.join(out, "load-before.txt")).read().split()
after = open(os.path.join(out, "load-after.txt")).read().split()
samples = [l.split() for l in open(os.path.join(out, "load.txt"))] if os.path.exists(
    os.path.join(out, "load.txt")) else []
peak_running = max((int(s[3].split("/")[0]) for s in samples), default=0)
print(f"machine load (1/5/15-min avg): before {' '.join(before[:3])}, after {' '.join(after[:3])}; "
      f"most runnable tasks seen in 1-s samples: {peak_running} (this run itself is 1–2); "
      f"cores: {os.cpu_count()}")
for name, label in (("rss-nnm.txt", "nnm-bench w3-memory"), ("rss-numpy.txt", "memory_peer.py"),
                    ("rss-nnm-train.txt", "nnm-train W3 (its 39 MB of images held in memory)")):
    path = os.path.join(out, name)
    if os.path.exists(path):
        kib = open(path).read().split()[-1]
        print(f"/usr/bin/time -f %M, whole process of {label}: max RSS {int(kib) / 1024:.1f} MB")

# The targets of issue 5 for these rows, from this run's numbers.
numpy1 = dict(peers).get("numpy 1t", {})
mpl = dict(peers).get("matplotlib", {})
checks = []
for workload, (s, thr, unit, note) in nnm.items():
    if workload.startswith("S ") and workload.endswith(" load") and workload in numpy1:
        r = thr / numpy1[workload][1]
        checks.append(f"S load ≥ 2× npz_compressed: {r:.2f}× {'✔' if r >= 2 else '✘'}")
    if workload.startswith("S ") and workload.endswith(" save") and "file " in note:
        f = float(note.split("file ")[1].split()[0])
        checks.append(f"S file ≤ 0.87 of raw: {f:.3f} {'✔' if f <= 0.87 else '✘'}")
    if workload.startswith("R ") and workload in mpl:
        r = mpl[workload][0] / s
        checks.append(f"R ≤ 1/10 of matplotlib: 1/{r:.1f} {'✔' if r >= 10 else '✘'}")
    if workload.startswith("inspect"):
        checks.append(f"{workload} < 20 ms: {s * 1e3:.1f} ms {'✔' if s < 0.020 else '✘'}")
    if unit == "MB peak" and "IDX streamed" in workload:
        checks.append(f"W3 peak < 50 MB resident (images read from their IDX file, as nnm-train reads one "
                      f"over 1 GiB): "
                      f"{thr:.1f} MB {'✔' if thr < 50 else '✘'}")
    if unit == "MB peak" and "in memory" in workload:
        checks.append(f"(for comparison, not a target: W3 with its 50,000×784 float32 inputs in memory, "
                      f"156.8 MB of them: {thr:.1f} MB peak)")
    # Speed targets against numpy's better thread count, engine rows (what nnm-train runs).
    numpy_best = [results[workload.split(" (")[0]][1] for name, results in peers
                  if name.startswith("numpy") and workload.split(" (")[0] in results]
    goals = {"W1": 20, "W2": 10, "W3": 1.5}
    if "(engine Trainer" in workload and workload[:2] in goals and numpy_best:
        r = thr / max(numpy_best)
        goal = goals[workload[:2]]
        checks.append(f"{workload} ≥ {goal:g}× numpy: {r:.2f}× {'✔' if r >= goal else '✘'}")
    if workload in ("GEMM 1024³ 1 thread", "GEMM 1024³ 2 threads"):
        peer = dict(peers).get("numpy 1t" if "1 thread" in workload else "numpy 2t", {}).get(workload)
        if peer:
            r = thr / peer[1]
            checks.append(f"{workload} ≥ 80% of OpenBLAS: {r:.0%} {'✔' if r >= 0.8 else '✘'}")
# Issue 17: nnm-train as a whole process against the best peer's whole process (W4: PyTorch's).
process_goals = {"W1": (15, "best peer"), "W2": (10, "best peer"), "W3": (2, "best peer"), "W4": (2, "PyTorch")}
for workload, (s, thr, unit, note) in nnm.items():
    if not workload.endswith("(nnm-train process)") or workload[:2] not in process_goals:
        continue
    goal, against = process_goals[workload[:2]]
    times = [(results[workload][0], name) for name, results in peers
             if workload in results and (against != "PyTorch" or name.startswith("PyTorch"))]
    if times:
        best, name = min(times)
        r = best / s
        checks.append(f"{workload} ≥ {goal:g}× {against} ({name}, {fmt_time(best)}): {r:.2f}× {'✔' if r >= goal else '✘'}")
# Issue 17: with a busy neighbour, two threads never more than 5 % slower than one.
for w in ("W1", "W2", "W3"):
    one = nnm.get(f"{w} nnm-train --threads 1, busy neighbour (process)")
    two = nnm.get(f"{w} nnm-train --threads 2, busy neighbour (process)")
    if one and two:
        r = two[0] / one[0]
        checks.append(f"{w} --threads 2 ≤ 1.05× --threads 1 with a busy neighbour: {r:.2f}× {'✔' if r <= 1.05 else '✘'}")
if os.path.exists(os.path.join(out, "quick")):
    print("(--quick: smaller sizes than the targets are defined for; target lines omitted)")
else:
    for check in checks:
        print("target " + check)
for name in ("numpy-missing.txt", "torch-missing.txt", "matplotlib-missing.txt"):
    missing = os.path.join(out, name)
    if os.path.exists(missing):
        print(open(missing).read().strip())
print("Ratios are throughput ratios from this one run; numpy runs with OPENBLAS_CORETYPE and "
      "OPENBLAS_L2_SIZE unset (see the note on each numpy GEMM row for the kernel it chose).")
