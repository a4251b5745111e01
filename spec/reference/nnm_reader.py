#!/usr/bin/env python3
"""Independent reader for the .nnm v1 model file format, written from spec/nnm-format.md only.

The differential reader of the project: it was written by an engineer who saw only the spec, and
is kept independent of the Swift code (it is changed only where the spec changes). Swift tests run
check_nnm_vectors.py and compare this reader with the Swift reader on fresh files.

read_nnm(data, verify=True) -> dict
    verify=False: "reading" in the sense of the spec (§14): signature, header, section walk,
                  all tables, ancillary sections (dropped with a warning when damaged).
                  Tensor blobs are not decoded.
    verify=True:  additionally a full verification (§14): dropped ancillary sections are
                  errors, every tensor is decoded and CRC-checked, the WGHT CRC is checked,
                  the content digest is recomputed and compared.
Errors are raised as NNMError(name, message) with the identifiers of §12.
"""
import hashlib
import json
import struct
import sys
import zlib

# §8: canonical equivalence is that of Unicode 17.0. Python's own unicodedata is older (14.0 in
# Python 3.11), so the PyPI package unicodedata2 pinned to 17.0 is used when it is installed.
try:
    import unicodedata2 as unicodedata
    if not unicodedata.unidata_version.startswith("17."):
        raise ImportError("unicodedata2 " + unicodedata.unidata_version + " is not Unicode 17")
except ImportError:
    import unicodedata
UNICODE_VERSION = unicodedata.unidata_version

SIGNATURE = b"\x8eNNM\r\n\x1a\n"
MAX_FILE = 1 << 31
MAX_SECTIONS = 64
MAX_SECTION_PAYLOAD = 1 << 24
MAX_LAYERS = 1024
MAX_PARAMS = 16
MAX_WIDTH = 1 << 24
MAX_TENSORS = 2048
MAX_RANK = 4
MAX_ELEMENTS = 1 << 28
MAX_TOTAL_RAW = 1 << 30
MAX_NAME = 255
MAX_ENTRIES = 4096
MAX_LSTR = 1 << 20
MAX_ARRAY = 1 << 20
MAX_SERIES = 64
MAX_EPOCHS = 1 << 22
MAX_STATE_BUFFERS = 3 * 2048
MAX_SNAPSHOTS = 64
OPTIMIZERS = {1: "sgd", 2: "momentum", 3: "nesterov", 4: "adam"}
OPTIMIZER_SLOTS = {1: {0}, 2: {0, 1}, 3: {0, 1}, 4: {0, 1, 2}}
BLOCK = 1 << 20
MAX_EXPANSION = 1032

# id -> (name, param names, owned tensor roles)
LAYER_KINDS = {
    1: ("Linear", [], ["weight", "bias"]),
    2: ("ReLU", [], []),
    3: ("LeakyReLU", ["slope"], []),
    4: ("Sigmoid", [], []),
    5: ("Tanh", [], []),
    6: ("Softmax", [], []),
    7: ("Identity", [], []),
    8: ("Standardize", [], ["mean", "scale"]),
    9: ("Rescale", [], ["scale", "shift"]),  # format 1.1
}

# type -> stage (§5)
STAGES = {b"LAYR": 0, b"TENS": 1, b"meta": 2, b"hist": 3, b"rcpe": 4, b"trst": 5, b"snap": 6, b"WGHT": 7, b"TAIL": 8}


class NNMError(Exception):
    def __init__(self, name, message):
        super().__init__("%s: %s" % (name, message))
        self.name = name
        self.message = message


def _fail(name, message):
    raise NNMError(name, message)


def _is_letter(b):
    return 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A


def _tname(t):
    return t.decode("latin-1")


class Cursor:
    """Bounds-checked little-endian reader over one section payload."""

    def __init__(self, buf, start, end, where):
        self.buf = buf
        self.pos = start
        self.end = end
        self.where = where  # e.g. "LAYR payload at offset 44"

    def remaining(self):
        return self.end - self.pos

    def need(self, n, what):
        if n > self.end - self.pos:
            _fail("truncated", "%s runs past the end of the %s (needs %d bytes at file offset %d, %d left)"
                  % (what, self.where, n, self.pos, self.end - self.pos))

    def take(self, n, what):
        self.need(n, what)
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self, what):
        return self.take(1, what)[0]

    def u16(self, what):
        return struct.unpack("<H", self.take(2, what))[0]

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]

    def u64(self, what):
        return struct.unpack("<Q", self.take(8, what))[0]

    def i64(self, what):
        return struct.unpack("<q", self.take(8, what))[0]

    def f32bits(self, what):
        return self.u32(what)

    def f64(self, what):
        return struct.unpack("<d", self.take(8, what))[0]

    def utf8(self, raw, what):
        try:
            return raw.decode("utf-8", errors="strict")
        except UnicodeDecodeError as e:
            _fail("malformed", "%s is not valid UTF-8 (%s) in the %s" % (what, e.reason, self.where))

    def sstr(self, what, min_len=0):
        off = self.pos
        n = self.u16(what + " length")
        if n > MAX_NAME:
            _fail("limitExceeded", "%s at file offset %d is %d bytes long (limit %d)" % (what, off, n, MAX_NAME))
        if n < min_len:
            _fail("malformed", "%s at file offset %d is empty" % (what, off))
        raw = self.take(n, what)
        return raw, self.utf8(raw, what)

    def lstr(self, what, limit):
        off = self.pos
        n = self.u32(what + " length")
        if n > limit:
            _fail("limitExceeded", "%s at file offset %d is %d bytes long (limit %d)" % (what, off, n, limit))
        raw = self.take(n, what)
        return self.utf8(raw, what)

    def expect_end(self):
        if self.pos != self.end:
            _fail("malformed", "%d trailing byte(s) after the last entry of the %s (file offset %d)"
                  % (self.end - self.pos, self.where, self.pos))


def f32_from_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _is_finite_f32(bits):
    return (bits & 0x7F800000) != 0x7F800000


# ---------------------------------------------------------------- signature / header

IMPOSTORS = [
    (b"version https://git-lfs", "a Git LFS pointer (run `git lfs pull`)"),
    (b"PK\x03\x04", "a zip archive (maybe a .npz or PyTorch file)"),
    (b"\x1f\x8b", "a gzip file"),
    (b"GGUF", "a GGUF file"),
    (b"\x93NUMPY", "a NumPy .npy file"),
    (b"\x89PNG", "a PNG image"),
]


def _describe_impostor(data):
    for magic, what in IMPOSTORS:
        if data.startswith(magic):
            return what
    head = data[:512].lstrip().lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html") or b"<html" in head[:200]:
        return "an HTML page (a download error page?)"
    if len(data) >= 8:
        n = struct.unpack("<Q", data[:8])[0]
        if 0 < n <= len(data) - 8 and data[8:9] == b"{":
            return "a safetensors file"
    if head.startswith(b"{") or head.startswith(b"["):
        return "a JSON document"
    return None


def check_signature(data):
    if len(data) == 0:
        _fail("notNNM", "the file is empty")
    head = data[:8]
    if head == SIGNATURE:
        return
    if len(data) < 8:
        # §3: a file shorter than 8 bytes is truncated (a prefix of the signature) or notNNM.
        if SIGNATURE.startswith(data):
            _fail("truncated", "the file has only %d bytes, a prefix of the .nnm signature" % len(data))
        imp = _describe_impostor(data)
        _fail("notNNM", "not an .nnm file: %s" % (imp or "%d bytes %s" % (len(data), data.hex(" "))))
    # text-mode transfer damage (§3)
    if data[0] == 0x0E and data[1:4] == b"NNM":
        _fail("transferDamaged", "signature byte 0 is 0x0E instead of 0x8E: bit 7 was stripped in transfer")
    if data[:7] == b"\x8eNNM\n\x1a\n":
        _fail("transferDamaged", "signature has LF where CR LF was expected: CR LF -> LF conversion in transfer")
    if data[:8] in (b"\x8eNNM\r\n\x1a\r", b"\x8eNNM\r\r\n\x1a"):
        _fail("transferDamaged", "signature has CR LF where LF was expected: LF -> CR LF conversion in transfer")
    imp = _describe_impostor(data)
    if imp:
        _fail("notNNM", "not an .nnm file: this looks like %s" % imp)
    _fail("notNNM", "not an .nnm file: the first bytes are %s, not 8e 4e 4e 4d 0d 0a 1a 0a" % head.hex(" "))


def parse_header(data):
    check_signature(data)
    if len(data) < 32:
        _fail("truncated", "the file has %d bytes, fewer than the 32-byte signature and header" % len(data))
    major, minor, flags, file_length, section_count, header_crc = struct.unpack("<HHIQII", data[8:32])
    if major != 1:
        _fail("unsupportedVersion", "the file has format version %d.%d; this reader supports major version 1"
              % (major, minor))
    crc = zlib.crc32(data[0:28]) & 0xFFFFFFFF
    if crc != header_crc:
        _fail("headerChecksumMismatch", "header CRC is 0x%08x, bytes 0-27 give 0x%08x" % (header_crc, crc))
    if flags != 0:
        _fail("unsupportedFlags", "header flags are 0x%08x; no flag is defined in 1.x" % flags)
    if file_length > MAX_FILE:
        _fail("limitExceeded", "header file_length %d exceeds 2^31" % file_length)
    if file_length != len(data):
        _fail("fileLengthMismatch", "header says %d bytes, the file has %d (%s)"
              % (file_length, len(data), "truncated" if len(data) < file_length else "bytes appended"))
    if section_count > MAX_SECTIONS:
        _fail("limitExceeded", "header section_count %d exceeds %d" % (section_count, MAX_SECTIONS))
    return {"major": major, "minor": minor, "flags": flags, "file_length": file_length,
            "section_count": section_count}


# ---------------------------------------------------------------- section walk

def walk_sections(data, hdr, warnings):
    """Returns a list of dicts: type, offset, length, payload_start, crc_ok (None for WGHT)."""
    file_length = hdr["file_length"]
    pos = 32
    sections = []
    last_stage = -1
    seen_tens = False
    seen_wght = False
    seen_tail = False
    while pos < file_length:
        # 1. section count limit
        if len(sections) >= MAX_SECTIONS:
            _fail("limitExceeded", "more than %d sections (at file offset %d)" % (MAX_SECTIONS, pos))
        # 2. head + crc must fit
        if file_length - pos < 16:
            _fail("truncated", "only %d bytes left at file offset %d, a section needs at least 16"
                  % (file_length - pos, pos))
        stype = data[pos:pos + 4]
        # 3. type letters
        for i, b in enumerate(stype):
            if not _is_letter(b):
                _fail("invalidSectionType", "section type %r at file offset %d: byte %d (0x%02x) is not an ASCII letter"
                      % (stype, pos, i, b))
        length = struct.unpack("<Q", data[pos + 4:pos + 12])[0]
        # 4. length fits
        avail = file_length - pos - 16
        if length > avail:
            _fail("truncated", "section '%s' at file offset %d declares %d payload bytes, only %d remain"
                  % (_tname(stype), pos, length, avail))
        # 5. order rules / unknown critical
        critical = not (stype[0] & 0x20)
        known = stype in STAGES
        where = "section '%s' at file offset %d" % (_tname(stype), pos)
        # §5 step 5: an unknown critical section is refused wherever it is (it has no position
        # rule); then the order rules, for known and unknown ancillary sections.
        if critical and not known:
            _fail("unknownCriticalSection", "unknown critical %s" % where)
        if seen_tail:
            _fail("sectionOrder", "%s follows TAIL, which must be the last section" % where)
        if len(sections) == 0 and stype != b"LAYR":
            _fail("sectionOrder", "%s: the first section must be LAYR" % where)
        if len(sections) == 1 and stype != b"TENS":
            _fail("sectionOrder", "%s: TENS must directly follow LAYR" % where)
        if seen_wght and stype != b"TAIL":
            _fail("sectionOrder", "%s: only TAIL may follow WGHT" % where)
        if known:
            stage = STAGES[stype]
            if stage <= last_stage:
                _fail("sectionOrder", "%s is duplicated or out of order" % where)
            if stype == b"TAIL" and sections[-1]["type"] != b"WGHT":
                _fail("sectionOrder", "%s: TAIL must directly follow WGHT" % where)
            last_stage = stage
        elif critical:
            _fail("unknownCriticalSection", "unknown critical %s" % where)
        elif not seen_tens or seen_wght:
            _fail("sectionOrder", "unknown ancillary %s must lie after TENS and before WGHT" % where)
        # 6. size limit, CRC
        payload_start = pos + 12
        crc_pos = payload_start + length
        sec = {"type": stype, "offset": pos, "length": length, "payload_start": payload_start,
               "crc_pos": crc_pos, "critical": critical, "known": known, "crc_ok": None}
        if stype != b"WGHT":
            if length > MAX_SECTION_PAYLOAD:
                _fail("limitExceeded", "%s has a %d-byte payload (limit 16 MiB)" % (where, length))
            stored = struct.unpack("<I", data[crc_pos:crc_pos + 4])[0]
            crc = zlib.crc32(data[pos:crc_pos]) & 0xFFFFFFFF
            sec["crc_ok"] = crc == stored
            if crc != stored:
                msg = "%s: CRC is 0x%08x, computed 0x%08x" % (where, stored, crc)
                if critical:
                    _fail("sectionChecksumMismatch", msg)
                sec["drop_error"] = NNMError("sectionChecksumMismatch", msg)
                warnings.append("dropped ancillary " + msg)
        sections.append(sec)
        if stype == b"TENS":
            seen_tens = True
        elif stype == b"WGHT":
            seen_wght = True
        elif stype == b"TAIL":
            seen_tail = True
        pos = crc_pos + 4
    if not sections or sections[-1]["type"] != b"TAIL":
        _fail("sectionOrder", "the last section is %s, not TAIL"
              % ("'%s'" % _tname(sections[-1]["type"]) if sections else "missing"))
    if len(sections) != hdr["section_count"]:
        _fail("sectionCountMismatch", "header says %d sections, the file has %d"
              % (hdr["section_count"], len(sections)))
    return sections


# ---------------------------------------------------------------- LAYR

def parse_layers(data, sec):
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "LAYR payload")
    count = c.u32("layer_count")
    if count == 0:
        _fail("malformed", "layer_count is 0")
    if count > MAX_LAYERS:
        _fail("limitExceeded", "layer_count %d exceeds %d" % (count, MAX_LAYERS))
    if count * 12 > c.remaining():
        _fail("truncated", "layer_count %d needs at least %d bytes, the LAYR payload has %d left"
              % (count, count * 12, c.remaining()))
    layers = []
    for i in range(count):
        off = c.pos
        kind = c.u16("layer %d kind" % i)
        pc = c.u16("layer %d param_count" % i)
        inputs = c.u32("layer %d inputs" % i)
        outputs = c.u32("layer %d outputs" % i)
        # §6 entry order: param_count limit, parameters read, kind, param_count, widths.
        if pc > MAX_PARAMS:
            _fail("limitExceeded", "layer %d has %d parameters (limit %d)" % (i, pc, MAX_PARAMS))
        c.need(4 * pc, "layer %d parameters" % i)
        pbits = [c.f32bits("layer %d parameter" % i) for _ in range(pc)]
        if kind not in LAYER_KINDS:
            _fail("unknownLayerKind", "layer %d (file offset %d) has unknown kind id %d" % (i, off, kind))
        name, pnames, _roles = LAYER_KINDS[kind]
        if pc != len(pnames):
            _fail("malformed", "layer %d (%s) has param_count %d, the kind has %d" % (i, name, pc, len(pnames)))
        for w in (inputs, outputs):
            if w > MAX_WIDTH:
                _fail("limitExceeded", "layer %d width %d -> %d exceeds 2^24" % (i, inputs, outputs))
            if w == 0:
                _fail("malformed", "layer %d (%s) has a width of 0" % (i, name))
        layers.append({"index": i, "kind_id": kind, "kind": name, "inputs": inputs, "outputs": outputs,
                       "param_bits": pbits,
                       "params": {pn: f32_from_bits(b) for pn, b in zip(pnames, pbits)}})
    c.expect_end()
    # consistency rules
    for L in layers:
        i = L["index"]
        if L["kind"] != "Linear" and L["inputs"] != L["outputs"]:
            _fail("inconsistentModel", "layer %d (%s) is shape-preserving but maps %d -> %d"
                  % (i, L["kind"], L["inputs"], L["outputs"]))
        if i > 0 and L["inputs"] != layers[i - 1]["outputs"]:
            _fail("inconsistentModel", "layer %d (%s) has %d inputs, layer %d has %d outputs"
                  % (i, L["kind"], L["inputs"], i - 1, layers[i - 1]["outputs"]))
        if L["kind"] == "LeakyReLU" and not _is_finite_f32(L["param_bits"][0]):
            _fail("inconsistentModel", "layer %d (LeakyReLU) slope is not finite" % i)
    return layers


def expected_tensors(layers):
    out = []
    for L in layers:
        i = L["index"]
        if L["kind"] == "Linear":
            out.append(("layers.%d.weight" % i, [L["outputs"], L["inputs"]]))
            out.append(("layers.%d.bias" % i, [L["outputs"]]))
        elif L["kind"] == "Standardize":
            out.append(("layers.%d.mean" % i, [L["inputs"]]))
            out.append(("layers.%d.scale" % i, [L["inputs"]]))
        elif L["kind"] == "Rescale":
            out.append(("layers.%d.scale" % i, [L["outputs"]]))
            out.append(("layers.%d.shift" % i, [L["outputs"]]))
    return out


# ---------------------------------------------------------------- TENS

TENSOR_MIN_ENTRY = 2 + 4 + 4 + 8 + 8 + 8 + 4 + 4 + 4  # empty name, rank 1, one block


def parse_tensors(data, sec):
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "TENS payload")
    count = c.u32("tensor_count")
    if count > MAX_TENSORS:
        _fail("limitExceeded", "tensor_count %d exceeds %d" % (count, MAX_TENSORS))
    if count * TENSOR_MIN_ENTRY > c.remaining():
        _fail("truncated", "tensor_count %d cannot fit in the %d bytes left of the TENS payload"
              % (count, c.remaining()))
    tensors = []
    total_raw = 0
    for t in range(count):
        off = c.pos
        name_raw, name = c.sstr("tensor %d name" % t)
        label = "tensor %d '%s' (file offset %d)" % (t, name, off)
        dtype = c.u8("dtype")
        rank = c.u8("rank")
        codec = c.u8("codec")
        filt = c.u8("filter")
        if dtype != 1:
            _fail("unsupportedTensorEncoding", "%s has unknown dtype %d" % (label, dtype))
        if codec not in (0, 1):
            _fail("unsupportedTensorEncoding", "%s has unknown codec %d" % (label, codec))
        if filt not in (0, 1):
            _fail("unsupportedTensorEncoding", "%s has unknown filter %d" % (label, filt))
        if codec == 0 and filt != 0:
            _fail("malformed", "%s has codec none with filter %d" % (label, filt))
        if rank == 0:
            _fail("malformed", "%s has rank 0" % label)
        if rank > MAX_RANK:
            _fail("limitExceeded", "%s has rank %d (limit %d)" % (label, rank, MAX_RANK))
        dims = []
        for _ in range(rank):  # §7: each dimension is checked as it is read
            d = c.u32("dims")
            if d == 0:
                _fail("malformed", "%s has a dimension of 0" % label)
            if d > MAX_WIDTH:
                _fail("limitExceeded", "%s has dimension %d > 2^24" % (label, d))
            dims.append(d)
        product = 1
        for d in dims:
            product *= d  # Python ints do not overflow
        if product > MAX_ELEMENTS:
            _fail("limitExceeded", "%s has %d elements (limit 2^28)" % (label, product))
        offset = c.u64("offset")
        stored_length = c.u64("stored_length")
        raw_length = c.u64("raw_length")
        raw_crc = c.u32("raw_crc")
        block_count = c.u32("block_count")
        if raw_length != 4 * product:
            _fail("malformed", "%s raw_length %d != 4 x %d elements" % (label, raw_length, product))
        total_raw += raw_length
        if total_raw > MAX_TOTAL_RAW:
            _fail("limitExceeded", "raw bytes of all tensors exceed 2^30 at %s" % label)
        nblocks = (raw_length + BLOCK - 1) // BLOCK
        if block_count != nblocks:
            _fail("malformed", "%s block_count %d, expected %d" % (label, block_count, nblocks))
        c.need(4 * block_count, "block_lengths of %s" % label)
        blens = [c.u32("block_lengths") for _ in range(block_count)]
        raw_blocks = [min(BLOCK, raw_length - k * BLOCK) for k in range(block_count)]
        if codec == 0:
            for k, (bl, rl) in enumerate(zip(blens, raw_blocks)):
                if bl != rl:
                    _fail("malformed", "%s block %d: codec none, stored length %d != raw length %d"
                          % (label, k, bl, rl))
        else:
            for k, (bl, rl) in enumerate(zip(blens, raw_blocks)):
                if rl > MAX_EXPANSION * bl:
                    _fail("limitExceeded", "%s block %d: %d raw bytes from %d stored bytes exceeds 1032:1"
                          " (decompression bomb)" % (label, k, rl, bl))
        if stored_length != sum(blens):
            _fail("malformed", "%s stored_length %d != sum of block lengths %d" % (label, stored_length, sum(blens)))
        tensors.append({"index": t, "name": name, "name_raw": name_raw, "dtype": dtype, "rank": rank,
                        "codec": codec, "filter": filt, "shape": dims, "offset": offset,
                        "stored_length": stored_length, "raw_length": raw_length, "raw_crc": raw_crc,
                        "block_lengths": blens, "raw_block_lengths": raw_blocks})
    c.expect_end()
    return tensors


def check_tensor_layout(tensors, wght_len, layers):
    # tiling
    pos = 0
    for T in tensors:
        if T["offset"] != pos:
            _fail("tensorLayout", "tensor '%s' starts at WGHT offset %d, expected %d" % (T["name"], T["offset"], pos))
        pos += T["stored_length"]
    if pos != wght_len:
        _fail("tensorLayout", "tensors end at WGHT offset %d, the WGHT payload has %d bytes" % (pos, wght_len))
    # tensor set
    exp = expected_tensors(layers)
    if len(exp) != len(tensors):
        _fail("inconsistentModel", "the layers own %d tensors, the table lists %d" % (len(exp), len(tensors)))
    for (ename, eshape), T in zip(exp, tensors):
        if T["name_raw"] != ename.encode("ascii"):
            _fail("inconsistentModel", "tensor %d is named %r, expected '%s'" % (T["index"], T["name"], ename))
        if T["shape"] != eshape:
            _fail("inconsistentModel", "tensor '%s' has shape %s, the layer requires %s" % (ename, T["shape"], eshape))


# ---------------------------------------------------------------- ancillary

def parse_kvlist(c, what):
    count = c.u32("%s entry_count" % what)
    if count > MAX_ENTRIES:
        _fail("limitExceeded", "%s has %d entries (limit %d)" % (what, count, MAX_ENTRIES))
    if count * 5 > c.remaining():
        _fail("truncated", "%s entry_count %d cannot fit in %d bytes" % (what, count, c.remaining()))
    out = []
    prev = None
    seen = set()
    for i in range(count):
        key_raw, key = c.sstr("%s key %d" % (what, i), min_len=1)
        if prev is not None and not (key_raw > prev):
            _fail("malformed", "%s key %r is not strictly after %r in byte order" % (what, key, prev.decode("utf-8")))
        prev = key_raw
        typ = c.u8("%s value type" % what)
        if typ == 1:
            v = c.u8("bool")
            if v not in (0, 1):
                _fail("malformed", "%s key %r: bool value %d" % (what, key, v))
            val = bool(v)
        elif typ == 2:
            val = c.i64("int")
        elif typ == 3:
            val = c.f64("double")
        elif typ == 4:
            val = c.lstr("%s key %r string" % (what, key), MAX_LSTR)
        elif typ in (5, 6):
            n = c.u32("array count")
            if n > MAX_ARRAY:
                _fail("limitExceeded", "%s key %r: array of %d elements (limit 2^20)" % (what, key, n))
            c.need(8 * n, "%s key %r array" % (what, key))
            val = [c.i64("int") if typ == 5 else c.f64("double") for _ in range(n)]
        else:
            _fail("malformed", "%s key %r has unknown value type %d" % (what, key, typ))
        # §8: two canonically equivalent keys (same NFC form) make the list malformed.
        nfc = unicodedata.normalize("NFC", key)
        if nfc in seen:
            _fail("malformed", "%s key %r is canonically equivalent to an earlier key" % (what, key))
        seen.add(nfc)
        out.append({"key": key, "type": ["", "bool", "int", "double", "string", "ints", "doubles"][typ],
                    "value": val})
    return out


def parse_meta(data, sec):
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "meta payload")
    entries = parse_kvlist(c, "meta")
    c.expect_end()
    if not entries:
        _fail("malformed", "meta has no entries (canonical encoding omits the section)")
    return entries


def parse_hist(data, sec):
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "hist payload")
    ns = c.u32("series_count")
    ne = c.u32("epoch_count")
    if ns > MAX_SERIES:
        _fail("limitExceeded", "hist has %d series (limit %d)" % (ns, MAX_SERIES))
    if ne > MAX_EPOCHS:
        _fail("limitExceeded", "hist has %d epochs (limit 2^22)" % ne)
    if ns == 0:
        _fail("malformed", "hist has no series (canonical encoding omits the section)")
    c.need(3 * ns, "hist series names")
    names = []
    raws = set()
    for i in range(ns):
        raw, name = c.sstr("hist series %d name" % i, min_len=1)
        nfc = unicodedata.normalize("NFC", name)
        if nfc in raws:
            _fail("malformed", "hist series name %r is duplicated (or canonically equivalent to another)" % name)
        raws.add(nfc)
        names.append(name)
    c.need(4 * ns * ne, "hist values (%d series x %d epochs)" % (ns, ne))
    series = []
    for name in names:
        bits = [c.f32bits("value") for _ in range(ne)]
        series.append({"name": name, "values": [f32_from_bits(b) for b in bits], "bits": bits})
    c.expect_end()
    return {"epochs": ne, "series": series}


def parse_rcpe(data, sec):
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "rcpe payload")
    _, gen = c.sstr("rcpe generator", min_len=1)
    seed = c.u64("seed")
    vf = c.f64("validation_fraction")
    tf = c.f64("test_fraction")
    finite = all(x == x and x not in (float("inf"), float("-inf")) for x in (vf, tf))
    if not (finite and vf >= 0 and tf >= 0 and vf + tf < 1):
        _fail("malformed", "rcpe fractions %r and %r must be finite, >= 0, with a sum below 1" % (vf, tf))
    params = parse_kvlist(c, "rcpe parameters")
    c.expect_end()
    return {"generator": gen, "seed": seed, "validation_fraction": vf, "test_fraction": tf,
            "parameters": params}


def parse_trst(data, sec, tensors):
    """§10a, in its check order. `tensors` are the parsed TENS entries."""
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "trst payload")
    opt = c.u8("optimizer")
    steps = c.u64("step_count")
    plan = c.u32("plan_epochs")
    done = c.u32("plan_epochs_done")
    per_epoch = c.u32("batches_per_epoch")
    batches_done = c.u32("batches_done")
    shuffle = [c.u64("shuffle_state") for _ in range(4)]
    loss_bits = struct.unpack("<Q", c.take(8, "partial_loss_sum"))[0]
    correct = c.u64("partial_correct")
    samples = c.u64("partial_samples")
    if opt not in OPTIMIZERS:
        _fail("malformed", "trst optimizer id %d is unknown" % opt)
    if plan == 0:
        _fail("malformed", "trst plan_epochs is 0")
    if plan > MAX_EPOCHS:
        _fail("limitExceeded", "trst plan_epochs %d (limit 2^22)" % plan)
    if per_epoch == 0:
        _fail("malformed", "trst batches_per_epoch is 0")
    if done > plan or (batches_done > 0 and done == plan):
        _fail("malformed", "trst: %d epochs done of a plan of %d (batches_done %d)" % (done, plan, batches_done))
    if batches_done >= per_epoch:
        _fail("malformed", "trst: %d batches done of an epoch of %d" % (batches_done, per_epoch))
    if steps < done * per_epoch + batches_done:
        _fail("malformed", "trst step_count %d is below the schedule's position" % steps)
    if not any(shuffle):
        _fail("malformed", "trst shuffle state is all zero")
    loss = struct.unpack("<d", struct.pack("<Q", loss_bits))[0]
    if batches_done == 0:
        ok = loss_bits == 0 and correct == 0 and samples == 0
    else:
        ok = loss == loss and loss not in (float("inf"), float("-inf")) and correct <= samples
    if not ok:
        _fail("malformed", "trst partial epoch sums do not fit batches_done %d" % batches_done)
    n = c.u32("buffer_count")
    if n > MAX_STATE_BUFFERS:
        _fail("limitExceeded", "trst has %d buffers (limit %d)" % (n, MAX_STATE_BUFFERS))
    c.need(12 * n, "trst buffers")
    by_name = {T["name_raw"]: T for T in tensors}
    previous = None
    buffers = []
    for i in range(n):
        raw, name = c.sstr("trst buffer %d tensor" % i)
        slot = c.u8("slot")
        count = c.u32("element_count")
        T = by_name.get(raw)
        if T is None:
            _fail("malformed", "trst buffer %d names %r, not a tensor of the file" % (i, name))
        if slot not in OPTIMIZER_SLOTS[opt]:
            _fail("malformed", "trst buffer %d has slot %d, which %s does not keep" % (i, slot, OPTIMIZERS[opt]))
        key = (T["index"], slot)
        if previous is not None and key <= previous:
            _fail("malformed", "trst buffer %d is not after the one before it" % i)
        previous = key
        elements = T["raw_length"] // 4
        if count != elements:
            _fail("malformed", "trst buffer %d has %d elements, tensor %r has %d" % (i, count, name, elements))
        c.need(4 * count, "trst buffer %d values" % i)
        bits = [c.f32bits("value") for _ in range(count)]
        if not all(_is_finite_f32(b) for b in bits):
            _fail("malformed", "trst buffer %d holds a NaN or infinity" % i)
        buffers.append({"tensor": name, "slot": slot, "bits": bits})
    c.expect_end()
    return {"optimizer": OPTIMIZERS[opt], "step_count": steps, "plan_epochs": plan, "plan_epochs_done": done,
            "batches_per_epoch": per_epoch, "batches_done": batches_done, "shuffle_state": shuffle,
            "partial_loss_sum_bits": loss_bits, "partial_correct": correct, "partial_samples": samples,
            "buffers": buffers}


def parse_snap(data, sec, tensors):
    """§10b, in its check order. `tensors` are the parsed TENS entries."""
    c = Cursor(data, sec["payload_start"], sec["crc_pos"], "snap payload")
    count = c.u32("snapshot_count")
    per = c.u32("values_per_snapshot")
    if count == 0:
        _fail("malformed", "snap snapshot_count is 0")
    if count > MAX_SNAPSHOTS:
        _fail("limitExceeded", "snap has %d snapshots (limit %d)" % (count, MAX_SNAPSHOTS))
    parameters = sum(T["raw_length"] // 4 for T in tensors)
    if per != parameters:
        _fail("malformed", "snap values_per_snapshot %d, the tensors hold %d" % (per, parameters))
    c.need(count * (4 + 4 * per), "snap snapshots")
    snapshots = []
    previous = 0
    for i in range(count):
        epoch = c.u32("snapshot %d epoch" % i)
        if epoch == 0:
            _fail("malformed", "snap snapshot %d has epoch 0" % i)
        if epoch > MAX_EPOCHS:
            _fail("limitExceeded", "snap snapshot %d epoch %d (limit 2^22)" % (i, epoch))
        if epoch <= previous:
            _fail("malformed", "snap snapshot %d epoch %d is not after %d" % (i, epoch, previous))
        previous = epoch
        bits = [c.f32bits("value") for _ in range(per)]
        if not all(_is_finite_f32(b) for b in bits):
            _fail("malformed", "snap snapshot %d holds a NaN or infinity" % i)
        snapshots.append({"epoch": epoch, "bits": bits})
    c.expect_end()
    return snapshots


# ---------------------------------------------------------------- blobs

def unshuffle4(b):
    n = len(b) // 4
    out = bytearray(len(b))
    for k in range(4):
        out[k::4] = b[k * n:(k + 1) * n]
    return bytes(out)


def decode_tensor(data, T, wght_start):
    label = "tensor '%s'" % T["name"]
    pos = wght_start + T["offset"]
    parts = []
    for k, (bl, rl) in enumerate(zip(T["block_lengths"], T["raw_block_lengths"])):
        stored = data[pos:pos + bl]
        pos += bl
        if T["codec"] == 0:
            block = stored
        else:
            if len(stored) < 2 or (stored[1] & 0x20):
                _fail("blobCorrupt", "%s block %d: zlib header %s sets FDICT (preset dictionary) or is short"
                      % (label, k, stored[:2].hex()))
            d = zlib.decompressobj(15)
            try:
                out = d.decompress(stored, rl + 1)
            except zlib.error as e:
                _fail("blobCorrupt", "%s block %d: inflate failed: %s" % (label, k, e))
            if len(out) != rl:
                _fail("blobCorrupt", "%s block %d inflates to %s bytes, expected %d"
                      % (label, k, "more than %d" % rl if len(out) > rl else len(out), rl))
            if not d.eof:
                _fail("blobCorrupt", "%s block %d: zlib stream does not end" % (label, k))
            if d.unused_data or d.unconsumed_tail:
                _fail("blobCorrupt", "%s block %d: %d bytes after the end of the zlib stream"
                      % (label, k, len(d.unused_data) + len(d.unconsumed_tail)))
            block = unshuffle4(out) if T["filter"] == 1 else out
        parts.append(block)
    raw = b"".join(parts)
    crc = zlib.crc32(raw) & 0xFFFFFFFF
    if crc != T["raw_crc"]:
        _fail("tensorChecksumMismatch", "%s raw CRC is 0x%08x, the table says 0x%08x" % (label, crc, T["raw_crc"]))
    return raw


# ---------------------------------------------------------------- top level

def read_nnm(data, verify=True):
    data = bytes(data)
    warnings = []
    hdr = parse_header(data)
    sections = walk_sections(data, hdr, warnings)
    by_type = {}
    for s in sections:
        if s["known"]:
            by_type[s["type"]] = s
    tail = by_type[b"TAIL"]
    wght = by_type[b"WGHT"]
    layers = parse_layers(data, by_type[b"LAYR"])
    tensors = parse_tensors(data, by_type[b"TENS"])
    if tail["length"] != 32:
        _fail("malformed", "TAIL payload is %d bytes, must be 32" % tail["length"])
    check_tensor_layout(tensors, wght["length"], layers)
    stored_digest = data[tail["payload_start"]:tail["payload_start"] + 32]

    result = {"version": "%d.%d" % (hdr["major"], hdr["minor"]), "file_length": hdr["file_length"],
              "sections": [{"type": _tname(s["type"]), "offset": s["offset"], "length": s["length"]}
                           for s in sections],
              "layers": layers, "tensors": tensors, "metadata": None, "history": None, "recipe": None,
              "training_state": None, "snapshots": None, "unknown_sections": [], "warnings": warnings, "verified": False,
              "digest_stored": stored_digest.hex()}
    if hdr["minor"] > 1:
        warnings.append("file has minor version %d, newer than this 1.1 reader" % hdr["minor"])

    parsers = {b"meta": ("metadata", parse_meta), b"hist": ("history", parse_hist), b"rcpe": ("recipe", parse_rcpe),
               b"trst": ("training_state", lambda d, s: parse_trst(d, s, tensors)),
               b"snap": ("snapshots", lambda d, s: parse_snap(d, s, tensors))}
    for s in sections:
        if s["critical"]:
            continue
        if not s["known"]:
            result["unknown_sections"].append(_tname(s["type"]))
            warnings.append("skipped unknown ancillary section '%s' at offset %d" % (_tname(s["type"]), s["offset"]))
            continue
        if "drop_error" in s:
            continue
        key, fn = parsers[s["type"]]
        try:
            result[key] = fn(data, s)
        except NNMError as e:
            s["drop_error"] = e
            warnings.append("dropped ancillary section '%s' at offset %d: %s" % (_tname(s["type"]), s["offset"], e))

    if not verify:
        return result

    # ---- full verification (§14)
    for s in sections:
        if "drop_error" in s:
            raise s["drop_error"]
    raws = []
    for T in tensors:
        raw = decode_tensor(data, T, wght["payload_start"])
        raws.append(raw)
        T["value_bits"] = list(struct.unpack("<%dI" % (len(raw) // 4), raw))
        T["values"] = list(struct.unpack("<%df" % (len(raw) // 4), raw))
    wcrc = zlib.crc32(data[wght["offset"]:wght["crc_pos"]]) & 0xFFFFFFFF
    wstored = struct.unpack("<I", data[wght["crc_pos"]:wght["crc_pos"] + 4])[0]
    if wcrc != wstored:
        _fail("sectionChecksumMismatch", "WGHT section CRC is 0x%08x, computed 0x%08x" % (wstored, wcrc))
    h = hashlib.sha256()
    for s in sections:
        if s["type"] == b"TENS":
            h.update(b"TENS" + struct.pack("<I", len(tensors)))
            for T, raw in zip(tensors, raws):
                h.update(struct.pack("<H", len(T["name_raw"])) + T["name_raw"])
                h.update(struct.pack("<BB", T["dtype"], T["rank"]))
                h.update(struct.pack("<%dI" % T["rank"], *T["shape"]))
                h.update(struct.pack("<Q", T["raw_length"]))
                h.update(raw)
        elif s["type"] in (b"WGHT", b"TAIL"):
            continue
        else:
            h.update(data[s["offset"]:s["crc_pos"]])
    digest = h.digest()
    result["digest"] = digest.hex()
    if digest != stored_digest:
        _fail("digestMismatch", "content digest is %s, TAIL says %s" % (digest.hex(), stored_digest.hex()))
    result["verified"] = True
    return result


# ---------------------------------------------------------------- CLI

def _jsonable(x):
    if isinstance(x, float):
        if x != x:
            return "NaN"
        if x in (float("inf"), float("-inf")):
            return "Infinity" if x > 0 else "-Infinity"
        return x
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, bytes):
        return x.hex()
    return x


def summary(r):
    return _jsonable({
        "version": r["version"],
        "digest": r.get("digest"),
        "digest_ok": r["verified"],
        "layers": [dict({"kind": L["kind"], "inputs": L["inputs"], "outputs": L["outputs"]}, **L["params"])
                   for L in r["layers"]],
        "tensors": [{"name": T["name"], "shape": T["shape"], "codec": ["none", "zlib"][T["codec"]],
                     "filter": ["none", "shuffle4"][T["filter"]], "blocks": len(T["block_lengths"]),
                     "stored_length": T["stored_length"], "raw_crc32": "0x%08x" % T["raw_crc"],
                     "first_values": T.get("values", [])[:8]} for T in r["tensors"]],
        "metadata": r["metadata"],
        "history": r["history"] and {"epochs": r["history"]["epochs"],
                                     "series": [{"name": s["name"], "values": s["values"][:8]}
                                                for s in r["history"]["series"]]},
        "recipe": r["recipe"],
        "training_state": r["training_state"] and dict(
            {k: v for k, v in r["training_state"].items() if k != "buffers"},
            buffers=[{"tensor": b["tensor"], "slot": b["slot"], "count": len(b["bits"])}
                     for b in r["training_state"]["buffers"]]),
        "snapshots": r["snapshots"] and {"epochs": [x["epoch"] for x in r["snapshots"]]},
        "unknown_sections": r["unknown_sections"],
        "warnings": r["warnings"],
    })


def main(argv):
    args = argv[1:]
    verify = "--no-verify" not in args
    args = [a for a in args if a != "--no-verify"]
    if not args:
        print("usage: nnm_reader.py [--no-verify] FILE...", file=sys.stderr)
        return 2
    status = 0
    for path in args:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            print("ERROR io: %s: %s" % (path, e))
            status = 1
            continue
        try:
            r = read_nnm(data, verify=verify)
        except NNMError as e:
            print("ERROR %s: %s: %s" % (e.name, path, e.message))
            status = 1
            continue
        print(json.dumps({"file": path, **summary(r)}, indent=1))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
