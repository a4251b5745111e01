"""Prints bench/inference/run's table from the files it leaves in DIR.

    table.py DIR ROWS
"""
import os
import sys

NETWORKS = {"small": "2-16-16-1, CSV input", "big": "784-100-10, IDX input"}
RUNNERS = ["nnm-predict", "onnxruntime 1 thread", "onnxruntime 2 threads"]
TARGET_RATIO = 1.5
LATENCY_TARGETS = {"2-16-16-1": 0.5, "784-100-10": 5.0}


def read(path):
    return open(path).read() if os.path.exists(path) else ""


def cpu_line():
    model = flags = ""
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name") and not model:
            model = line.split(":", 1)[1].strip()
        if line.startswith("flags") and not flags:
            have = set(line.split(":", 1)[1].split())
            flags = " ".join(f for f in ["avx2", "fma", "avx512f"] if f in have)
    return f"{model} ({flags}), {os.cpu_count()} logical cores"


def load_line(directory):
    before = read(f"{directory}/load-before.txt").split()[:1]
    after = read(f"{directory}/load-after.txt").split()[:1]
    during = [float(line.split()[0]) for line in read(f"{directory}/load.txt").splitlines() if line.strip()]
    span = f"{min(during):.2f}–{max(during):.2f}" if during else "?"
    return (f"load (1-min average): {before[0] if before else '?'} before, {span} during "
            f"({len(during)} samples, 1 s apart), {after[0] if after else '?'} after")


def main():
    directory, rows = sys.argv[1], int(sys.argv[2])
    best = {}
    cpu_best = {}
    phases = {}
    rounds = set()
    for line in read(f"{directory}/runs.tsv").splitlines():
        net, runner, round_, seconds, cpu, phase = (line.split("\t") + [""])[:6]
        rounds.add(round_)
        seconds, cpu = float(seconds), float(cpu)
        if (net, runner) not in best or seconds < best[(net, runner)]:
            best[(net, runner)] = seconds
            phases[(net, runner)] = phase
        cpu_best[(net, runner)] = min(cpu, cpu_best.get((net, runner), cpu))
    print(f"W5 inference, whole processes, {rows:,} rows; fastest of {len(rounds)} interleaved round(s)")
    print(f"CPU: {cpu_line()}")
    print(load_line(directory))
    print()
    header = f"{'network':<24}" + "".join(f"{r:>28}" for r in RUNNERS) + f"{'best peer ÷ NNM':>17}  target ≥ {TARGET_RATIO}×"
    print(header)
    for net, name in NETWORKS.items():
        cells = []
        for runner in RUNNERS:
            s = best.get((net, runner))
            cells.append(f"{s:.3f} s ({rows / s / 1e6:.2f} M rows/s)" if s else "—")
        nnm = best.get((net, "nnm-predict"))
        peer = min((best[(net, r)] for r in RUNNERS[1:] if (net, r) in best), default=None)
        ratio = peer / nnm if nnm and peer else None
        verdict = ("met" if ratio >= TARGET_RATIO else "MISSED") if ratio else "—"
        print(f"{name:<24}" + "".join(f"{c:>28}" for c in cells)
              + (f"{ratio:>16.2f}×" if ratio else f"{'—':>17}") + f"  {verdict}")
    print()
    print("CPU seconds (user + system, every thread; the least of the rounds): what each run cost the machine,")
    print("which waits for a busy core do not inflate:")
    for net, name in NETWORKS.items():
        cells = "   ".join(f"{r} {cpu_best[(net, r)]:.2f} s" for r in RUNNERS if (net, r) in cpu_best)
        nnm = cpu_best.get((net, "nnm-predict"))
        peer = min((cpu_best[(net, r)] for r in RUNNERS[1:] if (net, r) in cpu_best), default=None)
        ratio = f"   least peer ÷ NNM {peer / nnm:.2f}×" if nnm and peer else ""
        print(f"  {name}: {cells}{ratio}")
    print()
    print("onnxruntime's phases in its fastest run (wall seconds inside the process; the rest is python start-up and imports):")
    for net, name in NETWORKS.items():
        for runner in RUNNERS[1:]:
            if phases.get((net, runner)):
                print(f"  {name}, {runner}: {phases[(net, runner)]}")
    print()
    print("Outputs (nnm-predict's CSV vs onnxruntime's, probabilities):")
    for line in read(f"{directory}/compare.txt").splitlines():
        print("  " + line)
    print()
    print("One-sample latency, NNMModel.predict([Float]) (nnm-bench latency, release build):")
    for line in read(f"{directory}/latency.txt").splitlines():
        parts = line.split("\t")
        if len(parts) < 6 or parts[0] != "RESULT":
            print("  " + line)
            continue
        name, seconds, note = parts[1], float(parts[2]), parts[5]
        target = next((t for key, t in LATENCY_TARGETS.items() if key in name and "NNMModel" in name), None)
        verdict = "" if target is None else f"  target ≤ {target} µs: {'met' if seconds * 1e6 <= target else 'MISSED'}"
        print(f"  {name}: {seconds * 1e6:.3f} µs{verdict}  ({note})")


if __name__ == "__main__":
    main()
