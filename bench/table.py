"""Joins the RESULT lines of nnm-bench and the peers into one table (bench/run calls this)."""
import os
import sys

out = sys.argv[1]


def read(name):
    rows = {}
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return rows
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 5 and parts[0] == "RESULT":
            rows[parts[1]] = (float(parts[2]), float(parts[3]), parts[4],
                              parts[5] if len(parts) > 5 else "")
    return rows


nnm = read("nnm.txt")
peers = [("numpy 1t", read("numpy-1.txt")), ("numpy 2t", read("numpy-2.txt")),
         ("PyTorch", read("torch.txt"))]


def fmt_time(s):
    return f"{s * 1e3:.3f} ms" if s < 1 else f"{s:.3f} s"


def fmt_rate(x, unit):
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
        # "W1 2-5-2-1 (engine Trainer)" is compared with the peers' "W1 2-5-2-1".
        hit = results.get(workload) or results.get(workload.split(" (")[0])
        if hit:
            row += [fmt_time(hit[0]), fmt_rate(hit[1], hit[2])
                    + (f" ({accuracy(hit[3])})" if accuracy(hit[3]) else "")]
            best = hit[1] if best is None else max(best, hit[1])
        else:
            row += ["—", "—"]
    row += [f"{thr / best:.2f}×" if best else "—"]
    lines.append(row)

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
        if workload.startswith("GEMM") and note:
            print(f"{name} {workload}: {note}")
before = open(os.path.join(out, "load-before.txt")).read().split()
after = open(os.path.join(out, "load-after.txt")).read().split()
samples = [l.split() for l in open(os.path.join(out, "load.txt"))] if os.path.exists(
    os.path.join(out, "load.txt")) else []
peak_running = max((int(s[3].split("/")[0]) for s in samples), default=0)
print(f"machine load (1/5/15-min avg): before {' '.join(before[:3])}, after {' '.join(after[:3])}; "
      f"most runnable tasks seen in 1-s samples: {peak_running} (this run itself is 1–2); "
      f"cores: {os.cpu_count()}")
for name in ("numpy-missing.txt", "torch-missing.txt"):
    missing = os.path.join(out, name)
    if os.path.exists(missing):
        print(open(missing).read().strip())
print("Ratios are throughput ratios from this one run; numpy runs with OPENBLAS_CORETYPE and "
      "OPENBLAS_L2_SIZE unset (see the note on each numpy GEMM row for the kernel it chose).")
