"""The ancillary sections: ``meta`` (spec §8), ``hist`` (§9) and ``rcpe`` (§10). A failure here
makes the reader drop the section (the caller's business), never the file."""

import numpy as np

from . import _wire as w
from ._unicode import nfc
from .errors import fail
from .model import History, Recipe


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
        normal = nfc(key)
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
        normal = nfc(name)
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


ANCILLARY = {"meta": ("metadata", _parse_meta), "hist": ("history", _parse_hist), "rcpe": ("recipe", _parse_rcpe)}
