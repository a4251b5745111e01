"""The onnxruntime peer of nnm-predict, run as a whole process by bench/inference/run.

    ort_predict.py MODEL.onnx --threads N (--csv PATH | --idx IMAGES LABELS) -o OUT.csv [--phases]

Does what `nnm-predict MODEL.nnm --data … -o OUT.csv` does, the ordinary numpy way: reads the
input (np.loadtxt for CSV; the IDX bytes memory-mapped, scaled by 1/255 as nnm-predict reads
them), runs the exported model on onnxruntime's CPU provider with N intra-op threads (in
chunks of 65,536 rows, so memory stays bounded like nnm-predict's), writes the same CSV columns
(header, `predicted` then one probability per class; %.9g, which reads back to the same
float32) and, for labelled IDX data, counts the accuracy as nnm-predict's evaluation does.
--phases prints the seconds spent reading, running and writing on stderr.
"""
import argparse
import sys
import time

import numpy as np
import onnxruntime as ort

CHUNK = 65_536


def idx_array(path, header_bytes, shape_tail):
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=header_bytes)
    return data.reshape((-1,) + shape_tail)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--csv")
    parser.add_argument("--idx", nargs=2)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    labels = None
    read_time = run_time = write_time = 0.0
    t = time.perf_counter()
    if args.csv:
        features = np.loadtxt(args.csv, delimiter=",", dtype=np.float32, ndmin=2)
        chunks = (features[i:i + CHUNK] for i in range(0, len(features), CHUNK))
    else:
        pixels = idx_array(args.idx[0], 16, (784,))
        labels = np.array(idx_array(args.idx[1], 8, ()))
        scale = np.float32(255)
        chunks = (pixels[i:i + CHUNK].astype(np.float32) / scale for i in range(0, len(pixels), CHUNK))
    read_time += time.perf_counter() - t

    correct = 0
    row = 0
    with open(args.output, "w") as out:
        header_done = False
        while True:
            t = time.perf_counter()
            chunk = next(chunks, None)
            read_time += time.perf_counter() - t
            if chunk is None:
                break
            t = time.perf_counter()
            outputs = session.run(None, {input_name: chunk})[0]
            run_time += time.perf_counter() - t
            t = time.perf_counter()
            if outputs.shape[1] == 1:
                probabilities = np.concatenate([1 - outputs, outputs], axis=1)
                predicted = (outputs[:, 0] >= 0.5).astype(np.int64)
            else:
                probabilities = outputs
                predicted = np.argmax(outputs, axis=1)
            if labels is not None:
                correct += int(np.count_nonzero(predicted == labels[row:row + len(chunk)]))
            row += len(chunk)
            if not header_done:
                out.write(",".join(["predicted"] + [str(c) for c in range(probabilities.shape[1])]) + "\n")
                header_done = True
            line = "%d" + ",%.9g" * probabilities.shape[1]
            table = np.concatenate([predicted[:, None].astype(np.float64), probabilities.astype(np.float64)], axis=1)
            out.write("\n".join(line % tuple(r) for r in table.tolist()))
            out.write("\n")
            write_time += time.perf_counter() - t
    if labels is not None:
        print(f"accuracy {correct / max(1, row):.4f} over {row} samples")
    if args.phases:
        print(f"phases: read {read_time:.3f} run {run_time:.3f} write {write_time:.3f} s",
              file=sys.stderr)


if __name__ == "__main__":
    main()
