"""Tensor blobs (spec §7): 1 MiB blocks, the shuffle4 filter and the zlib codec, both ways."""

import zlib

import numpy as np

from ._wire import BLOCK
from .errors import fail

# The canonical zlib parameters (spec §13): level 1, windowBits 15, memLevel 8, Z_RLE.
_LEVEL, _WBITS, _MEMLEVEL = 1, 15, 8


def shuffle4(block):
    """All first bytes of the floats, then all second bytes, … (spec §7 filter 1)."""
    return np.frombuffer(block, dtype=np.uint8).reshape(-1, 4).T.tobytes()


def unshuffle4_into(stored, out):
    """Undo :func:`shuffle4`, writing the raw block into the uint8 array ``out``."""
    out.reshape(-1, 4)[:] = np.frombuffer(stored, dtype=np.uint8).reshape(4, -1).T


def _inflate_block(stored, raw_length, label):
    """Inflate one zlib stream that must give exactly ``raw_length`` bytes and end exactly at
    the end of ``stored`` (spec §7 codec 1); anything else is ``blobCorrupt``. The output is
    bounded by ``raw_length + 1`` bytes whatever the stream says."""
    if len(stored) < 2:
        fail("blobCorrupt", "%s is corrupt: %d bytes cannot hold a zlib stream" % (label, len(stored)))
    cmf, flg = stored[0], stored[1]
    if cmf & 0x0F != 8 or cmf >> 4 > 7 or (cmf * 256 + flg) % 31 != 0 or flg & 0x20:
        fail("blobCorrupt", "%s is corrupt: zlib header %02x %02x is not deflate with a window of at most "
             "32 KiB, a valid check and no preset dictionary" % (label, cmf, flg))
    inflater = zlib.decompressobj(_WBITS)
    try:
        out = inflater.decompress(stored, raw_length + 1)
    except zlib.error as error:
        fail("blobCorrupt", "%s is corrupt: inflate failed (%s)" % (label, error))
    if len(out) != raw_length:
        fail("blobCorrupt", "%s is corrupt: it inflates to %s bytes, not %d" % (
            label, "more than %d" % raw_length if len(out) > raw_length else len(out), raw_length))
    if not inflater.eof:
        fail("blobCorrupt", "%s is corrupt: the zlib stream does not end (truncated or a wrong checksum)" % label)
    extra = len(inflater.unused_data) + len(inflater.unconsumed_tail)
    if extra:
        fail("blobCorrupt", "%s is corrupt: %d bytes follow the end of the zlib stream" % (label, extra))
    return out


def decode_tensor(data, entry, wght_start):
    """The tensor of table ``entry`` as a float32 array of its shape, from the WGHT payload
    starting at ``wght_start`` in ``data``. Its blocks are decoded one by one into one buffer
    of ``raw_length`` bytes (a size the reader has checked against the limits); the CRC-32 of
    the raw bytes must equal ``raw_crc`` (``tensorChecksumMismatch``)."""
    raw = np.empty(entry.raw_length, dtype=np.uint8)
    position = wght_start + entry.offset
    for k, stored_length in enumerate(entry.block_lengths):
        stored = data[position:position + stored_length]
        position += stored_length
        begin = k * BLOCK
        end = min(begin + BLOCK, entry.raw_length)
        if entry.codec == 1:
            stored = _inflate_block(stored, end - begin, "tensor '%s' block %d" % (entry.name, k))
        if entry.filter == 1:
            unshuffle4_into(stored, raw[begin:end])
        else:
            raw[begin:end] = np.frombuffer(stored, dtype=np.uint8)
    crc = zlib.crc32(raw)
    if crc != entry.raw_crc:
        fail("tensorChecksumMismatch", "tensor '%s' CRC-32 mismatch (stored 0x%08x, computed 0x%08x)"
             % (entry.name, entry.raw_crc, crc))
    return raw.view("<f4").reshape(entry.shape)


def _deflate(block):
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEMLEVEL, zlib.Z_RLE)
    return compressor.compress(block) + compressor.flush(zlib.Z_FINISH)


def encode_tensor(raw, codec, shuffle):
    """(codec id, filter id, stored blocks) for the raw bytes of one tensor, as the canonical
    writer stores them (spec §13): with ``codec="zlib"``, each block filtered and deflated, but
    the whole tensor raw (codec none, filter none) when that is not smaller."""
    blocks = [raw[start:start + BLOCK] for start in range(0, len(raw), BLOCK)]
    if codec == "zlib":
        packed = [_deflate(shuffle4(block) if shuffle else block) for block in blocks]
        if sum(len(p) for p in packed) < len(raw):
            return 1, (1 if shuffle else 0), packed
    return 0, 0, blocks
