"""What reading a file finds before any tensor is decoded: sections, layer and tensor tables,
metadata, history and recipe (``nnm.read_info`` returns a :class:`FileInfo`)."""

from dataclasses import dataclass, field
from typing import List, Optional

from .errors import NNMError
from .model import History, Recipe

__all__ = ["FileInfo", "Section", "LayerInfo", "TensorEntry"]


@dataclass
class Section:
    """One section as the walk found it: type, file offset of its head, payload length."""

    type: str
    offset: int
    length: int
    critical: bool
    known: bool
    drop_error: Optional[NNMError] = None

    @property
    def payload_start(self):
        return self.offset + 12

    @property
    def payload_end(self):
        return self.offset + 12 + self.length


@dataclass
class LayerInfo:
    """A layer as the layer table describes it (``kind`` is an :class:`nnm.LayerKind`)."""

    kind: object
    inputs: int
    outputs: int
    params: dict


@dataclass
class TensorEntry:
    """One entry of the tensor table (spec §7)."""

    name: str
    name_raw: bytes
    dtype: int
    codec: int
    filter: int
    shape: tuple
    offset: int
    stored_length: int
    raw_length: int
    raw_crc: int
    block_lengths: List[int]

    @property
    def codec_name(self):
        return ("none", "zlib")[self.codec]

    @property
    def filter_name(self):
        return ("none", "shuffle4")[self.filter]


@dataclass
class FileInfo:
    """What reading (without decoding tensors) finds in a file."""

    version: tuple
    file_length: int
    sections: List[Section]
    layers: List[LayerInfo]
    tensors: List[TensorEntry]
    metadata: Optional[dict]
    history: Optional[History]
    recipe: Optional[Recipe]
    digest: str
    warnings: List[str] = field(default_factory=list)
    unknown_sections: List[str] = field(default_factory=list)
    training_state: Optional[object] = None  # nnm.TrainingState (spec §10a), when the file has one
    weight_snapshots: Optional[list] = None  # list of nnm.Snapshot (spec §10b), when the file has them

    @property
    def input_width(self):
        return self.layers[0].inputs

    @property
    def output_width(self):
        return self.layers[-1].outputs
