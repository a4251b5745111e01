"""Reading `.nnm` files: the reading procedure and the full verification of spec §14.

``read_info`` reads the header and every table (the architecture, tensor table, metadata,
history, recipe) without decoding a tensor. ``load``/``loads`` also decode every tensor (each
checked against its CRC-32); with ``verify=True`` they do the spec's full verification
(damaged ancillary sections are errors, the WGHT CRC and the SHA-256 content digest are
checked). Every check of the spec is applied in its fixed order, so the first broken rule is
the one reported, with the spec's identifier (:mod:`nnm.errors`).

Hostile files: every count, length and offset is checked against the limits of §12 and the
bytes actually present before it is used; nothing is allocated from a count that was not
checked; a zlib block is inflated with an output bound of its declared raw length.
"""

import hashlib
import os
import stat
import struct
import warnings
import zlib

from . import _wire as w
from ._ancillary import ANCILLARY
from ._blocks import decode_tensor
from ._framing import parse_header, walk
from ._signature import check_signature
from ._snapshots import parse as parse_snapshots
from ._state import parse as parse_training_state
from ._tables import check_layout, parse_layers, parse_tensors
from .errors import NNMError, NNMWarning, fail
from .fileinfo import FileInfo, LayerInfo, Section, TensorEntry
from .model import Model, WriteOptions, make_layer

__all__ = ["load", "loads", "read_info", "FileInfo", "Section", "TensorEntry", "LayerInfo"]


def _read(data):
    """The reading procedure of spec §14 (no tensor decoded). ``data`` is a memoryview."""
    check_signature(data[:32], len(data))
    minor, section_count = parse_header(data, len(data))
    notes = []
    sections = walk(data, section_count, notes.append)
    by_type = {s.type: s for s in sections if s.known}
    layers = parse_layers(data, by_type["LAYR"])
    tensors = parse_tensors(data, by_type["TENS"])
    tail = by_type["TAIL"]
    if tail.length != 32:
        fail("malformed", "the TAIL payload is %d bytes, it must be 32" % tail.length)
    check_layout(tensors, by_type["WGHT"], layers)
    info = FileInfo((w.MAJOR, minor), len(data), sections, layers, tensors, None, None, None,
                    bytes(data[tail.payload_start:tail.payload_end]).hex(), notes)
    if minor > w.MINOR:
        notes.append("the file is .nnm 1.%d, newer than this 1.1 reader; unknown additions are skipped" % minor)
    for section in sections:
        if section.critical:
            continue
        if not section.known:
            info.unknown_sections.append(section.type)
            notes.append("skipped unknown ancillary section '%s' at file offset %d" % (section.type, section.offset))
            continue
        if section.drop_error is not None:
            continue
        attribute, parse = ANCILLARY.get(section.type) or _table_parser(section.type, tensors)
        try:
            setattr(info, attribute, parse(data, section))
        except NNMError as error:
            section.drop_error = error
            notes.append("dropped damaged ancillary section '%s' at file offset %d: %s (%s)"
                         % (section.type, section.offset, error, error.identifier))
    return info


def _table_parser(section_type, tensors):
    """The parsers of the sections checked against the tensor table: ``trst`` and ``snap``."""
    if section_type == "snap":
        parameters = sum(t.raw_length // 4 for t in tensors)
        return "weight_snapshots", lambda data, s: parse_snapshots(data, s.payload_start, s.payload_end, parameters)
    return "training_state", _state_parser(tensors)


def _state_parser(tensors):
    """``trst`` is checked against the tensor table (its buffers name tensors, spec §10a)."""
    table = [(t.name_raw, t.raw_length // 4) for t in tensors]
    return lambda data, section: parse_training_state(data, section.payload_start, section.payload_end, table)


def _decode_all(data, info, verify):
    """Decode every tensor in table order; with ``verify``, the rest of spec §14's full
    verification (dropped sections, WGHT CRC, content digest)."""
    if verify:
        for section in info.sections:
            if section.drop_error is not None:
                raise section.drop_error
    wght = next(s for s in info.sections if s.type == "WGHT")
    arrays = [decode_tensor(data, entry, wght.payload_start) for entry in info.tensors]
    if not verify:
        return arrays
    stored, computed = w.u32_at(data, wght.payload_end), zlib.crc32(data[wght.offset:wght.payload_end])
    if stored != computed:
        fail("sectionChecksumMismatch", "CRC-32 mismatch in section 'WGHT' at file offset %d: stored 0x%08x, "
             "computed 0x%08x" % (wght.offset, stored, computed))
    digest = _content_digest(data, info, arrays)
    if digest != info.digest:
        fail("digestMismatch", "content digest mismatch (stored %s, computed %s)" % (info.digest, digest))
    return arrays


def _content_digest(data, info, arrays):
    """SHA-256 of the content stream of spec §11 (sections in file order)."""
    h = hashlib.sha256()
    for section in info.sections:
        if section.type == "TENS":
            h.update(b"TENS" + struct.pack("<I", len(info.tensors)))
            for entry, array in zip(info.tensors, arrays):
                h.update(struct.pack("<H", len(entry.name_raw)) + entry.name_raw)
                h.update(struct.pack("<BB", entry.dtype, len(entry.shape)))
                h.update(struct.pack("<%dI" % len(entry.shape), *entry.shape))
                h.update(struct.pack("<Q", entry.raw_length))
                h.update(memoryview(array).cast("B"))
        elif section.type not in ("WGHT", "TAIL"):
            h.update(data[section.offset:section.payload_end])
    return h.hexdigest()


def _write_options(tensors):
    """The writer options that store these tensors this way (so writing back gives the same bytes)."""
    if all(t.codec == 0 for t in tensors) and tensors:
        return WriteOptions(codec="none", shuffle=False)
    if any(t.codec == 1 and t.filter == 0 for t in tensors):
        return WriteOptions(codec="zlib", shuffle=False)
    return WriteOptions()


def _model(info, arrays, verify):
    layers = [make_layer(layer.kind.id, layer.inputs, layer.outputs, layer.params) for layer in info.layers]
    names = {name: (index, role) for index, layer in enumerate(layers)
             for role in layer.kind.tensor_shapes(layer.inputs, layer.outputs)
             for name in ["layers.%d.%s" % (index, role)]}
    for entry, array in zip(info.tensors, arrays):
        index, role = names[entry.name]
        layers[index].tensors[role] = array
    model = Model(layers, info.metadata, info.history, info.recipe, _write_options(info.tensors),
                  training_state=info.training_state, weight_snapshots=info.weight_snapshots)
    model.version, model.digest, model.warnings, model.verified = info.version, info.digest, info.warnings, verify
    return model


def _as_view(data):
    view = memoryview(data)
    return view if view.format == "B" and view.ndim == 1 else view.cast("B")


def _read_file(path):
    """The file's bytes, read only after its first 32 bytes and its size passed the signature
    and header checks: a huge file of another kind, or with a wrong length, is never read."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as f:
        status = os.fstat(f.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise OSError("%s is not a regular file" % os.fspath(path))
        head = f.read(w.HEADER_LENGTH)
        check_signature(head, status.st_size)
        parse_header(head, status.st_size)
        # One byte more than the checked length: a file that grew meanwhile is then refused.
        return head + f.read(status.st_size - len(head) + 1)


def read_info(source, *, warn=True) -> FileInfo:
    """Read a file's header and tables (architecture, tensor table, metadata, history, recipe)
    without decoding any tensor. ``source``: a path, or the file's bytes.

    Raises :class:`nnm.NNMError` (its ``identifier`` is the spec's) when reading fails; a
    damaged ancillary section is dropped and named in ``warnings``.
    """
    data = _as_view(_source_bytes(source))
    info = _read(data)
    _emit(info.warnings, warn)
    return info


def loads(data, *, verify=False, warn=True) -> Model:
    """The model in ``data`` (bytes-like). See :func:`load`."""
    view = _as_view(data)
    info = _read(view)
    model = _model(info, _decode_all(view, info, verify), verify)
    _emit(model.warnings, warn)
    return model


def load(source, *, verify=False, warn=True) -> Model:
    """Read the model in ``source`` (a path, or the bytes of a file).

    Every tensor is decoded and checked against its CRC-32. ``verify=True`` makes it a full
    verification (spec §14): a damaged ancillary section is then an error instead of being
    dropped with a warning, and the WGHT CRC and the SHA-256 content digest are checked.
    Warnings (dropped or skipped sections) are in ``model.warnings`` and, with ``warn``, also
    issued as :class:`nnm.NNMWarning`.
    """
    return loads(_source_bytes(source), verify=verify, warn=warn)


def _source_bytes(source):
    if isinstance(source, (bytes, bytearray, memoryview)):
        return source
    return _read_file(source)


def _emit(notes, enabled):
    if enabled:
        for note in notes:
            if note.startswith("dropped"):
                warnings.warn(note, NNMWarning, stacklevel=3)
