"""The critical tables: ``LAYR`` (spec §6) and ``TENS`` (spec §7 rules 1–3), then the tiling
and the tensor set (rules 5–6), each in the spec's fixed check order."""

import numpy as np

from . import _wire as w
from .errors import fail
from .fileinfo import LayerInfo, TensorEntry
from .layers import LAYER_KINDS, expected_tensors


def parse_layers(data, section):
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


def parse_tensors(data, section):
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


def check_layout(tensors, wght, layers):
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
