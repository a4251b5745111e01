"""Writes the inputs of the inference benchmark (bench/inference/run), deterministically.

    make_data.py DIR ROWS

DIR/points.csv   ROWS rows of two features (no header): points of the circles problem, the
                 2-16-16-1 network's input.
DIR/train-images.idx, DIR/train-labels.idx   6000 MNIST-shaped images (28×28 bytes) of ten
                 classes, to train the 784-100-10 network briefly.
DIR/images.idx, DIR/labels.idx   ROWS images of the same kind, the 784-100-10 network's input.

The images are a class prototype (two faint strokes of 20 pixels per class) plus strong noise,
so a briefly trained network is right most of the time but not always, and its probabilities
are not all 0 or 1.
"""
import sys

import numpy as np


def idx_header(kind_dims):
    dims = kind_dims
    header = bytes([0, 0, 8, len(dims)])
    for d in dims:
        header += int(d).to_bytes(4, "big")
    return header


def images(rng, prototypes, count):
    labels = rng.integers(0, 10, size=count, dtype=np.int64)
    out = np.empty((count, 784), dtype=np.uint8)
    step = 50_000
    for start in range(0, count, step):
        end = min(count, start + step)
        base = prototypes[labels[start:end]]
        noise = rng.normal(0, 80, size=(end - start, 784))
        out[start:end] = np.clip(base + noise, 0, 255).astype(np.uint8)
    return out, labels.astype(np.uint8)


def write_idx(path_images, path_labels, pixels, labels):
    with open(path_images, "wb") as f:
        f.write(idx_header([len(labels), 28, 28]))
        f.write(pixels.tobytes())
    with open(path_labels, "wb") as f:
        f.write(idx_header([len(labels)]))
        f.write(labels.tobytes())


def main():
    directory, rows = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(17)
    # Circles: two rings (radius 1 and 0.8) with noise 0.04, as nnm-train --dataset circles.
    angle = rng.uniform(0, 2 * np.pi, rows)
    radius = np.where(rng.integers(0, 2, rows) == 1, 0.8, 1.0)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    points += rng.normal(0, 0.04, size=points.shape)
    np.savetxt(directory + "/points.csv", points.astype(np.float32), fmt="%.6f", delimiter=",")
    prototypes = np.zeros((10, 784))
    for c in range(10):
        for _ in range(2):
            cells = rng.choice(784, size=20, replace=False)
            prototypes[c, cells] = 60
    pixels, labels = images(rng, prototypes, 6000)
    write_idx(directory + "/train-images.idx", directory + "/train-labels.idx", pixels, labels)
    pixels, labels = images(rng, prototypes, rows)
    write_idx(directory + "/images.idx", directory + "/labels.idx", pixels, labels)


if __name__ == "__main__":
    main()
