#!/usr/bin/env python3
"""Checks nnm-convert's importers on files written by the real producers.

  - an MLP built with onnx.helper (MatMul + Add, Gemm transB 0 with float_data, Gemm transB 1
    with raw_data, Flatten, Relu, Tanh, Sigmoid): imported, then nnm-predict compared with
    onnxruntime on the original file over 10,000 inputs;
  - a state dict written by safetensors.numpy.save_file as PyTorch names it (net.0.weight,
    net.0.bias, net.2.weight, ...), in F32 and in F16: imported with --layers, then nnm-predict
    compared with a float64 numpy forward pass;
  - with torch importable: an nn.Sequential trained a few steps, saved with
    safetensors.torch.save_file and exported with torch.onnx.export, both imported and
    compared with torch's own outputs. Skipped (said so) without torch.

Usage: check_import.py --bin DIR --work DIR. One "ok" or "skip" line per check; exit 1 on failure.
"""
import argparse
import csv
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import save_file

ROWS = 10_000


def run(*command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    return result


def predict(args, model, x, work):
    """nnm-predict's outputs: P(class 1) for one sigmoid output, else one column per output."""
    inputs, outputs = os.path.join(work, "inputs.csv"), os.path.join(work, "predictions.csv")
    np.savetxt(inputs, x, fmt="%.9g", delimiter=",")
    run(os.path.join(args.bin, "nnm-predict"), model, "--data", f"csv:{inputs}", "--header", "absent", "-o", outputs)
    with open(outputs) as f:
        rows = list(csv.reader(f))
    values = np.array([[float(v) for v in row[1:]] for row in rows[1:]])
    return values[:, 1:2] if values.shape[1] == 2 and rows[0][1:] == ["0", "1"] else values


def agree(label, ours, theirs, tolerance=1e-6):
    worst = np.abs(ours - theirs).max()
    if worst > tolerance:
        sys.exit(f"FAIL {label}: outputs differ by {worst:.3g} > {tolerance:.3g}")
    mine = np.argmax(ours, 1) if ours.shape[1] > 1 else (ours[:, 0] > 0.5)
    other = np.argmax(theirs, 1) if theirs.shape[1] > 1 else (theirs[:, 0] > 0.5)
    if np.any(mine != other):
        sys.exit(f"FAIL {label}: the predicted class differs on {int(np.sum(mine != other))} inputs")
    return worst


def onnx_helper_graph(args, work, rng):
    w1 = rng.standard_normal((5, 8)).astype(np.float32)      # MatMul: [inputs, outputs]
    b1 = rng.standard_normal(8).astype(np.float32)
    w2 = rng.standard_normal((8, 6)).astype(np.float32)      # Gemm transB = 0
    b2 = rng.standard_normal(6).astype(np.float32)
    w3 = rng.standard_normal((1, 6)).astype(np.float32)      # Gemm transB = 1
    b3 = rng.standard_normal(1).astype(np.float32)
    initializers = [
        helper.make_tensor("w1", TensorProto.FLOAT, w1.shape, w1.flatten().tolist()),   # float_data
        helper.make_tensor("b1", TensorProto.FLOAT, b1.shape, b1.tolist()),
        helper.make_tensor("w2", TensorProto.FLOAT, w2.shape, w2.flatten().tolist()),
        numpy_helper.from_array(b2, "b2"),                                               # raw_data
        numpy_helper.from_array(w3, "w3"),
        numpy_helper.from_array(b3, "b3"),
    ]
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], name="flatten", axis=1),
        helper.make_node("MatMul", ["f", "w1"], ["m"], name="fc1/matmul"),
        helper.make_node("Add", ["m", "b1"], ["a"], name="fc1/add"),
        helper.make_node("Relu", ["a"], ["r"], name="relu"),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["g"], name="fc2", transB=0, alpha=1.0, beta=1.0),
        helper.make_node("Tanh", ["g"], ["t"], name="tanh"),
        helper.make_node("Gemm", ["t", "w3", "b3"], ["z"], name="fc3", transB=1),
        helper.make_node("Sigmoid", ["z"], ["y"], name="sigmoid"),
    ]
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="onnx.helper")
    onnx.checker.check_model(model, full_check=True)
    path, converted = os.path.join(work, "helper.onnx"), os.path.join(work, "helper.nnm")
    onnx.save(model, path)
    run(os.path.join(args.bin, "nnm-convert"), path, "-o", converted, "-q")
    x = (2 * rng.standard_normal((ROWS, 5))).astype(np.float32)
    expected = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    worst = agree("onnx.helper graph", predict(args, converted, x, work), expected)
    print(f"ok onnx.helper MatMul+Add/Gemm transB 0 and 1/float_data and raw_data: {ROWS} inputs, worst {worst:.2g}")


def forward(tensors, prefix, x):
    """Linear, ReLU, Linear, Softmax in float64."""
    h = np.maximum(x @ tensors[f"{prefix}0.weight"].T.astype(np.float64) + tensors[f"{prefix}0.bias"], 0)
    z = h @ tensors[f"{prefix}2.weight"].T.astype(np.float64) + tensors[f"{prefix}2.bias"]
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def state_dict(args, work, rng):
    for dtype, prefix in ((np.float32, "net."), (np.float16, "")):
        tensors = {
            f"{prefix}0.weight": (0.5 * rng.standard_normal((16, 4))).astype(dtype),   # torch-like scale: 1/sqrt(fan_in)
            f"{prefix}0.bias": rng.standard_normal(16).astype(dtype),
            f"{prefix}2.weight": (0.25 * rng.standard_normal((3, 16))).astype(dtype),
            f"{prefix}2.bias": rng.standard_normal(3).astype(dtype),
        }
        path = os.path.join(work, f"state-{dtype.__name__}.safetensors")
        converted = path.replace(".safetensors", ".nnm")
        save_file(tensors, path, metadata={"format": "pt"})
        result = run(os.path.join(args.bin, "nnm-convert"), path, "-o", converted, "--layers", "linear,relu,linear,softmax")
        if dtype == np.float16 and "widened" not in result.stderr:
            sys.exit("FAIL: F16 import did not say it widened")
        x = rng.standard_normal((ROWS, 4)).astype(np.float32)
        expected = forward({k: v.astype(np.float64) for k, v in tensors.items()}, prefix, x.astype(np.float64))
        worst = agree(f"state dict {dtype.__name__}", predict(args, converted, x, work), expected)
        print(f"ok safetensors state dict ({dtype.__name__}, prefix '{prefix}'): {ROWS} inputs, worst {worst:.2g}")


def torch_models(args, work, rng):
    try:
        import torch
        from safetensors.torch import save_file as save_torch
    except ImportError:
        print("skip torch: not importable (the ONNX and safetensors files it writes are the formats checked above)")
        return
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                                torch.nn.Linear(16, 3), torch.nn.Softmax(dim=1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    data = torch.randn(256, 4)
    labels = (data[:, 0] > 0).long() + (data[:, 1] > 0).long()
    for _ in range(50):
        optimizer.zero_grad()
        loss = torch.nn.functional.nll_loss(torch.log(model(data) + 1e-9), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    x = rng.standard_normal((ROWS, 4)).astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy().astype(np.float64)
    weights = os.path.join(work, "torch.safetensors")
    save_torch(model.state_dict(), weights)
    exported = os.path.join(work, "torch.onnx")
    torch.onnx.export(model, torch.randn(1, 4), exported, input_names=["x"], output_names=["p"],
                      dynamic_axes={"x": {0: "batch"}, "p": {0: "batch"}})
    convert = os.path.join(args.bin, "nnm-convert")
    run(convert, weights, "-o", weights + ".nnm", "--layers", "linear,relu,linear,tanh,linear,softmax", "-q")
    run(convert, exported, "-o", exported + ".nnm", "-q")
    for label, path in (("safetensors", weights + ".nnm"), ("torch.onnx.export", exported + ".nnm")):
        worst = agree(f"torch {label}", predict(args, path, x, work), expected)
        print(f"ok torch {label}: {ROWS} inputs, worst {worst:.2g}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(3)
    onnx_helper_graph(args, args.work, rng)
    state_dict(args, args.work, rng)
    torch_models(args, args.work, rng)


if __name__ == "__main__":
    main()
