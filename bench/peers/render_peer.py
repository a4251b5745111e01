"""matplotlib's side of workload R (bench/README.md): a decision-boundary picture.

What a user writes instead of `nnm-render boundary`: moons(1000, noise 0.2), a 2-16-16-1
ReLU/sigmoid network (random weights: the picture's cost does not depend on them), its
probability evaluated with numpy on a 1000x1000 grid, drawn with contourf + a scatter of the
1000 points + a colorbar, saved as a 1000x1000-pixel PNG. bench/run times this whole process
(python start-up + imports + work), as it times nnm-render's.
Usage: python3 render_peer.py OUT.png
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "boundary-matplotlib.png"
rng = np.random.default_rng(0)

# moons, as sklearn.datasets.make_moons draws them
n_out = 500
n_in = 1000 - n_out
outer = np.linspace(0, np.pi, n_out)
inner = np.linspace(0, np.pi, n_in)
x = np.vstack([np.append(np.cos(outer), 1 - np.cos(inner)),
               np.append(np.sin(outer), 1 - np.sin(inner) - 0.5)]).T
x += rng.normal(scale=0.2, size=x.shape)
y = np.hstack([np.zeros(n_out), np.ones(n_in)])

sizes = [2, 16, 16, 1]
weights = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32)
           for a, b in zip(sizes[:-1], sizes[1:])]
biases = [np.zeros(b, np.float32) for b in sizes[1:]]


def probability(points):
    h = points.astype(np.float32)
    for i, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w + b
        if i < len(weights) - 1:
            h = np.maximum(h, 0)
    return 1 / (1 + np.exp(-h[:, 0]))


pad = 0.5
xs = np.linspace(x[:, 0].min() - pad, x[:, 0].max() + pad, 1000, dtype=np.float32)
ys = np.linspace(x[:, 1].min() - pad, x[:, 1].max() + pad, 1000, dtype=np.float32)
gx, gy = np.meshgrid(xs, ys)
p = probability(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)

fig, ax = plt.subplots(figsize=(10, 10), dpi=100)
field = ax.contourf(gx, gy, p, levels=20, cmap="RdBu_r", vmin=0, vmax=1)
ax.contour(gx, gy, p, levels=[0.5], colors="k", linewidths=1)
ax.scatter(x[:, 0], x[:, 1], c=y, cmap="RdBu_r", edgecolors="k", s=12)
fig.colorbar(field, ax=ax, label="P(class 1)")
ax.set_title("decision boundary")
fig.savefig(out, dpi=100)
