"""The format's constants and limits (spec §2–§12), and the bounds-checked byte reader and the
byte writer every section parser and encoder uses."""

import struct

from .errors import fail

SIGNATURE = b"\x8eNNM\r\n\x1a\n"
HEADER_LENGTH = 32
MAJOR = 1
MINOR = 1  # the newest minor version this package reads and writes (1.1: Rescale, trst, snap)

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
MAX_STRING = 1 << 20
MAX_ARRAY = 1 << 20
MAX_SERIES = 64
MAX_EPOCHS = 1 << 22
BLOCK = 1 << 20
MAX_EXPANSION = 1032

# Smallest encodings, used by the count-fits pre-checks (spec §12).
MIN_LAYER = 12
MIN_TENSOR_ENTRY = 46
MIN_KV_ENTRY = 5
MIN_SERIES_NAME = 3

# Known section types and their stage (spec §5).
STAGES = {b"LAYR": 0, b"TENS": 1, b"meta": 2, b"hist": 3, b"rcpe": 4, b"trst": 5, b"snap": 6, b"WGHT": 7, b"TAIL": 8}

CANONICAL_NAN_BITS = 0x7FC00000

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")


def u32_at(data, offset):
    """The u32 at ``offset`` (the caller has checked that 4 bytes are there)."""
    return _U32.unpack_from(data, offset)[0]


def u64_at(data, offset):
    """The u64 at ``offset`` (the caller has checked that 8 bytes are there)."""
    return _U64.unpack_from(data, offset)[0]


def decode_utf8(raw, what):
    """``raw`` as a str; invalid UTF-8 (overlong forms, surrogates included) is ``malformed``."""
    try:
        return bytes(raw).decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        fail("malformed", "%s is not valid UTF-8 (%s)" % (what, error.reason))


class Cursor:
    """Reads little-endian fields from ``data[start:end]``; never past ``end``.

    Every read first checks that the bytes are there (``truncated`` otherwise, naming the field
    and the file offset), so a count or length from the file is never trusted before use.
    """

    def __init__(self, data, start, end, where):
        self.data = data
        self.pos = start
        self.end = end
        self.where = where

    def remaining(self):
        return self.end - self.pos

    def need(self, count, what):
        if count > self.end - self.pos:
            fail("truncated", "%s runs past the end of the %s (needs %d bytes at file offset %d, %d left)"
                 % (what, self.where, count, self.pos, self.end - self.pos))

    def take(self, count, what):
        self.need(count, what)
        start = self.pos
        self.pos += count
        return self.data[start:self.pos]

    def _unpack(self, layout, what):
        self.need(layout.size, what)
        value = layout.unpack_from(self.data, self.pos)[0]
        self.pos += layout.size
        return value

    def u8(self, what):
        self.need(1, what)
        value = self.data[self.pos]
        self.pos += 1
        return value

    def u16(self, what):
        return self._unpack(_U16, what)

    def u32(self, what):
        return self._unpack(_U32, what)

    def u64(self, what):
        return self._unpack(_U64, what)

    def i64(self, what):
        return self._unpack(_I64, what)

    def f64(self, what):
        return self._unpack(_F64, what)

    def sstr(self, what, min_length=0):
        """A u16-length string: the length limit is checked before its bytes are read."""
        offset = self.pos
        length = self.u16(what + " length")
        if length > MAX_NAME:
            fail("limitExceeded", "%s at file offset %d is %d bytes long (limit %d)" % (what, offset, length, MAX_NAME))
        raw = bytes(self.take(length, what))
        text = decode_utf8(raw, "%s at file offset %d" % (what, offset))
        if length < min_length:
            fail("malformed", "%s at file offset %d is empty" % (what, offset))
        return raw, text

    def lstr(self, what, limit):
        offset = self.pos
        length = self.u32(what + " length")
        if length > limit:
            fail("limitExceeded", "%s at file offset %d is %d bytes long (limit %d)" % (what, offset, length, limit))
        return decode_utf8(self.take(length, what), "%s at file offset %d" % (what, offset))

    def expect_end(self):
        if self.pos != self.end:
            fail("malformed", "%d trailing byte(s) after the last entry of the %s (file offset %d)"
                 % (self.end - self.pos, self.where, self.pos))


class ByteWriter:
    """Builds a little-endian byte string field by field. With a ``limit``, a payload that would
    grow past it is refused (``limitExceeded``) as soon as it does, before it is built whole."""

    def __init__(self, limit=None, what="payload"):
        self.parts = []
        self.size = 0
        self.limit = limit
        self.what = what

    def raw(self, data):
        data = bytes(data)
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            fail("limitExceeded", "the %s would be more than %d bytes (the limit of a section)" % (self.what, self.limit))
        self.parts.append(data)

    def u8(self, value):
        self.raw(bytes((value,)))

    def u16(self, value):
        self.raw(_U16.pack(value))

    def u32(self, value):
        self.raw(_U32.pack(value))

    def u64(self, value):
        self.raw(_U64.pack(value))

    def i64(self, value):
        self.raw(_I64.pack(value))

    def f64(self, value):
        self.raw(_F64.pack(value))

    def sstr(self, raw):
        self.u16(len(raw))
        self.raw(raw)

    def lstr(self, raw):
        self.u32(len(raw))
        self.raw(raw)

    def bytes(self):
        return b"".join(self.parts)
