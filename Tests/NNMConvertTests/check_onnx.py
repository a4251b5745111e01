#!/usr/bin/env python3
"""Checks nnm-convert's ONNX and safetensors output against the real runtimes.

For each .nnm model given:
  1. export to ONNX twice: identical bytes; onnx.checker.check_model(full_check=True);
  2. run onnxruntime and onnx.reference on >= 10,000 inputs and compare with nnm-predict on
     the same inputs: 1e-6 absolute on probabilities (a final Sigmoid or Softmax; onnx.reference
     5e-5, see check()), 1e-5 relative on raw outputs, and the same argmax (the class
     nnm-predict predicts);
  3. ONNX -> .nnm and safetensors -> .nnm round trips give bit-identical weights, read back
     with the safetensors library.

Usage: check_onnx.py --bin DIR --work DIR MODEL.nnm...   (DIR holds nnm-convert, nnm-predict)
Prints one "ok" line per model; exits 1 with the reason on the first failure.
"""
import argparse
import warnings
import csv
import os
import subprocess
import sys

import numpy as np
import onnx
import onnx.reference
import onnxruntime
from safetensors.numpy import load_file

ROWS = 10_000


def run(*command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    return result


def inputs_for(model, rows, seed):
    """Inputs the model sees in use: around the standardize statistics when it has them."""
    width = model.graph.input[0].type.tensor_type.shape.dim[1].dim_value
    rng = np.random.default_rng(seed)
    values = {t.name: onnx.numpy_helper.to_array(t) for t in model.graph.initializer}
    noise = rng.standard_normal((rows, width))
    if "layers.0.mean" in values:
        mean, scale = values["layers.0.mean"], values["layers.0.scale"]
        x = mean + 1.5 * noise / scale
    else:
        x = 2.0 * noise
    return x.astype(np.float32)


def write_idx(work, rows, width, seed):
    """Images of random bytes (half of them 0, as in digit images) as IDX files, and the
    float32 values nnm-predict reads from them (Float(byte) / 255). Wide inputs go this way:
    10,000 rows of hundreds of decimal CSV cells would take minutes to parse in a debug build."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(rows, width), dtype=np.uint8)
    pixels[rng.random((rows, width)) < 0.5] = 0
    images, labels = os.path.join(work, "images.idx"), os.path.join(work, "labels.idx")
    with open(images, "wb") as out:
        out.write(bytes([0, 0, 8, 3]) + rows.to_bytes(4, "big") + (1).to_bytes(4, "big") + width.to_bytes(4, "big"))
        out.write(pixels.tobytes())
    with open(labels, "wb") as out:
        out.write(bytes([0, 0, 8, 1]) + rows.to_bytes(4, "big") + bytes(i % 2 for i in range(rows)))
    return f"idx:{images},{labels}", pixels.astype(np.float32) / np.float32(255)


def write_csv(path, x):
    np.savetxt(path, x, fmt="%.9g", delimiter=",")


def nnm_predictions(args, model_path, data, out_path):
    """(values, predicted): nnm-predict's probabilities or raw outputs, and its class column."""
    extra = ["--header", "absent"] if data.startswith("csv:") else []
    run(os.path.join(args.bin, "nnm-predict"), model_path, "--data", data, *extra, "-o", out_path)
    with open(out_path) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    if header[0].startswith("output_"):         # raw outputs of a model that is no classifier
        return header, np.array([[np.float32(v) for v in row] for row in body], dtype=np.float32), []
    if header[0] != "predicted":
        sys.exit(f"FAIL: unexpected nnm-predict header {header}")
    numbers = np.array([[np.float32(v) for v in row[1:]] for row in body], dtype=np.float32)
    return header, numbers, [row[0] for row in body]


def exact(model, x):
    """The exported graph evaluated in float64 (the operators nnm-convert writes)."""
    values = {t.name: onnx.numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    values["input"] = x.astype(np.float64)
    for node in model.graph.node:
        a = values[node.input[0]]
        b = values[node.input[1]] if len(node.input) > 1 else None
        attributes = {attribute.name: onnx.helper.get_attribute_value(attribute) for attribute in node.attribute}
        if node.op_type == "Gemm":
            y = a @ b.T + values[node.input[2]]
        elif node.op_type == "Sub":
            y = a - b
        elif node.op_type == "Mul":
            y = a * b
        elif node.op_type == "Relu":
            y = np.maximum(a, 0)
        elif node.op_type == "LeakyRelu":
            y = np.where(a >= 0, a, attributes["alpha"] * a)
        elif node.op_type == "Sigmoid":
            y = 1 / (1 + np.exp(-a))
        elif node.op_type == "Tanh":
            y = np.tanh(a)
        elif node.op_type == "Softmax":
            e = np.exp(a - a.max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
        elif node.op_type == "Identity":
            y = a
        else:
            sys.exit(f"FAIL: no float64 evaluation for {node.op_type}")
        values[node.output[0]] = y
    return values["output"]


def probability_tolerance(model):
    """1e-6, widened for inputs wider than 256 features: float32 sums of that many products
    round differently in any two implementations (plain sequential float32 summation of the
    784-input digits sample is itself 1.5e-6 from float64, onnxruntime 6e-7)."""
    widest = max(onnx.numpy_helper.to_array(t).shape[1] for t in model.graph.initializer if len(t.dims) == 2)
    return 1e-6 * max(1.0, widest / 256)


def shift_magnitude(model):
    """|shift| of a final Rescale (Mul then Add of constants), else 0: a regression output
    y = x·scale + shift cancels where x·scale ≈ −shift, so its error is relative to its terms'
    size (about |shift|), not to y, which can be near 0 (a 1-ulp difference of x before the
    Rescale then looks like a large relative one)."""
    last = model.graph.node[-1]
    if last.op_type != "Add":
        return 0.0
    values = {t.name: onnx.numpy_helper.to_array(t) for t in model.graph.initializer}
    shift = values.get(last.input[1])
    return float(np.abs(shift).max()) if shift is not None else 0.0


def compare(name, runtime, header, nnm, predicted, last_op, tolerance=1e-6, floor=1e-3):
    """Compares a runtime's outputs with nnm-predict's CSV."""
    probabilities = last_op in ("Sigmoid", "Softmax")
    if probabilities and runtime.shape[1] == 1:
        ours = nnm[:, 1:2]           # columns: predicted, P(class 0) = 1 - p, P(class 1) = p
    elif probabilities:
        ours = nnm
    else:
        ours = np.array([[np.float32(p)] for p in predicted]) if header == ["predicted"] else nnm
    if ours.shape != runtime.shape:
        sys.exit(f"FAIL {name}: shapes {ours.shape} (nnm-predict) vs {runtime.shape}")
    difference = np.abs(ours.astype(np.float64) - runtime.astype(np.float64))
    if probabilities:
        worst = difference.max()
        if worst > tolerance:
            sys.exit(f"FAIL {name}: probabilities differ by {worst:.3g} > {tolerance:.3g}")
        ours_class = np.argmax(nnm, axis=1)
        theirs = np.argmax(runtime, axis=1) if runtime.shape[1] > 1 else (runtime[:, 0] > 0.5).astype(int)
        mismatched = int(np.sum(ours_class != theirs))
        if predicted and all(p.isdigit() for p in predicted):
            mismatched += int(np.sum(np.array([int(p) for p in predicted]) != theirs))
        if mismatched:
            sys.exit(f"FAIL {name}: the predicted class differs on {mismatched} inputs")
    else:
        scale = np.maximum(np.abs(ours), np.abs(runtime)).astype(np.float64)
        worst = (difference / np.maximum(scale, floor)).max()
        if worst > 1e-5:
            sys.exit(f"FAIL {name}: raw outputs differ by {worst:.3g} relative > 1e-5")
        if runtime.shape[1] > 1 and np.any(np.argmax(ours, axis=1) != np.argmax(runtime, axis=1)):
            sys.exit(f"FAIL {name}: the argmax differs")
    return worst


def weights(path):
    return {k: v.view(np.uint32) for k, v in load_file(path).items()}


def check_round_trips(args, model_path, onnx_path, work):
    convert = os.path.join(args.bin, "nnm-convert")
    original = os.path.join(work, "original.safetensors")
    run(convert, model_path, "-o", original, "-q")
    reference = weights(original)
    for label, source in (("onnx", onnx_path), ("safetensors", original)):
        back = os.path.join(work, f"back-{label}.nnm")
        again = os.path.join(work, f"back-{label}.safetensors")
        run(convert, source, "-o", back, "-q")
        run(convert, back, "-o", again, "-q")
        got = weights(again)
        if got.keys() != reference.keys() or any(not np.array_equal(got[k], reference[k]) for k in got):
            sys.exit(f"FAIL {model_path}: {label} round trip changed the weights")


def check(args, model_path, index):
    work = os.path.join(args.work, f"model{index}")
    os.makedirs(work, exist_ok=True)
    convert = os.path.join(args.bin, "nnm-convert")
    onnx_path, again = os.path.join(work, "m.onnx"), os.path.join(work, "again.onnx")
    run(convert, model_path, "-o", onnx_path, "-q")
    run(convert, model_path, "-o", again, "-q")
    if open(onnx_path, "rb").read() != open(again, "rb").read():
        sys.exit(f"FAIL {model_path}: two exports differ")
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model, full_check=True)
    last_op = model.graph.node[-1].op_type

    width = model.graph.input[0].type.tensor_type.shape.dim[1].dim_value
    if width > 64:
        data, x = write_idx(work, ROWS, width, seed=index + 1)
    else:
        x = inputs_for(model, ROWS, seed=index + 1)
        csv_path = os.path.join(work, "inputs.csv")
        write_csv(csv_path, x)
        data = f"csv:{csv_path}"
    header, nnm, predicted = nnm_predictions(args, model_path, data, os.path.join(work, "predictions.csv"))

    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    ort_out = session.run(None, {"input": x})[0]
    tolerance = probability_tolerance(model)
    floor = max(1e-3, shift_magnitude(model))
    worst_ort = compare(f"{model_path} onnxruntime", ort_out, header, nnm, predicted, last_op, tolerance, floor)
    reference = onnx.reference.ReferenceEvaluator(model).run(None, {"input": x})[0]
    # onnx.reference is numpy in float32 with its own summation order and a two-branch sigmoid:
    # a check of the operators' meaning, not of rounding. Where the logits cancel (the moons
    # samples near their boundaries) it is up to 8e-6 from nnm-predict and onnxruntime, which
    # agree with each other within 1e-6; so its bound is 5e-5.
    reference_tolerance = max(50 * tolerance, 5e-5)
    worst_ref = compare(f"{model_path} onnx.reference", reference, header, nnm, predicted, last_op,
                        reference_tolerance, floor)
    if tolerance > 1e-6 and last_op in ("Sigmoid", "Softmax"):
        # The wider bound is checked against the truth too: both sides within it of float64.
        truth = exact(model, x)
        for label, got in (("NNM", nnm[:, 1:2] if truth.shape[1] == 1 else nnm), ("onnxruntime", ort_out)):
            distance = np.abs(got.astype(np.float64) - truth).max()
            if distance > tolerance:
                sys.exit(f"FAIL {model_path}: {label} is {distance:.3g} from float64, more than {tolerance:.3g}")
    check_round_trips(args, model_path, onnx_path, work)
    print(f"ok {model_path}: {ROWS} inputs, {last_op} output, worst difference onnxruntime {worst_ort:.2g}, "
          f"onnx.reference {worst_ref:.2g} (bounds {tolerance:.2g}, {reference_tolerance:.2g}); round trips bit-identical")


def main():
    warnings.filterwarnings("ignore", category=RuntimeWarning)   # onnx.reference's sigmoid overflows exp()
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()
    for index, model in enumerate(args.models):
        check(args, model, index)


if __name__ == "__main__":
    main()
