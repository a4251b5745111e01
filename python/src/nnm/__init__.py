"""Read, verify, write and run `.nnm` model files (the format of NNM) with numpy.

    import nnm
    model = nnm.load("model.nnm")                  # every tensor's CRC-32 checked
    model = nnm.load("model.nnm", verify=True)     # + the full verification of spec §14
    model.layers, model.metadata, model.history, model.recipe, model.class_names
    model.predict_proba(x), model.predict(x), model.forward(x)
    nnm.save(model, "copy.nnm")                    # canonical bytes, written atomically
    net = nnm.to_torch(model); model = nnm.from_torch(net)   # when torch is importable

Every error for a file is an :class:`NNMError` whose ``identifier`` is the spec's error name.
"""

from .errors import *  # noqa: F401,F403  (the typed errors)
from .errors import IDENTIFIERS, NNMError, NNMWarning, error_class
from .layers import LAYER_KINDS, Layer, LayerKind, layer_kind
from .model import History, Model, Recipe, WriteOptions
from ._snapshots import Snapshot
from ._state import StateBuffer, TrainingState
from .reader import FileInfo, LayerInfo, Section, TensorEntry, load, loads, read_info
from .writer import dumps, save
from ._torch import from_torch, rescale_module, standardize_module, to_torch
from ._unicode import UNICODE_VERSION
from . import _wire

__version__ = "0.1.0"

#: The newest format version this package reads and writes (1.1: Rescale and trst). It reads any 1.x
#: and writes 1.0 for a file that uses nothing 1.1 added, so older readers keep reading those.
FORMAT_VERSION = (_wire.MAJOR, _wire.MINOR)

__all__ = [
    "load", "loads", "read_info", "save", "dumps", "to_torch", "from_torch", "standardize_module", "rescale_module",
    "Model", "Layer", "LayerKind", "LAYER_KINDS", "layer_kind", "History", "Recipe", "WriteOptions",
    "FileInfo", "LayerInfo", "Section", "TensorEntry", "TrainingState", "StateBuffer", "Snapshot",
    "NNMError", "NNMWarning", "IDENTIFIERS", "error_class", "FORMAT_VERSION", "UNICODE_VERSION",
] + [name for name in dir() if name.endswith("Error") and name != "NNMError"]
