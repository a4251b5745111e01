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
import unicodedata
import warnings
import zlib
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import _wire as w
from ._blocks import decode_tensor
from ._signature import check_signature
from .errors import NNMError, NNMWarning, fail
from .layers import LAYER_KINDS, expected_tensors
from .model import History, Model, Recipe, WriteOptions, make_layer

__all__ = ["load", "loads", "read_info", "FileInfo", "Section", "TensorEntry", "LayerInfo"]


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

    @property
    def input_width(self):
        return self.layers[0].inputs

    @property
    def output_width(self):
        return self.layers[-1].outputs


# ---------------------------------------------------------------- header and section walk

def _parse_header(data, real_length):
    """spec §4, steps 2–8 (the signature has been checked). ``data`` holds at least the first
    32 bytes when the file has them; ``real_length`` is the file's length."""
    if real_length < w.HEADER_LENGTH:
        fail("truncated", "the file has %d bytes, fewer than the 32-byte signature and header" % real_length)
    major, minor, flags, file_length, section_count, header_crc = struct.unpack_from("<HHIQII", data, 8)
    if major != w.MAJOR:
        fail("unsupportedVersion", "the file is .nnm %d.%d; this reader supports 1.x only" % (major, minor))
    crc = zlib.crc32(data[:28])
    if crc != header_crc:
        fail("headerChecksumMismatch", "header CRC-32 is 0x%08x, bytes 0-27 give 0x%08x" % (header_crc, crc))
    if flags != 0:
        fail("unsupportedFlags", "header flags 0x%08x are not defined in 1.x" % flags)
    if file_length > w.MAX_FILE:
        fail("limitExceeded", "header file_length %d is above the limit 2^31" % file_length)
    if file_length != real_length:
        fail("fileLengthMismatch", "the header says %d bytes, the file has %d (%s)" % (
            file_length, real_length, "truncated" if real_length < file_length else "bytes appended"))
    if section_count > w.MAX_SECTIONS:
        fail("limitExceeded", "header section_count %d is above the limit %d" % (section_count, w.MAX_SECTIONS))
    return minor, section_count


def _is_letter(byte):
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def _check_order(sections, stype, critical, known, where, state):
    """spec §5 step 5: unknown critical first, then the order rules."""
    if critical and not known:
        fail("unknownCriticalSection", "unknown critical %s: this reader cannot use the file" % where)
    if state["tail"]:
        fail("sectionOrder", "%s follows TAIL, which must be the last section" % where)
    if not sections and stype != b"LAYR":
        fail("sectionOrder", "%s: the first section must be LAYR" % where)
    if len(sections) == 1 and stype != b"TENS":
        fail("sectionOrder", "%s: TENS must directly follow LAYR" % where)
    if state["wght"] and stype != b"TAIL":
        fail("sectionOrder", "%s: only TAIL may follow WGHT" % where)
    if known:
        stage = w.STAGES[stype]
        if stage <= state["stage"]:
            fail("sectionOrder", "%s is duplicated or out of order" % where)
        if stype == b"TAIL" and sections[-1].type != "WGHT":
            fail("sectionOrder", "%s: TAIL must directly follow WGHT" % where)
        state["stage"] = stage
    elif not state["tens"] or state["wght"]:
        fail("sectionOrder", "unknown ancillary %s must lie after TENS and before WGHT" % where)


def _walk(data, section_count, warn):
    """spec §5: every section's framing, order, size limit and CRC (not WGHT's)."""
    file_length = len(data)
    pos = w.HEADER_LENGTH
    sections = []
    state = {"stage": -1, "tens": False, "wght": False, "tail": False}
    while pos < file_length:
        if len(sections) >= w.MAX_SECTIONS:
            fail("limitExceeded", "more than %d sections (at file offset %d)" % (w.MAX_SECTIONS, pos))
        if file_length - pos < 16:
            fail("truncated", "only %d bytes left at file offset %d; a section needs at least 16" % (file_length - pos, pos))
        stype = bytes(data[pos:pos + 4])
        for index, byte in enumerate(stype):
            if not _is_letter(byte):
                fail("invalidSectionType", "section type %r at file offset %d: byte %d (0x%02x) is not an ASCII letter"
                     % (stype, pos, index, byte))
        name = stype.decode("ascii")
        length = w.u64_at(data, pos + 4)
        if length > file_length - pos - 16:
            fail("truncated", "section '%s' at file offset %d declares %d payload bytes, only %d remain"
                 % (name, pos, length, file_length - pos - 16))
        critical = not stype[0] & 0x20
        known = stype in w.STAGES
        where = "section '%s' at file offset %d" % (name, pos)
        _check_order(sections, stype, critical, known, where, state)
        section = Section(name, pos, length, critical, known)
        if stype != b"WGHT":
            if length > w.MAX_SECTION_PAYLOAD:
                fail("limitExceeded", "%s has a %d-byte payload (limit 16 MiB)" % (where, length))
            end = pos + 12 + length
            stored, computed = w.u32_at(data, end), zlib.crc32(data[pos:end])
            if stored != computed:
                message = "CRC-32 mismatch in %s: stored 0x%08x, computed 0x%08x" % (where, stored, computed)
                if critical:
                    fail("sectionChecksumMismatch", message)
                section.drop_error = _error("sectionChecksumMismatch", message)
                warn("dropped damaged ancillary %s" % message)
        sections.append(section)
        state["tens"] |= stype == b"TENS"
        state["wght"] |= stype == b"WGHT"
        state["tail"] |= stype == b"TAIL"
        pos += 16 + length
    if not sections or sections[-1].type != "TAIL":
        fail("sectionOrder", "the last section is %s, not TAIL" % ("'%s'" % sections[-1].type if sections else "missing"))
    if len(sections) != section_count:
        fail("sectionCountMismatch", "the header says %d sections, the file has %d" % (section_count, len(sections)))
    return sections


def _error(identifier, message):
    from .errors import error_class
    return error_class(identifier)(message)


# ---------------------------------------------------------------- LAYR and TENS

def _parse_layers(data, section):
    """spec §6 in its check order."""
    c = w.Cursor(data, section.payload_start, section.payload_end, "LAYR payload")
    count = c.u32("layer_count")
    if count > w.MAX_LAYERS:
        fail("limitExceeded", "layer_count %d is above the limit %d" % (count, w.MAX_LAYERS))
    if count == 0:
        fail("malformed", "layer_count is 0")
    if count * w.MIN_LAYER > c.remaining():
        fail("truncated", "layer_count %d needs at least %d bytes, the LAYR payload has %d left"
             % (count, count * w.MIN_LAYER, c.remaining()))
    layers = []
    for i in range(count):
        offset = c.pos
        kind_id, param_count = c.u16("layer %d kind" % i), c.u16("layer %d param_count" % i)
        inputs, outputs = c.u32("layer %d inputs" % i), c.u32("layer %d outputs" % i)
        if param_count > w.MAX_PARAMS:
            fail("limitExceeded", "layer %d has %d parameters (limit %d)" % (i, param_count, w.MAX_PARAMS))
        params = np.frombuffer(c.take(4 * param_count, "layer %d parameters" % i), dtype="<f4")
        kind = LAYER_KINDS.get(kind_id)
        if kind is None:
            fail("unknownLayerKind", "layer %d (file offset %d) has unknown kind id %d" % (i, offset, kind_id))
        if param_count != len(kind.params):
            fail("malformed", "layer %d (%s) has param_count %d, the kind has %d"
                 % (i, kind.name, param_count, len(kind.params)))
        for width in (inputs, outputs):
            if width > w.MAX_WIDTH:
                fail("limitExceeded", "layer %d (%s) width %d is above the limit 2^24" % (i, kind.name, width))
            if width == 0:
                fail("malformed", "layer %d (%s) has a width of 0" % (i, kind.name))
        layers.append(LayerInfo(kind, inputs, outputs, dict(zip(kind.params, (float(p) for p in params)))))
    c.expect_end()
    for i, layer in enumerate(layers):
        name = layer.kind.name
        if layer.kind.shape_preserving and layer.inputs != layer.outputs:
            fail("inconsistentModel", "layer %d (%s) is shape-preserving but maps %d -> %d"
                 % (i, name, layer.inputs, layer.outputs))
        if "slope" in layer.params and not np.isfinite(layer.params["slope"]):
            fail("inconsistentModel", "layer %d (%s) slope is not finite" % (i, name))
        if i > 0 and layer.inputs != layers[i - 1].outputs:
            fail("inconsistentModel", "layer %d (%s) has %d inputs, layer %d has %d outputs"
                 % (i, name, layer.inputs, i - 1, layers[i - 1].outputs))
    return layers


def _parse_tensor_entry(c, index, total_raw):
    """One tensor table entry, fields checked as they come (spec §7 rule 2 a–k)."""
    offset0 = c.pos
    name_raw, name = c.sstr("tensor %d name" % index)
    label = "tensor '%s' (file offset %d)" % (name, offset0)
    dtype, rank, codec, filt = (c.u8("%s %s" % (label, f)) for f in ("dtype", "rank", "codec", "filter"))
    for what, value, known in (("dtype", dtype, (1,)), ("codec", codec, (0, 1)), ("filter", filt, (0, 1))):
        if value not in known:
            fail("unsupportedTensorEncoding", "%s has unknown %s id %d" % (label, what, value))
    if codec == 0 and filt != 0:
        fail("malformed", "%s has codec none with filter %d" % (label, filt))
    if rank > w.MAX_RANK:
        fail("limitExceeded", "%s has rank %d (limit %d)" % (label, rank, w.MAX_RANK))
    if rank == 0:
        fail("malformed", "%s has rank 0" % label)
    shape = []
    for _ in range(rank):
        dim = c.u32("%s dims" % label)
        if dim == 0:
            fail("malformed", "%s has a dimension of 0" % label)
        if dim > w.MAX_WIDTH:
            fail("limitExceeded", "%s has dimension %d (limit 2^24)" % (label, dim))
        shape.append(dim)
    elements = 1
    for dim in shape:
        elements *= dim
    if elements > w.MAX_ELEMENTS:
        fail("limitExceeded", "%s has %d elements (limit 2^28)" % (label, elements))
    offset, stored_length, raw_length = c.u64("offset"), c.u64("stored_length"), c.u64("raw_length")
    raw_crc, block_count = c.u32("raw_crc"), c.u32("block_count")
    if raw_length != 4 * elements:
        fail("malformed", "%s raw_length %d is not 4 x %d elements" % (label, raw_length, elements))
    if total_raw + raw_length > w.MAX_TOTAL_RAW:
        fail("limitExceeded", "the raw bytes of all tensors exceed 2^30 at %s" % label)
    if block_count != (raw_length + w.BLOCK - 1) // w.BLOCK:
        fail("malformed", "%s has block_count %d, expected %d" % (label, block_count, (raw_length + w.BLOCK - 1) // w.BLOCK))
    c.need(4 * block_count, "block_lengths of %s" % label)
    blocks = []
    for k in range(block_count):
        stored, raw = c.u32("block length"), min(w.BLOCK, raw_length - k * w.BLOCK)
        if codec == 0 and stored != raw:
            fail("malformed", "%s block %d: codec none, stored length %d is not the raw length %d" % (label, k, stored, raw))
        if codec == 1 and raw > w.MAX_EXPANSION * stored:
            fail("limitExceeded", "%s block %d: %d raw bytes from %d stored bytes is above 1032:1 (a decompression bomb)"
                 % (label, k, raw, stored))
        blocks.append(stored)
    if stored_length != sum(blocks):
        fail("malformed", "%s stored_length %d is not the sum of its block lengths %d" % (label, stored_length, sum(blocks)))
    return TensorEntry(name, name_raw, dtype, codec, filt, tuple(shape), offset, stored_length, raw_length,
                       raw_crc, blocks)


def _parse_tensors(data, section):
    c = w.Cursor(data, section.payload_start, section.payload_end, "TENS payload")
    count = c.u32("tensor_count")
    if count > w.MAX_TENSORS:
        fail("limitExceeded", "tensor_count %d is above the limit %d" % (count, w.MAX_TENSORS))
    if count * w.MIN_TENSOR_ENTRY > c.remaining():
        fail("truncated", "tensor_count %d cannot fit in the %d bytes left of the TENS payload" % (count, c.remaining()))
    tensors, total_raw = [], 0
    for index in range(count):
        entry = _parse_tensor_entry(c, index, total_raw)
        total_raw += entry.raw_length
        tensors.append(entry)
    c.expect_end()
    return tensors


def _check_layout(tensors, wght, layers):
    """spec §7 rules 5 (tiling) and 6 (the tensor set the layers own)."""
    position = 0
    for entry in tensors:
        if entry.offset != position:
            fail("tensorLayout", "tensor '%s' starts at WGHT offset %d, expected %d" % (entry.name, entry.offset, position))
        position += entry.stored_length
    if position != wght.length:
        fail("tensorLayout", "the tensors end at WGHT offset %d, the WGHT payload has %d bytes" % (position, wght.length))
    expected = expected_tensors(layers)
    if len(expected) != len(tensors):
        fail("inconsistentModel", "the layers own %d tensors, the table lists %d" % (len(expected), len(tensors)))
    for index, ((name, shape), entry) in enumerate(zip(expected, tensors)):
        if entry.name_raw != name.encode("ascii"):
            fail("inconsistentModel", "tensor %d is named %r, expected '%s'" % (index, entry.name, name))
        if entry.shape != shape:
            fail("inconsistentModel", "tensor '%s' has shape %s, the layer requires %s" % (name, list(entry.shape), list(shape)))


# ---------------------------------------------------------------- ancillary sections

def _parse_value(c, kind, what):
    if kind == 1:
        value = c.u8(what)
        if value > 1:
            fail("malformed", "%s: bool value %d" % (what, value))
        return bool(value)
    if kind == 2:
        return c.i64(what)
    if kind == 3:
        return c.f64(what)
    if kind == 4:
        return c.lstr("%s string" % what, w.MAX_STRING)
    if kind in (5, 6):
        count = c.u32("%s array count" % what)
        if count > w.MAX_ARRAY:
            fail("limitExceeded", "%s: array of %d values (limit 2^20)" % (what, count))
        raw = c.take(8 * count, "%s array" % what)
        return np.frombuffer(raw, dtype="<i8" if kind == 5 else "<f8").copy()
    fail("malformed", "%s has unknown value type %d" % (what, kind))


def _parse_kvlist(c, what):
    """spec §8's key/value list, in its check order."""
    count = c.u32("%s entry_count" % what)
    if count > w.MAX_ENTRIES:
        fail("limitExceeded", "%s has %d entries (limit %d)" % (what, count, w.MAX_ENTRIES))
    if count * w.MIN_KV_ENTRY > c.remaining():
        fail("truncated", "%s entry_count %d cannot fit in %d bytes" % (what, count, c.remaining()))
    entries, previous, seen = {}, None, set()
    for i in range(count):
        raw, key = c.sstr("%s key %d" % (what, i), min_length=1)
        if previous is not None and not raw > previous:
            fail("malformed", "%s key %r is not after %r in byte order" % (what, key, previous.decode("utf-8")))
        previous = raw
        kind = c.u8("%s key %r type" % (what, key))
        entries[key] = _parse_value(c, kind, "%s key %r" % (what, key))
        normal = unicodedata.normalize("NFC", key)
        if normal in seen:
            fail("malformed", "%s key %r is canonically equivalent to an earlier key" % (what, key))
        seen.add(normal)
    return entries


def _parse_meta(data, section):
    c = w.Cursor(data, section.payload_start, section.payload_end, "meta payload")
    entries = _parse_kvlist(c, "meta")
    c.expect_end()
    if not entries:
        fail("malformed", "the meta section has no entries (no metadata is written as no section)")
    return entries


def _parse_hist(data, section):
    c = w.Cursor(data, section.payload_start, section.payload_end, "hist payload")
    series_count, epochs = c.u32("series_count"), c.u32("epoch_count")
    if series_count > w.MAX_SERIES:
        fail("limitExceeded", "hist has %d series (limit %d)" % (series_count, w.MAX_SERIES))
    if epochs > w.MAX_EPOCHS:
        fail("limitExceeded", "hist has %d epochs (limit 2^22)" % epochs)
    if series_count == 0:
        fail("malformed", "hist has no series (no history is written as no section)")
    c.need(w.MIN_SERIES_NAME * series_count, "hist series names")
    names, seen = [], set()
    for i in range(series_count):
        _, name = c.sstr("hist series %d name" % i, min_length=1)
        normal = unicodedata.normalize("NFC", name)
        if normal in seen:
            fail("malformed", "hist series name %r is duplicated (or canonically equivalent to another)" % name)
        seen.add(normal)
        names.append(name)
    values = np.frombuffer(c.take(4 * series_count * epochs, "hist values (%d series x %d epochs)"
                                  % (series_count, epochs)), dtype="<f4")
    c.expect_end()
    return History({name: values[i * epochs:(i + 1) * epochs].copy() for i, name in enumerate(names)})


def _parse_rcpe(data, section):
    c = w.Cursor(data, section.payload_start, section.payload_end, "rcpe payload")
    _, generator = c.sstr("rcpe generator", min_length=1)
    seed = c.u64("seed")
    validation, test = c.f64("validation_fraction"), c.f64("test_fraction")
    if not (np.isfinite(validation) and np.isfinite(test) and validation >= 0 and test >= 0 and validation + test < 1):
        fail("malformed", "recipe fractions %r and %r must be finite, >= 0, with a sum below 1" % (validation, test))
    parameters = _parse_kvlist(c, "rcpe parameters")
    c.expect_end()
    return Recipe(generator, seed, validation, test, parameters)


_ANCILLARY = {"meta": ("metadata", _parse_meta), "hist": ("history", _parse_hist), "rcpe": ("recipe", _parse_rcpe)}


# ---------------------------------------------------------------- reading procedure

def _read(data):
    """The reading procedure of spec §14 (no tensor decoded). ``data`` is a memoryview."""
    check_signature(data[:32], len(data))
    minor, section_count = _parse_header(data, len(data))
    notes = []
    sections = _walk(data, section_count, notes.append)
    by_type = {s.type: s for s in sections if s.known}
    layers = _parse_layers(data, by_type["LAYR"])
    tensors = _parse_tensors(data, by_type["TENS"])
    tail = by_type["TAIL"]
    if tail.length != 32:
        fail("malformed", "the TAIL payload is %d bytes, it must be 32" % tail.length)
    _check_layout(tensors, by_type["WGHT"], layers)
    info = FileInfo((w.MAJOR, minor), len(data), sections, layers, tensors, None, None, None,
                    bytes(data[tail.payload_start:tail.payload_end]).hex(), notes)
    if minor > w.MINOR:
        notes.append("the file is .nnm 1.%d, newer than this 1.0 reader; unknown additions are skipped" % minor)
    for section in sections:
        if section.critical:
            continue
        if not section.known:
            info.unknown_sections.append(section.type)
            notes.append("skipped unknown ancillary section '%s' at file offset %d" % (section.type, section.offset))
            continue
        if section.drop_error is not None:
            continue
        attribute, parse = _ANCILLARY[section.type]
        try:
            setattr(info, attribute, parse(data, section))
        except NNMError as error:
            section.drop_error = error
            notes.append("dropped damaged ancillary section '%s' at file offset %d: %s (%s)"
                         % (section.type, section.offset, error, error.identifier))
    return info


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
    model = Model(layers, info.metadata, info.history, info.recipe, _write_options(info.tensors))
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
        _parse_header(head, status.st_size)
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
