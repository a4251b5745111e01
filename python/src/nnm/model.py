"""The in-memory model: layers, metadata, training history and dataset recipe, and the forward
pass. Reading and writing live in ``reader.py`` and ``writer.py``."""

import math
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional

import numpy as np

from ._metadata import (CLASS_NAME_PREFIX, FEATURE_NAME_PREFIX, LABEL_NAME_KEY, U64_MAX, check_names, f64_bits,
                        indexed_names, same_metadata, check_metadata, metadata_value_type)
from ._wire import MAX_EPOCHS, MAX_LAYERS, MAX_NAME, MAX_SERIES
from .errors import fail
from .layers import F32, LAYER_KINDS, Layer, layer_kind, tensor_name

__all__ = ["Model", "History", "Recipe", "WriteOptions", "check_metadata", "metadata_value_type"]


@dataclass(frozen=True)
class WriteOptions:
    """How tensors are stored (spec §13). The defaults are the canonical encoding.

    ``codec="zlib"`` compresses each 1 MiB block (zlib level 1, ``Z_RLE``), falling back to
    ``"none"`` for a tensor that compression would not make smaller; ``shuffle`` applies the
    4-byte shuffle filter first. ``codec="none"`` stores every tensor raw.
    """

    codec: str = "zlib"
    shuffle: bool = True

    def __post_init__(self):
        if self.codec not in ("zlib", "none"):
            raise ValueError("codec must be 'zlib' or 'none', got %r" % (self.codec,))


class History:
    """Per-epoch training history (spec §9): named float32 series of equal length.

    ``series`` keeps the producer's order (``train_loss``, ``val_accuracy``, …); a NaN value
    means "not measured". ``history["train_loss"]`` is one series.
    """

    def __init__(self, series: Mapping[str, "np.ndarray | list"]):
        self.series: Dict[str, np.ndarray] = {str(name): np.ascontiguousarray(np.asarray(values, dtype=F32))
                                              for name, values in series.items()}

    @property
    def epochs(self) -> int:
        """The number of epochs (the length of every series; 0 without series)."""
        return next(iter(self.series.values())).shape[0] if self.series else 0

    def __getitem__(self, name):
        return self.series[name]

    def __contains__(self, name):
        return name in self.series

    def __len__(self):
        return len(self.series)

    def __repr__(self):
        return "History(%d epochs: %s)" % (self.epochs, ", ".join(self.series))

    def __eq__(self, other):
        if not isinstance(other, History):
            return NotImplemented
        return list(self.series) == list(other.series) and all(
            self.series[n].tobytes() == other.series[n].tobytes() for n in self.series)

    __hash__ = None

    def check(self):
        """Raise the format's error for a history a file cannot hold (spec §9)."""
        if len(self.series) > MAX_SERIES:
            fail("limitExceeded", "history has %d series (limit %d)" % (len(self.series), MAX_SERIES))
        if self.epochs > MAX_EPOCHS:
            fail("limitExceeded", "history has %d epochs (limit 2^22)" % self.epochs)
        check_names(self.series, "history series name")
        for name, values in self.series.items():
            if values.ndim != 1 or values.shape[0] != self.epochs:
                fail("malformed", "history series %r has shape %s; every series needs %d values"
                     % (name, values.shape, self.epochs))


@dataclass
class Recipe:
    """The recipe of the training data (spec §10): generator name, seed, split fractions and the
    generator's parameters (a metadata-like dict, e.g. ``{"samples": 5000, "noise": 0.04}``)."""

    generator: str
    seed: int
    validation_fraction: float
    test_fraction: float
    parameters: Dict[str, object] = field(default_factory=dict)

    def check(self):
        """Raise the format's error for a recipe a file cannot hold (spec §10)."""
        raw = self.generator.encode("utf-8") if isinstance(self.generator, str) else None
        if raw is None or not 1 <= len(raw) <= MAX_NAME:
            fail("malformed", "the recipe's generator name must be a string of 1 to 255 UTF-8 bytes")
        if not isinstance(self.seed, (int, np.integer)) or not 0 <= int(self.seed) <= U64_MAX:
            fail("malformed", "the recipe's seed must be an integer from 0 to 2^64-1, got %r" % (self.seed,))
        fractions = (float(self.validation_fraction), float(self.test_fraction))
        if not all(math.isfinite(f) and f >= 0 for f in fractions) or fractions[0] + fractions[1] >= 1:
            fail("malformed", "recipe fractions %r and %r must be finite, >= 0, with a sum below 1" % fractions)
        check_metadata(self.parameters, "recipe parameter", allow_empty=True)

    def __eq__(self, other):
        if not isinstance(other, Recipe):
            return NotImplemented
        return (self.generator == other.generator and self.seed == other.seed
                and f64_bits(self.validation_fraction) == f64_bits(other.validation_fraction)
                and f64_bits(self.test_fraction) == f64_bits(other.test_fraction)
                and same_metadata(self.parameters, other.parameters))

    __hash__ = None


class Model:
    """A sequential network as an `.nnm` file holds it.

    ``layers``: list of :class:`Layer`; ``metadata``: dict of key → value (bool, int, float,
    str, int64 or float64 numpy arrays); ``history``: :class:`History` or None; ``recipe``:
    :class:`Recipe` or None; ``training_state``: :class:`TrainingState` (the optimizer's
    state NNM stores for an exact resume, format 1.1) or None; ``weight_snapshots``: a list of
    :class:`Snapshot` (the parameters at chosen epochs, ``nnm-train --snapshots``, format 1.1)
    or None. A model read from a file also has ``version`` (major, minor),
    ``digest`` (the content digest stored in the file, hex), ``warnings`` (damaged ancillary
    sections dropped, unknown ones skipped), ``verified`` (True after a full verification) and
    ``write_options`` (how its tensors were stored, so writing it back gives the same bytes).
    """

    def __init__(self, layers, metadata=None, history=None, recipe=None, write_options=None, training_state=None,
                 weight_snapshots=None):
        self.layers: List[Layer] = list(layers)
        self.metadata: Dict[str, object] = dict(metadata or {})
        self.history: Optional[History] = history if history is None or isinstance(history, History) \
            else History(history)
        self.recipe: Optional[Recipe] = recipe
        # nnm.TrainingState (spec §10a) or None: carried from the file read, written back as is.
        self.training_state = training_state
        # list of nnm.Snapshot (spec §10b) or None: carried from the file read, written back as is.
        self.weight_snapshots = weight_snapshots
        self.write_options = write_options or WriteOptions()
        self.version = (1, 0)
        self.digest: Optional[str] = None
        self.warnings: List[str] = []
        self.verified = False

    # ------------------------------------------------------------ structure

    @property
    def input_width(self) -> int:
        """Inputs of the first layer: the width of one sample."""
        return self.layers[0].inputs

    @property
    def output_width(self) -> int:
        return self.layers[-1].outputs

    @property
    def tensors(self) -> Dict[str, np.ndarray]:
        """Every tensor by its name in the file (``layers.0.weight``, …), in file order."""
        return {tensor_name(i, role): layer.tensors[role] for i, layer in enumerate(self.layers)
                for role in layer.kind.tensor_shapes(layer.inputs, layer.outputs) if role in layer.tensors}

    @property
    def parameter_count(self) -> int:
        return sum(layer.parameter_count for layer in self.layers)

    @property
    def is_classifier(self) -> bool:
        """True when the last layer is Softmax, or Sigmoid with one output (as nnm-predict decides)."""
        last = self.layers[-1]
        return last.kind.name == "Softmax" or (last.kind.name == "Sigmoid" and last.outputs == 1)

    @property
    def class_count(self) -> Optional[int]:
        """Classes of a classifier (2 for one sigmoid output), else None."""
        return max(2, self.output_width) if self.is_classifier else None

    @property
    def class_names(self) -> Optional[List[str]]:
        """Names of the classes (``data.class_names.N``), or None when the file records none."""
        return indexed_names(self.metadata, CLASS_NAME_PREFIX)

    @property
    def feature_names(self) -> Optional[List[str]]:
        """Names of the inputs in input order (``data.feature_names.N``), or None."""
        return indexed_names(self.metadata, FEATURE_NAME_PREFIX)

    @property
    def label_name(self) -> Optional[str]:
        """Name of the label column of the training data (``data.label_name``), or None."""
        value = self.metadata.get(LABEL_NAME_KEY)
        return value if isinstance(value, str) else None

    def check(self):
        """Raise the format's error (an :class:`nnm.NNMError`) if a file cannot hold this model."""
        if not 1 <= len(self.layers) <= MAX_LAYERS:
            fail("limitExceeded" if self.layers else "malformed",
                 "a model has 1 to %d layers, this one %d" % (MAX_LAYERS, len(self.layers)))
        for index, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise TypeError("layer %d is a %s, not an nnm.Layer" % (index, type(layer).__name__))
            if layer.kind.id not in LAYER_KINDS:
                fail("unknownLayerKind", "layer %d has unknown kind id %d" % (index, layer.kind.id))
            layer.check(index)
            if index > 0 and layer.inputs != self.layers[index - 1].outputs:
                fail("inconsistentModel", "layer %d (%s) has %d inputs, layer %d has %d outputs"
                     % (index, layer.kind.name, layer.inputs, index - 1, self.layers[index - 1].outputs))
        check_metadata(self.metadata)
        if self.history is not None:
            self.history.check()
        if self.recipe is not None:
            self.recipe.check()

    # ------------------------------------------------------------ forward pass

    def _batch(self, x):
        array = np.asarray(x)
        if array.dtype.kind not in "biuf":
            raise TypeError("inputs must be numbers, got an array of %s" % array.dtype)
        single = array.ndim == 1
        batch = array.reshape(1, -1) if single else array
        if batch.ndim != 2 or batch.shape[1] != self.input_width:
            raise ValueError("the model takes samples of %d inputs; got an array of shape %s"
                             % (self.input_width, array.shape))
        # Samples are float32 in NNM (CSV cells are parsed as float32): round them the same way.
        return np.ascontiguousarray(batch, dtype=F32), single

    def forward(self, x, *, precision="float32") -> np.ndarray:
        """The network's outputs for ``x``: one sample ``(inputs,)`` or a batch
        ``(samples, inputs)``; the result has the same leading shape.

        Inputs are rounded to float32 first, as NNM reads them. ``precision="float32"`` (the
        default) computes as NNM's engine does (spec/training.md §1: float32, fused
        multiply-adds in a fixed order, NNM's own exponential in Sigmoid), so the outputs are
        those of ``nnm-predict`` and ``NNMModel.predict`` (within an ulp); the result is
        float32. ``precision="float64"`` computes every layer in float64 instead (closer to
        the exact values of the float32 weights; float64 result, and faster for wide layers).
        """
        if precision not in ("float32", "float64"):
            raise ValueError("precision must be 'float32' or 'float64', got %r" % (precision,))
        y, single = self._batch(x)
        if precision == "float64":
            y = y.astype(np.float64)
        with np.errstate(all="ignore"):   # overflow to ±inf and underflow to 0 are NNM's results too
            for layer in self.layers:
                y = layer.forward(y, precision)
        return y[0] if single else y

    def predict_proba(self, x, *, precision="float32") -> np.ndarray:
        """Class probabilities ``(samples, classes)`` of a classifier: the Softmax outputs, or
        ``[1 − p, p]`` for one Sigmoid output (nnm-predict's probability columns)."""
        if not self.is_classifier:
            raise ValueError("predict_proba needs a classifier (last layer Softmax, or Sigmoid with one "
                             "output); this model ends with %s: use forward()" % self.layers[-1].kind.name)
        y = self.forward(x, precision=precision)
        if self.output_width == 1:
            y = np.concatenate([(1 - y).astype(y.dtype), y], axis=-1)
        return y

    def predict(self, x, *, precision="float32") -> np.ndarray:
        """Decided classes (int64 indices) of a classifier, as nnm-predict decides them: one
        Sigmoid output gives 1 when p ≥ 0.5, else the index of the largest output (the first on
        ties). Other models: their outputs (``(samples,)`` for one output). Map indices to names
        with ``model.class_names``."""
        y = self.forward(x, precision=precision)
        if not self.is_classifier:
            return y[..., 0] if self.output_width == 1 else y
        if self.output_width == 1:
            return (y[..., 0] >= 0.5).astype(np.int64)
        return np.argmax(y, axis=-1).astype(np.int64)

    # ------------------------------------------------------------ files and PyTorch

    def to_bytes(self, options=None) -> bytes:
        """The file's bytes (``nnm.dumps``); ``options`` default to ``self.write_options``."""
        from .writer import dumps
        return dumps(self, options)

    def save(self, path, options=None):
        """Write the model to ``path`` atomically (``nnm.save``)."""
        from .writer import save
        save(self, path, options)

    def to_torch(self):
        """An ``torch.nn.Sequential`` computing the same function (``nnm.to_torch``)."""
        from ._torch import to_torch
        return to_torch(self)

    def __repr__(self):
        arrows = " -> ".join("%s(%d)" % (layer.kind.name, layer.outputs) for layer in self.layers)
        return "<nnm.Model %d inputs: %s>" % (self.input_width, arrows) if self.layers else "<nnm.Model empty>"

    def __eq__(self, other):
        """Same layers, tensors (bit for bit), metadata, history, recipe, training state and snapshots."""
        if not isinstance(other, Model):
            return NotImplemented
        return (self.layers == other.layers and same_metadata(self.metadata, other.metadata)
                and self.history == other.history and self.recipe == other.recipe
                and self.training_state == other.training_state
                and self.weight_snapshots == other.weight_snapshots)

    __hash__ = None


def make_layer(kind_id, inputs, outputs, params):
    """A layer read from a file, before its tensors are decoded (internal)."""
    return Layer(layer_kind(kind_id), inputs, outputs, params, {})
