"""Shared paths and helpers for the nnm package's tests.

The tests use the installed package (`pip install ./python`); run from a checkout without it,
they fall back to python/src. Tests that run NNM's Swift tools (`nnm-predict`, `nnm-train`)
skip when the tools are not built: `swift build` (or `swift test`) first, or set
NNM_BIN_DIR to the directory holding them."""
import os
import shutil
import sys

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
VECTORS = os.path.join(ROOT, "spec", "vectors")
SAMPLES = os.path.join(ROOT, "samples")

try:
    import nnm  # noqa: F401
except ImportError:  # a checkout without `pip install ./python`
    sys.path.insert(0, os.path.join(ROOT, "python", "src"))


def manifest():
    """[(file, expectation, error or None)] of spec/vectors/manifest.txt."""
    entries = []
    with open(os.path.join(VECTORS, "manifest.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                parts = line.split()
                entries.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    return entries


def sample_models():
    return sorted(os.path.join(SAMPLES, d, "model.nnm") for d in os.listdir(SAMPLES)
                  if os.path.exists(os.path.join(SAMPLES, d, "model.nnm")))


def vector_bytes(name):
    with open(os.path.join(VECTORS, name), "rb") as f:
        return f.read()


def swift_tool(name):
    """Path of a built NNM tool, or None."""
    candidates = []
    if os.environ.get("NNM_BIN_DIR"):
        candidates.append(os.path.join(os.environ["NNM_BIN_DIR"], name))
    candidates += [os.path.join(ROOT, ".build", mode, name) for mode in ("debug", "release")]
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    return shutil.which(name)


@pytest.fixture
def tool():
    """tool("nnm-predict") -> its path; skips the test when the tool is not built."""
    def find(name):
        path = swift_tool(name)
        if path is None:
            pytest.skip("%s is not built (run `swift build` first)" % name)
        return path
    return find
