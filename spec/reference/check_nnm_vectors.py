#!/usr/bin/env python3
"""Run nnm_reader over every vector listed in spec/vectors/manifest.txt and compare.

Usage: python3 spec/reference/check_nnm_vectors.py [VECTOR_DIR]. Prints one line per vector and
"N passed, M failed"; exits non-zero when a vector fails. Uses only this directory's reader."""
import json
import os
import struct
import sys

sys.dont_write_bytecode = True  # keep spec/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nnm_reader import NNMError, read_nnm  # noqa: E402

VEC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors")


def _bits64(x):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def _kv_json(entries):
    """The reader's kvlist in the expected.json form: doubles as f64 bit patterns."""
    out = []
    for e in entries:
        v = e["value"]
        if e["type"] == "double":
            v = _bits64(v)
        elif e["type"] == "doubles":
            v = [_bits64(x) for x in v]
        out.append({"key": e["key"], "type": e["type"], "value": v})
    return out


def compare_ancillary(r, exp):
    problems = []
    if "metadata" in exp:
        got = _kv_json(r["metadata"]) if r["metadata"] is not None else None
        if got != exp["metadata"]:
            problems.append("metadata %s != %s" % (got, exp["metadata"]))
    if "history" in exp:
        h = r["history"]
        got = None if h is None else {"epochs": h["epochs"], "series": [
            {"name": s["name"], "values_bits": ["0x%08x" % b for b in s["bits"]]} for s in h["series"]]}
        if got != exp["history"]:
            problems.append("history %s != %s" % (got, exp["history"]))
    if "recipe" in exp:
        rc = r["recipe"]
        got = None if rc is None else {
            "generator": rc["generator"], "seed": rc["seed"],
            "validation_fraction_bits": _bits64(rc["validation_fraction"]),
            "test_fraction_bits": _bits64(rc["test_fraction"]), "parameters": _kv_json(rc["parameters"])}
        if got != exp["recipe"]:
            problems.append("recipe %s != %s" % (got, exp["recipe"]))
    if "training_state" in exp:
        st = r["training_state"]
        got = None if st is None else {
            "optimizer": st["optimizer"], "step_count": st["step_count"], "plan_epochs": st["plan_epochs"],
            "plan_epochs_done": st["plan_epochs_done"], "batches_per_epoch": st["batches_per_epoch"],
            "batches_done": st["batches_done"], "shuffle_state": ["0x%016x" % w for w in st["shuffle_state"]],
            "partial_loss_sum_bits": "0x%016x" % st["partial_loss_sum_bits"],
            "partial_correct": st["partial_correct"], "partial_samples": st["partial_samples"],
            "buffers": [{"tensor": b["tensor"], "slot": b["slot"], "values_bits": ["0x%08x" % x for x in b["bits"]]}
                        for b in st["buffers"]]}
        if got != exp["training_state"]:
            problems.append("training_state %s != %s" % (got, exp["training_state"]))
    elif r["training_state"] is not None:
        problems.append("the file has a training state, expected.json none")
    if "snapshots" in exp:
        got = None if r["snapshots"] is None else [
            {"epoch": x["epoch"], "values_bits": ["0x%08x" % b for b in x["bits"]]} for x in r["snapshots"]]
        if got != exp["snapshots"]:
            problems.append("snapshots %s != %s" % (got, exp["snapshots"]))
    elif r["snapshots"] is not None:
        problems.append("the file has weight snapshots, expected.json none")
    return problems


def compare_expected(r, exp):
    problems = []
    if exp.get("version") != r["version"]:
        problems.append("version %s != %s" % (r["version"], exp.get("version")))
    if exp.get("digest") != r.get("digest"):
        problems.append("digest %s != %s" % (r.get("digest"), exp.get("digest")))
    el = exp.get("layers", [])
    if len(el) != len(r["layers"]):
        problems.append("layer count %d != %d" % (len(r["layers"]), len(el)))
    for E, L in zip(el, r["layers"]):
        for k in ("kind", "inputs", "outputs"):
            if E[k] != L[k]:
                problems.append("layer %d %s %r != %r" % (L["index"], k, L[k], E[k]))
        if "slope_bits" in E:
            got = "0x%08x" % L["param_bits"][0] if L["param_bits"] else None
            if got != E["slope_bits"]:
                problems.append("layer %d slope %s != %s" % (L["index"], got, E["slope_bits"]))
        unknown = set(E) - {"kind", "inputs", "outputs", "slope_bits"}
        if unknown:
            problems.append("unhandled expected layer keys %s" % unknown)
    et = exp.get("tensors", [])
    if len(et) != len(r["tensors"]):
        problems.append("tensor count %d != %d" % (len(r["tensors"]), len(et)))
    for E, T in zip(et, r["tensors"]):
        if E["name"] != T["name"]:
            problems.append("tensor name %r != %r" % (T["name"], E["name"]))
        if E["shape"] != T["shape"]:
            problems.append("tensor %s shape %s != %s" % (T["name"], T["shape"], E["shape"]))
        if E["raw_crc32"] != "0x%08x" % T["raw_crc"]:
            problems.append("tensor %s raw_crc %08x != %s" % (T["name"], T["raw_crc"], E["raw_crc32"]))
        got = ["0x%08x" % b for b in T["value_bits"][:len(E["first_values_bits"])]]
        if got != E["first_values_bits"]:
            problems.append("tensor %s values %s != %s" % (T["name"], got, E["first_values_bits"]))
        unknown = set(E) - {"name", "shape", "raw_crc32", "first_values_bits"}
        if unknown:
            problems.append("unhandled expected tensor keys %s" % unknown)
    problems += compare_ancillary(r, exp)
    unknown = set(exp) - {"version", "digest", "layers", "tensors", "metadata", "history", "recipe", "training_state", "snapshots"}
    if unknown:
        problems.append("unhandled expected keys %s" % unknown)
    return problems


def main():
    passed = failed = 0
    listed = set()
    with open(os.path.join(VEC, "manifest.txt")) as f:
        lines = f.read().splitlines()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        name, expect = parts[0], parts[1]
        err = parts[2] if len(parts) > 2 else None
        listed.add(name)
        with open(os.path.join(VEC, name), "rb") as fh:
            data = fh.read()
        ok, detail = False, ""
        if expect == "valid":
            try:
                r = read_nnm(data, verify=True)
                expf = os.path.join(VEC, name + ".expected.json")
                if os.path.exists(expf):
                    with open(expf) as fh:
                        probs = compare_expected(r, json.load(fh))
                    ok = not probs
                    detail = "; ".join(probs) if probs else "decoded, matches expected.json"
                else:
                    ok, detail = True, "decoded (no expected.json)"
                if r["warnings"]:
                    detail += " [warnings: %s]" % " | ".join(r["warnings"])
            except NNMError as e:
                detail = "unexpected error %s" % e
        elif expect == "read-error":
            try:
                read_nnm(data, verify=False)
                detail = "read succeeded, expected %s" % err
            except NNMError as e:
                ok = e.name == err
                detail = "%s: %s" % (e.name, e.message)
        elif expect == "verify-error":
            try:
                r = read_nnm(data, verify=False)
                try:
                    read_nnm(data, verify=True)
                    detail = "verification succeeded, expected %s" % err
                except NNMError as e:
                    ok = e.name == err
                    detail = "read ok%s; verify %s: %s" % (
                        " (warnings: %s)" % " | ".join(r["warnings"]) if r["warnings"] else "", e.name, e.message)
            except NNMError as e:
                detail = "read failed with %s, expected read to succeed and verify to fail with %s" % (e, err)
        else:
            detail = "unknown expectation %r" % expect
        if ok:
            passed += 1
        else:
            failed += 1
        print("%-4s %-38s %-12s %-26s %s" % ("ok" if ok else "FAIL", name, expect, err or "", detail))
    for fn in sorted(os.listdir(VEC)):
        if fn.endswith(".nnm") and fn not in listed:
            print("NOTE %s is not listed in the manifest" % fn)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
