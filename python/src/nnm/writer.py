"""Writing `.nnm` files in the canonical encoding (spec §13): one model and one set of writer
options give exactly one byte sequence, the same as NNM's Swift writer gives."""

import hashlib
import os
import struct
import tempfile
import zlib

import numpy as np

from . import _wire as w
from ._blocks import encode_tensor
from ._snapshots import checked_payload as snapshot_payload
from ._state import checked_payload
from .errors import fail
from .layers import F32, tensor_name
from .model import Model, WriteOptions, metadata_value_type

__all__ = ["dumps", "save"]


def _section(stype, payload):
    """``type ‖ length ‖ payload ‖ CRC-32``."""
    head = stype + struct.pack("<Q", len(payload))
    if stype != b"WGHT" and len(payload) > w.MAX_SECTION_PAYLOAD:
        fail("limitExceeded", "the %s section would be %d bytes (limit 16 MiB)" % (stype.decode(), len(payload)))
    crc = zlib.crc32(payload, zlib.crc32(head))
    return head + payload + struct.pack("<I", crc)


def _layer_table(layers):
    out = w.ByteWriter()
    out.u32(len(layers))
    for layer in layers:
        out.u16(layer.kind.id)
        out.u16(len(layer.kind.params))
        out.u32(layer.inputs)
        out.u32(layer.outputs)
        for name in layer.kind.params:
            out.raw(np.float32(layer.params[name]).astype("<f4").tobytes())
    return out.bytes()


def _value(out, value):
    kind = metadata_value_type(value)
    out.u8(kind)
    if kind == 1:
        out.u8(1 if value else 0)
    elif kind == 2:
        out.i64(int(value))
    elif kind == 3:
        out.f64(float(value))
    elif kind == 4:
        out.lstr(value.encode("utf-8"))
    else:
        array = np.asarray(value, dtype="<i8" if kind == 5 else "<f8")
        out.u32(array.shape[0])
        out.raw(array.tobytes())


def _kvlist(out, entries):
    """Keys sorted by their UTF-8 bytes (spec §8)."""
    out.u32(len(entries))
    for raw, key in sorted((key.encode("utf-8"), key) for key in entries):
        out.sstr(raw)
        _value(out, entries[key])


def _meta(metadata):
    out = w.ByteWriter(w.MAX_SECTION_PAYLOAD, "meta section")
    _kvlist(out, metadata)
    return out.bytes()


def _hist(history):
    out = w.ByteWriter(w.MAX_SECTION_PAYLOAD, "hist section")
    out.u32(len(history.series))
    out.u32(history.epochs)
    for name in history.series:
        out.sstr(name.encode("utf-8"))
    for values in history.series.values():
        bits = np.ascontiguousarray(values, dtype=F32).view("<u4").copy()
        bits[np.isnan(values)] = w.CANONICAL_NAN_BITS
        out.raw(bits.tobytes())
    return out.bytes()


def _rcpe(recipe):
    out = w.ByteWriter(w.MAX_SECTION_PAYLOAD, "rcpe section")
    out.sstr(recipe.generator.encode("utf-8"))
    out.u64(int(recipe.seed))
    out.f64(float(recipe.validation_fraction))
    out.f64(float(recipe.test_fraction))
    _kvlist(out, recipe.parameters)
    return out.bytes()


def _tensors(model, options, digest):
    """(TENS payload, WGHT payload); feeds TENS's part of the content stream (spec §11) to
    ``digest``: each tensor's name, dtype, rank, dims, raw length and raw bytes."""
    table, blobs = w.ByteWriter(), []
    named = [(tensor_name(i, role), layer.tensors[role]) for i, layer in enumerate(model.layers)
             for role in layer.kind.tensor_shapes(layer.inputs, layer.outputs)]
    table.u32(len(named))
    digest.update(b"TENS" + struct.pack("<I", len(named)))
    offset, total_raw = 0, 0
    for name, array in named:
        if array.size > w.MAX_ELEMENTS:
            fail("limitExceeded", "tensor '%s' has %d elements (limit 2^28)" % (name, array.size))
        total_raw += 4 * array.size
        if total_raw > w.MAX_TOTAL_RAW:
            fail("limitExceeded", "the tensors hold more than 2^30 raw bytes (at '%s')" % name)
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        codec, filt, blocks = encode_tensor(raw, options.codec, options.shuffle)
        stored = sum(len(b) for b in blocks)
        entry = w.ByteWriter()
        entry.sstr(name.encode("ascii"))
        entry.raw(bytes((1, array.ndim, codec, filt)))
        for dim in array.shape:
            entry.u32(dim)
        table.raw(entry.bytes())
        table.u64(offset)
        table.u64(stored)
        table.u64(len(raw))
        table.u32(zlib.crc32(raw))
        table.u32(len(blocks))
        for block in blocks:
            table.u32(len(block))
        digest.update(struct.pack("<H", len(name)) + name.encode("ascii") + bytes((1, array.ndim)))
        digest.update(struct.pack("<%dI" % array.ndim, *array.shape) + struct.pack("<Q", len(raw)) + raw)
        blobs.extend(blocks)
        offset += stored
    return table.bytes(), b"".join(blobs)


def _tensor_sizes(model):
    """(name bytes, element count) of the tensor table ``model`` is written with, in order."""
    return [(tensor_name(i, role).encode("ascii"), int(np.prod(shape, dtype=np.int64)))
            for i, layer in enumerate(model.layers)
            for role, shape in layer.kind.tensor_shapes(layer.inputs, layer.outputs).items()]


def dumps(model, options=None) -> bytes:
    """The canonical bytes of ``model`` (spec §13).

    ``options`` (:class:`nnm.WriteOptions`) default to ``model.write_options``: the canonical
    zlib + shuffle4 for a new model, the encoding the file used for a model that was read (so a
    model read and written back gives the very same bytes). The model is checked first
    (:meth:`Model.check`): a model a reader would refuse is never written.
    """
    if not isinstance(model, Model):
        raise TypeError("dumps needs an nnm.Model, got %s" % type(model).__name__)
    options = options or model.write_options or WriteOptions()
    model.check()
    layr = _section(b"LAYR", _layer_table(model.layers))
    content = hashlib.sha256(layr[:-4])
    tens_payload, wght_payload = _tensors(model, options, content)
    sections = [layr, _section(b"TENS", tens_payload)]
    if model.metadata:
        sections.append(_section(b"meta", _meta(model.metadata)))
    if model.history is not None and model.history.series:
        sections.append(_section(b"hist", _hist(model.history)))
    if model.recipe is not None:
        sections.append(_section(b"rcpe", _rcpe(model.recipe)))
    if model.training_state is not None:
        sections.append(_section(b"trst", checked_payload(model.training_state, _tensor_sizes(model))))
    if model.weight_snapshots is not None:
        parameters = sum(count for _, count in _tensor_sizes(model))
        sections.append(_section(b"snap", snapshot_payload(model.weight_snapshots, parameters)))
    for ancillary in sections[2:]:
        content.update(ancillary[:-4])
    sections.append(_section(b"WGHT", wght_payload))
    sections.append(_section(b"TAIL", content.digest()))
    length = w.HEADER_LENGTH + sum(len(s) for s in sections)
    if length > w.MAX_FILE:
        fail("limitExceeded", "the file would be %d bytes (limit 2^31)" % length)
    # §13: minor 1 only when the file uses what 1.1 added (a Rescale layer, a trst or a snap
    # section), so 1.0 models keep their bytes.
    uses_rescale = any(layer.kind.id == 9 for layer in model.layers)
    minor = 1 if uses_rescale or model.training_state is not None or model.weight_snapshots is not None else 0
    head = w.SIGNATURE + struct.pack("<HHIQI", w.MAJOR, minor, 0, length, len(sections))
    return b"".join([head, struct.pack("<I", zlib.crc32(head))] + sections)


def save(model, path, options=None):
    """Write ``model`` to ``path`` atomically: a temporary file in the same directory, flushed to
    disk, then renamed over ``path``, so an existing file is replaced whole or not at all. A
    replaced file keeps its permission bits; a new one gets 0o666 less the umask."""
    data = dumps(model, options)
    path = os.fspath(path)
    target = os.path.realpath(path)  # a symlink's target is written, the link kept
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(target), suffix=".tmp",
                                         dir=os.path.dirname(target))
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _umask():
    mask = os.umask(0o22)
    os.umask(mask)
    return mask
