"""The in-memory model: layers, metadata, training history and dataset recipe, and the forward
pass. Reading and writing live in ``reader.py`` and ``writer.py``."""

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional

import numpy as np

from ._wire import MAX_ARRAY, MAX_ENTRIES, MAX_EPOCHS, MAX_LAYERS, MAX_NAME, MAX_SERIES, MAX_STRING
from .errors import fail
from .layers import F32, LAYER_KINDS, Layer, layer_kind, tensor_name

__all__ = ["Model", "History", "Recipe", "WriteOptions", "check_metadata", "metadata_value_type"]

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_U64_MAX = (1 << 64) - 1

CLASS_NAME_PREFIX = "data.class_names."
FEATURE_NAME_PREFIX = "data.feature_names."
LABEL_NAME_KEY = "data.label_name"


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
        _check_names(self.series, "history series name")
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
        if not isinstance(self.seed, (int, np.integer)) or not 0 <= int(self.seed) <= _U64_MAX:
            fail("malformed", "the recipe's seed must be an integer from 0 to 2^64-1, got %r" % (self.seed,))
        fractions = (float(self.validation_fraction), float(self.test_fraction))
        if not all(math.isfinite(f) and f >= 0 for f in fractions) or fractions[0] + fractions[1] >= 1:
            fail("malformed", "recipe fractions %r and %r must be finite, >= 0, with a sum below 1" % fractions)
        check_metadata(self.parameters, "recipe parameter", allow_empty=True)

    def __eq__(self, other):
        if not isinstance(other, Recipe):
            return NotImplemented
        return (self.generator == other.generator and self.seed == other.seed
                and _f64_bits(self.validation_fraction) == _f64_bits(other.validation_fraction)
                and _f64_bits(self.test_fraction) == _f64_bits(other.test_fraction)
                and _same_metadata(self.parameters, other.parameters))

    __hash__ = None


def _f64_bits(value):
    return np.float64(value).tobytes()


def metadata_value_type(value, key="") -> int:
    """The metadata type id (spec §8) a Python value is written as.

    ``bool`` → 1, ``int`` → 2, ``float`` → 3, ``str`` → 4, a sequence of ints (or an integer
    numpy array) → 5, a sequence of floats (or a float numpy array) → 6. An empty list is
    ambiguous: give ``np.array([], dtype=np.int64)`` or ``dtype=np.float64``.
    """
    if isinstance(value, (bool, np.bool_)):
        return 1
    if isinstance(value, (int, np.integer)):
        return 2
    if isinstance(value, (float, np.floating)):
        return 3
    if isinstance(value, str):
        return 4
    if isinstance(value, np.ndarray):
        if value.ndim == 1 and value.dtype.kind in "iu":
            return 5
        if value.ndim == 1 and value.dtype.kind == "f":
            return 6
    elif isinstance(value, (list, tuple)) and value:
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in value):
            return 5
        if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
               for v in value):
            return 6
    fail("malformed", "metadata %r: a value of type %s cannot be stored (bool, int, float, str, or a "
         "non-empty list / 1-D numpy array of ints or floats)" % (key, type(value).__name__))


def _check_names(names, what):
    """Names as keys and series names must be: 1…255 UTF-8 bytes, no two canonically equivalent."""
    seen = {}
    for name in names:
        if not isinstance(name, str):
            fail("malformed", "%s %r is not a string" % (what, name))
        raw = name.encode("utf-8", errors="strict") if _encodable(name) else None
        if raw is None:
            fail("malformed", "%s %r is not valid Unicode (a lone surrogate?)" % (what, name))
        if not 1 <= len(raw) <= MAX_NAME:
            fail("limitExceeded" if raw else "malformed", "%s %r is %d bytes long (1 to 255)" % (what, name, len(raw)))
        nfc = unicodedata.normalize("NFC", name)
        if nfc in seen:
            fail("malformed", "%s %r is canonically equivalent to %r" % (what, name, seen[nfc]))
        seen[nfc] = name


def _encodable(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def check_metadata(metadata, what="metadata key", allow_empty=True):
    """Raise the format's error for metadata a file cannot hold (spec §8)."""
    if len(metadata) > MAX_ENTRIES:
        fail("limitExceeded", "%d %s entries (limit %d)" % (len(metadata), what.split()[0], MAX_ENTRIES))
    _check_names(metadata, what)
    for key, value in metadata.items():
        kind = metadata_value_type(value, key)
        if kind == 2 and not _INT64_MIN <= int(value) <= _INT64_MAX:
            fail("malformed", "%s %r: %d does not fit in 64 bits" % (what, key, value))
        if kind == 4:
            if not _encodable(value):
                fail("malformed", "%s %r: the string is not valid Unicode" % (what, key))
            if len(value.encode("utf-8")) > MAX_STRING:
                fail("limitExceeded", "%s %r: string of %d bytes (limit 2^20)" % (what, key, len(value.encode())))
        if kind in (5, 6):
            if len(value) > MAX_ARRAY:
                fail("limitExceeded", "%s %r: array of %d values (limit 2^20)" % (what, key, len(value)))
            if kind == 5 and any(not _INT64_MIN <= int(v) <= _INT64_MAX for v in value):
                fail("malformed", "%s %r: a value does not fit in 64 bits" % (what, key))


def _same_metadata(a, b):
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        kind = metadata_value_type(x, key)
        if kind != metadata_value_type(y, key):
            return False
        if kind == 3 and _f64_bits(x) != _f64_bits(y):
            return False
        if kind == 5 and np.asarray(x, dtype=np.int64).tobytes() != np.asarray(y, dtype=np.int64).tobytes():
            return False
        if kind == 6 and np.asarray(x, dtype="<f8").tobytes() != np.asarray(y, dtype="<f8").tobytes():
            return False
        if kind in (1, 2, 4) and x != y:
            return False
    return True


def _indexed_names(metadata, prefix):
    """The strings under ``prefix0``, ``prefix1``, …; None when absent or with a gap (the rules
    of NNM's ``ModelFile.indexedNames``: plain decimal suffixes of at most 4 digits)."""
    by_index = {}
    for key, value in metadata.items():
        suffix = key[len(prefix):] if key.startswith(prefix) else None
        if (not isinstance(value, str) or not suffix or len(suffix) > 4 or not suffix.isascii()
                or not suffix.isdigit() or (len(suffix) > 1 and suffix[0] == "0")):
            continue
        by_index[int(suffix)] = value
    if not by_index or sorted(by_index) != list(range(len(by_index))):
        return None
    return [by_index[i] for i in range(len(by_index))]


class Model:
    """A sequential network as an `.nnm` file holds it.

    ``layers``: list of :class:`Layer`; ``metadata``: dict of key → value (bool, int, float,
    str, int64 or float64 numpy arrays); ``history``: :class:`History` or None; ``recipe``:
    :class:`Recipe` or None. A model read from a file also has ``version`` (major, minor),
    ``digest`` (the content digest stored in the file, hex), ``warnings`` (damaged ancillary
    sections dropped, unknown ones skipped), ``verified`` (True after a full verification) and
    ``write_options`` (how its tensors were stored, so writing it back gives the same bytes).
    """

    def __init__(self, layers, metadata=None, history=None, recipe=None, write_options=None):
        self.layers: List[Layer] = list(layers)
        self.metadata: Dict[str, object] = dict(metadata or {})
        self.history: Optional[History] = history if history is None or isinstance(history, History) \
            else History(history)
        self.recipe: Optional[Recipe] = recipe
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
        return _indexed_names(self.metadata, CLASS_NAME_PREFIX)

    @property
    def feature_names(self) -> Optional[List[str]]:
        """Names of the inputs in input order (``data.feature_names.N``), or None."""
        return _indexed_names(self.metadata, FEATURE_NAME_PREFIX)

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
        """Same layers, tensors (bit for bit), metadata, history and recipe."""
        if not isinstance(other, Model):
            return NotImplemented
        return (self.layers == other.layers and _same_metadata(self.metadata, other.metadata)
                and self.history == other.history and self.recipe == other.recipe)

    __hash__ = None


def make_layer(kind_id, inputs, outputs, params):
    """A layer read from a file, before its tensors are decoded (internal)."""
    return Layer(layer_kind(kind_id), inputs, outputs, params, {})
