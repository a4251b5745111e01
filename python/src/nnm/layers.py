"""Layer kinds (spec §6) and layers.

Every kind is one :class:`LayerKind` entry of :data:`LAYER_KINDS`: its id in the file, its name,
its parameters, the tensors it owns and their shapes, and its forward function. The reader, the
writer, the forward pass and the PyTorch bridge all go through this table, so a new kind (a new
minor version of the format) is one more entry here (and one in ``_torch.py``'s table).
"""

import math
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

import numpy as np

from . import _float32 as f32
from ._wire import MAX_WIDTH
from .errors import fail

__all__ = ["LayerKind", "Layer", "LAYER_KINDS", "layer_kind"]

F32 = np.dtype("<f4")


@dataclass(frozen=True)
class LayerKind:
    """One kind of layer: what the file says about it and what it computes.

    ``tensor_shapes(inputs, outputs)`` gives the shape of each owned tensor by role, in the
    canonical order of the tensor table. ``forward32(layer, x)`` maps a float32 batch
    ``(samples, inputs)`` to ``(samples, outputs)`` with NNM's float32 arithmetic
    (spec/training.md §1); ``forward64`` does the same in float64.
    """

    id: int
    name: str
    params: Tuple[str, ...]
    shape_preserving: bool
    tensor_shapes: Callable[[int, int], Dict[str, Tuple[int, ...]]]
    forward64: Callable[["Layer", np.ndarray], np.ndarray]
    forward32: Callable[["Layer", np.ndarray], np.ndarray]

    def __repr__(self):
        return "LayerKind.%s" % self.name


def _no_tensors(inputs, outputs):
    return {}


def _linear_forward(layer, x):
    weight = layer.tensors["weight"].astype(np.float64)
    return x @ weight.T + layer.tensors["bias"].astype(np.float64)


def _leaky_forward(layer, x):
    return np.where(x > 0, x, layer.params["slope"] * x)


def _sigmoid_forward(layer, x):
    # Never overflows: e^(-|x|) is at most 1 (spec/training.md §1 uses the same two branches).
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax_forward(layer, x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _standardize_forward(layer, x):
    mean = layer.tensors["mean"].astype(np.float64)
    return (x - mean) * layer.tensors["scale"].astype(np.float64)


def _rescale_forward(layer, x):
    return x * layer.tensors["scale"].astype(np.float64) + layer.tensors["shift"].astype(np.float64)


def _t(layer, role):
    return layer.tensors[role]


LINEAR = LayerKind(1, "Linear", (), False, lambda i, o: {"weight": (o, i), "bias": (o,)}, _linear_forward,
                   lambda layer, x: f32.linear32(x, _t(layer, "weight"), _t(layer, "bias")))
RELU = LayerKind(2, "ReLU", (), True, _no_tensors, lambda layer, x: np.maximum(x, 0.0),
                 lambda layer, x: np.maximum(x, F32.type(0)))
LEAKY_RELU = LayerKind(3, "LeakyReLU", ("slope",), True, _no_tensors, _leaky_forward,
                       lambda layer, x: f32.leaky32(x, layer.params["slope"]))
SIGMOID = LayerKind(4, "Sigmoid", (), True, _no_tensors, _sigmoid_forward, lambda layer, x: f32.sigmoid32(x))
TANH = LayerKind(5, "Tanh", (), True, _no_tensors, lambda layer, x: np.tanh(x), lambda layer, x: f32.tanh32(x))
SOFTMAX = LayerKind(6, "Softmax", (), True, _no_tensors, _softmax_forward, lambda layer, x: f32.softmax32(x))
IDENTITY = LayerKind(7, "Identity", (), True, _no_tensors, lambda layer, x: x, lambda layer, x: x)
STANDARDIZE = LayerKind(8, "Standardize", (), True, lambda i, o: {"mean": (i,), "scale": (i,)}, _standardize_forward,
                        lambda layer, x: f32.standardize32(x, _t(layer, "mean"), _t(layer, "scale")))
# Format 1.1: the output layer of a regression model (target units = x·std + mean).
RESCALE = LayerKind(9, "Rescale", (), True, lambda i, o: {"scale": (o,), "shift": (o,)}, _rescale_forward,
                    lambda layer, x: f32.rescale32(x, _t(layer, "scale"), _t(layer, "shift")))

#: Every kind this package knows, by its id in the file.
LAYER_KINDS: Dict[int, LayerKind] = {kind.id: kind for kind in
                                     (LINEAR, RELU, LEAKY_RELU, SIGMOID, TANH, SOFTMAX, IDENTITY, STANDARDIZE,
                                      RESCALE)}
_BY_NAME = {kind.name.lower(): kind for kind in LAYER_KINDS.values()}


def layer_kind(name_or_id):
    """The :class:`LayerKind` named ``name_or_id`` (case-insensitive, e.g. ``"relu"``) or of that
    id; ``KeyError`` when there is none."""
    if isinstance(name_or_id, LayerKind):
        return name_or_id
    if isinstance(name_or_id, int):
        return LAYER_KINDS[name_or_id]
    return _BY_NAME[str(name_or_id).lower()]


def _f32_vector(values, what, length=None):
    array = np.ascontiguousarray(np.asarray(values, dtype=F32))
    if array.ndim != 1 or (length is not None and array.shape[0] != length):
        raise ValueError("%s must be a vector%s, got shape %s"
                         % (what, "" if length is None else " of %d values" % length, array.shape))
    return array


class Layer:
    """One layer of a sequential network: its kind, widths, parameters and tensors.

    ``params`` maps the kind's parameter names to floats (``{"slope": 0.01}`` for LeakyReLU);
    ``tensors`` maps its tensor roles to float32 numpy arrays (``weight`` of shape
    ``(outputs, inputs)`` and ``bias`` for Linear, ``mean`` and ``scale`` for Standardize).
    Build layers with the class methods (``Layer.linear(weight, bias)``, ``Layer.relu(16)``, …)
    or ``Layer(kind, inputs, outputs, params, tensors)``; :meth:`check` (run by the writer)
    applies the format's rules.
    """

    __slots__ = ("kind", "inputs", "outputs", "params", "tensors")

    def __init__(self, kind, inputs, outputs=None, params=None, tensors=None):
        self.kind = layer_kind(kind)
        self.inputs = int(inputs)
        self.outputs = self.inputs if outputs is None else int(outputs)
        self.params = {name: float(value) for name, value in (params or {}).items()}
        self.tensors = {role: np.ascontiguousarray(np.asarray(array, dtype=F32))
                        for role, array in (tensors or {}).items()}

    # ------------------------------------------------------------ constructors

    @classmethod
    def linear(cls, weight, bias=None):
        """``y = W·x + b`` with ``weight`` of shape ``(outputs, inputs)`` (PyTorch's layout) and
        ``bias`` of shape ``(outputs,)`` (zeros when omitted)."""
        weight = np.ascontiguousarray(np.asarray(weight, dtype=F32))
        if weight.ndim != 2:
            raise ValueError("a Linear weight must be a matrix (outputs, inputs), got shape %s" % (weight.shape,))
        outputs, inputs = weight.shape
        bias = np.zeros(outputs, dtype=F32) if bias is None else _f32_vector(bias, "the Linear bias", outputs)
        return cls(LINEAR, inputs, outputs, {}, {"weight": weight, "bias": bias})

    @classmethod
    def relu(cls, width):
        return cls(RELU, width)

    @classmethod
    def leaky_relu(cls, width, slope=0.01):
        """``y = x`` for ``x > 0``, else ``slope·x`` (``slope`` is stored as a float32)."""
        return cls(LEAKY_RELU, width, width, {"slope": float(np.float32(slope))})

    @classmethod
    def sigmoid(cls, width):
        return cls(SIGMOID, width)

    @classmethod
    def tanh(cls, width):
        return cls(TANH, width)

    @classmethod
    def softmax(cls, width):
        return cls(SOFTMAX, width)

    @classmethod
    def identity(cls, width):
        return cls(IDENTITY, width)

    @classmethod
    def standardize(cls, mean, scale):
        """``y = (x − mean)·scale`` per input (``scale`` is 1/std for standardizing)."""
        mean = _f32_vector(mean, "the Standardize mean")
        scale = _f32_vector(scale, "the Standardize scale", mean.shape[0])
        return cls(STANDARDIZE, mean.shape[0], mean.shape[0], {}, {"mean": mean, "scale": scale})

    @classmethod
    def rescale(cls, scale, shift):
        """``y = x·scale + shift`` per output (format 1.1; a regression model's last layer, with
        the training targets' standard deviation and mean)."""
        scale = _f32_vector(scale, "the Rescale scale")
        shift = _f32_vector(shift, "the Rescale shift", scale.shape[0])
        return cls(RESCALE, scale.shape[0], scale.shape[0], {}, {"scale": scale, "shift": shift})

    # ------------------------------------------------------------ use

    @property
    def parameter_count(self):
        """Number of float32 values in the layer's tensors."""
        return sum(int(array.size) for array in self.tensors.values())

    def forward(self, x, precision="float32"):
        """This layer on a batch ``(samples, inputs)`` of float32 (``precision="float32"``,
        NNM's arithmetic) or float64 values."""
        return (self.kind.forward32 if precision == "float32" else self.kind.forward64)(self, x)

    def check(self, index=0):
        """Raise the format's error for a layer a file cannot hold (spec §6 and §7 rule 6)."""
        where = "layer %d (%s)" % (index, self.kind.name)
        for width in (self.inputs, self.outputs):
            if width > MAX_WIDTH:
                fail("limitExceeded", "%s width %d is above the limit 2^24" % (where, width))
            if width < 1:
                fail("malformed", "%s has a width of %d" % (where, width))
        if set(self.params) != set(self.kind.params):
            fail("malformed", "%s has parameters %s, the kind has %s"
                 % (where, sorted(self.params), list(self.kind.params)))
        if self.kind.shape_preserving and self.inputs != self.outputs:
            fail("inconsistentModel", "%s is shape-preserving but maps %d -> %d" % (where, self.inputs, self.outputs))
        if self.kind is LEAKY_RELU and not math.isfinite(self.params["slope"]):
            fail("inconsistentModel", "%s slope is not finite" % where)
        shapes = self.kind.tensor_shapes(self.inputs, self.outputs)
        if set(self.tensors) != set(shapes):
            fail("inconsistentModel", "%s has tensors %s, the kind owns %s"
                 % (where, sorted(self.tensors), list(shapes)))
        for role, shape in shapes.items():
            if self.tensors[role].shape != shape:
                fail("inconsistentModel", "%s tensor '%s' has shape %s, the layer requires %s"
                     % (where, role, self.tensors[role].shape, shape))

    def __repr__(self):
        params = "".join(", %s=%r" % item for item in self.params.items())
        return "Layer(%s, %d -> %d%s)" % (self.kind.name, self.inputs, self.outputs, params)

    def __eq__(self, other):
        if not isinstance(other, Layer):
            return NotImplemented
        return (self.kind is other.kind and self.inputs == other.inputs and self.outputs == other.outputs
                and _same_floats(self.params, other.params) and self.tensors.keys() == other.tensors.keys()
                and all(_same_bits(self.tensors[r], other.tensors[r]) for r in self.tensors))

    __hash__ = None


def _same_floats(a, b):
    return a.keys() == b.keys() and all(np.float32(a[k]).tobytes() == np.float32(b[k]).tobytes() for k in a)


def _same_bits(a, b):
    return a.shape == b.shape and a.astype(F32).tobytes() == b.astype(F32).tobytes()


def tensor_name(index, role):
    """The canonical tensor name of spec §7 rule 6: ``layers.<index>.<role>``."""
    return "layers.%d.%s" % (index, role)


def expected_tensors(layers) -> "list[tuple[str, Tuple[int, ...]]]":
    """(name, shape) of every tensor the layers own, in the canonical order (spec §7 rule 6).

    ``layers`` are anything with ``kind``, ``inputs`` and ``outputs``."""
    out = []
    for index, layer in enumerate(layers):
        for role, shape in layer.kind.tensor_shapes(layer.inputs, layer.outputs).items():
            out.append((tensor_name(index, role), shape))
    return out


