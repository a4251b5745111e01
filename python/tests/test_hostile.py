"""Hostile input: crafted files whose counts and lengths promise far more than they hold, and
thousands of random corruptions. Every one must end in an nnm.NNMError (never another
exception, a hang or a large allocation)."""
import os
import random
import struct
import tracemalloc
import zlib

import numpy as np
import pytest

import nnm
from conftest import VECTORS, sample_models, vector_bytes


def sections_of(data):
    """[(type, payload)] of a file."""
    out, pos = [], 32
    while pos < len(data):
        length = struct.unpack_from("<Q", data, pos + 4)[0]
        out.append((data[pos:pos + 4], data[pos + 12:pos + 12 + length]))
        pos += 16 + length
    return out


def assemble(sections, minor=0):
    """A file from [(type, payload)], every CRC and the header correct."""
    body = b"".join(t + struct.pack("<Q", len(p)) + p + struct.pack("<I", zlib.crc32(t + struct.pack("<Q", len(p)) + p))
                    for t, p in sections)
    head = b"\x8eNNM\r\n\x1a\n" + struct.pack("<HHIQI", 1, minor, 0, 32 + len(body), len(sections))
    return head + struct.pack("<I", zlib.crc32(head)) + body


def replace(data, stype, payload):
    return assemble([(t, payload if t == stype else p) for t, p in sections_of(data)])


def insert_before_wght(data, stype, payload):
    out = []
    for t, p in sections_of(data):
        if t == b"WGHT":
            out.append((stype, payload))
        out.append((t, p))
    return assemble(out)


def bounded(call, limit=8 << 20):
    """Run ``call``; assert it raised an NNMError and that Python allocated < ``limit`` bytes."""
    tracemalloc.start()
    try:
        with pytest.raises(nnm.NNMError) as caught:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, "peak allocation %d bytes" % peak
    return caught.value


MINIMAL = vector_bytes("minimal.nnm")


def test_assemble_reproduces_a_valid_file():
    assert assemble(sections_of(MINIMAL)) == MINIMAL


@pytest.mark.parametrize("payload,error", [
    (struct.pack("<I", 2048), "truncated"),                         # 2048 tensors promised, none there
    (struct.pack("<I", 2049), "limitExceeded"),
    (struct.pack("<I", 0xFFFFFFFF), "limitExceeded"),
    (b"\x01\x00", "truncated"),                                     # shorter than tensor_count
])
def test_tensor_table_counts(payload, error):
    assert bounded(lambda: nnm.read_info(replace(MINIMAL, b"TENS", payload))).identifier == error


@pytest.mark.parametrize("name,payload,error", [
    (b"hist", struct.pack("<II", 1, 1 << 22) + b"\x01\x00a", "truncated"),       # 16 MiB of values promised
    (b"hist", struct.pack("<II", 64, 1 << 22), "truncated"),
    (b"hist", struct.pack("<II", 1, (1 << 22) + 1), "limitExceeded"),
    (b"hist", struct.pack("<I", 65), "truncated"),                               # both counts are read first
    (b"hist", struct.pack("<II", 0, 0), "malformed"),
    (b"meta", struct.pack("<I", 4096), "truncated"),
    (b"meta", struct.pack("<I", 1) + b"\x01\x00k\x05" + struct.pack("<I", 1 << 20), "truncated"),   # 8 MiB array
    (b"meta", struct.pack("<I", 1) + b"\x01\x00k\x06" + struct.pack("<I", (1 << 20) + 1), "limitExceeded"),
    (b"meta", struct.pack("<I", 1) + b"\x01\x00k\x04" + struct.pack("<I", 1 << 20), "truncated"),   # 1 MiB string
    (b"meta", struct.pack("<I", 1) + b"\x01\x00k\x07\x00", "malformed"),         # unknown value type
    (b"meta", b"", "truncated"),
    (b"rcpe", b"\x05\x00circ", "truncated"),
    (b"rcpe", b"\x01\x00x" + struct.pack("<Qdd", 1, 0.5, 0.5) + struct.pack("<I", 0), "malformed"),
])
def test_ancillary_sections_that_promise_too_much_are_dropped(name, payload, error):
    data = insert_before_wght(MINIMAL, name, payload)
    info = nnm.read_info(data, warn=False)
    assert info.layers and any("dropped" in note for note in info.warnings)
    model = nnm.loads(data, warn=False)                 # damaged history never blocks inference
    assert model.forward([1.0, 2.0]).shape == (1,)
    assert bounded(lambda: nnm.loads(data, verify=True)).identifier == error


def test_a_zlib_block_at_the_expansion_limit_is_refused_on_decoding_without_inflating_it_whole():
    # 1 MiB of raw bytes declared from ~1 KiB stored (within the 1032:1 bound): the stream
    # inflates to 1 KiB only, which is blobCorrupt, found without a 1 MiB inflation.
    stored = zlib.compress(random.Random(5).randbytes(1024))
    entries = sections_of(MINIMAL)
    raw = 4 * 262144
    tens = struct.pack("<I", 2)
    tens += b"\x0f\x00layers.0.weight" + bytes((1, 2, 1, 0)) + struct.pack("<II", 1, 262144)
    tens += struct.pack("<QQQII", 0, len(stored), raw, 0, 1) + struct.pack("<I", len(stored))
    tens += b"\x0d\x00layers.0.bias" + bytes((1, 1, 0, 0)) + struct.pack("<I", 1)
    tens += struct.pack("<QQQII", len(stored), 4, 4, zlib.crc32(b"\0" * 4), 1) + struct.pack("<I", 4)
    layr = struct.pack("<I", 2) + struct.pack("<HHII", 1, 0, 262144, 1) + struct.pack("<HHII", 4, 0, 1, 1)
    data = assemble([(b"LAYR", layr), (b"TENS", tens), (b"WGHT", stored + b"\0" * 4), entries[-1]])
    nnm.read_info(data)
    assert bounded(lambda: nnm.loads(data), limit=16 << 20).identifier == "blobCorrupt"


def test_a_huge_file_is_refused_from_its_first_bytes(tmp_path):
    path = tmp_path / "huge.nnm"
    with open(path, "wb") as f:
        f.write(MINIMAL[:32])
        f.truncate(3 << 30)                                   # sparse: 3 GiB on paper
    error = bounded(lambda: nnm.load(path))
    assert error.identifier == "fileLengthMismatch"
    other = tmp_path / "other.bin"
    with open(other, "wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(3 << 30)
    assert bounded(lambda: nnm.read_info(other)).identifier == "notNNM"
    declared = bytearray(MINIMAL[:32])
    declared[16:24] = struct.pack("<Q", 3 << 30)
    declared[28:32] = struct.pack("<I", zlib.crc32(bytes(declared[:28])))
    with open(path, "wb") as f:
        f.write(declared)
        f.truncate(3 << 30)
    assert bounded(lambda: nnm.load(path)).identifier == "limitExceeded"


def test_not_a_regular_file(tmp_path):
    with pytest.raises(OSError):
        nnm.load(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        nnm.read_info(fifo)                                  # refused at once, never waits for a writer


def test_every_truncation_is_an_error():
    data = vector_bytes("full.nnm")
    for length in range(len(data)):
        with pytest.raises(nnm.NNMError):
            nnm.loads(data[:length], verify=True)


def mutations(data, rng, count):
    for _ in range(count):
        mutated = bytearray(data)
        action = rng.randrange(4)
        if action == 0:
            for _ in range(rng.randint(1, 4)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        elif action == 1:
            position = rng.randrange(32, len(mutated) - 4)
            mutated[position:position + 4] = struct.pack("<I", rng.choice([0, 1, 0xFFFFFFFF, 1 << 20, 1 << 24, 1 << 31]))
        elif action == 2:
            del mutated[rng.randrange(len(mutated)):]
        else:
            position = rng.randrange(len(mutated))
            mutated[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        yield bytes(mutated)


def fix_crcs(data):
    """Recompute every CRC and the header (where the framing still parses), so mutations reach
    the parsers behind the checksums."""
    try:
        return assemble(sections_of(data), minor=struct.unpack_from("<H", data, 10)[0])
    except (struct.error, IndexError):
        return data


@pytest.mark.parametrize("name", ["full.nnm", "every-kind-zlib.nnm", "multi-block.nnm", "zlib-plain.nnm"])
def test_random_corruptions_end_in_nnm_errors(name):
    data = vector_bytes(name)
    rng = random.Random(name)
    outcomes = {"ok": 0}
    for mutated in mutations(data, rng, 600):
        for candidate in (mutated, fix_crcs(mutated)):
            try:
                model = nnm.loads(candidate, verify=True, warn=False)
                model.forward(np.zeros(model.input_width))
                outcomes["ok"] += 1
            except nnm.NNMError as error:
                outcomes[error.identifier] = outcomes.get(error.identifier, 0) + 1
    assert sum(outcomes.values()) == 1200
    assert len(outcomes) >= 4                      # the corruptions reached several checks


def test_sample_models_survive_crc_fixed_corruption():
    path = sample_models()[0]
    with open(path, "rb") as f:
        data = f.read()
    rng = random.Random(1)
    for mutated in mutations(data, rng, 300):
        try:
            nnm.loads(fix_crcs(mutated), verify=True, warn=False)
        except nnm.NNMError:
            pass
