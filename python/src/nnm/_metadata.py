"""Metadata values and names (spec §8): which Python value is which wire type, the rules keys
and series names follow, and the indexed names (``data.class_names.N``, …) of training.md §8."""

import numpy as np

from ._unicode import nfc
from ._wire import MAX_ARRAY, MAX_ENTRIES, MAX_NAME, MAX_STRING
from .errors import fail

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
U64_MAX = (1 << 64) - 1

CLASS_NAME_PREFIX = "data.class_names."
FEATURE_NAME_PREFIX = "data.feature_names."
LABEL_NAME_KEY = "data.label_name"


def f64_bits(value):
    return np.float64(value).tobytes()


def metadata_value_type(value, key="") -> int:
    """The metadata type id (spec §8) a Python value is written as.

    ``bool`` → 1, ``int`` → 2, ``float`` → 3, ``str`` → 4, a sequence of ints (or an integer
    numpy array) → 5, a sequence of floats (or a float numpy array) → 6. An empty list is
    ambiguous: give ``np.array([], dtype=np.int64)`` or ``dtype=np.float64``.
    """
    if isinstance(value, (bool, np.bool_)):
        return 1
    if isinstance(value, (int, np.integer)):
        return 2
    if isinstance(value, (float, np.floating)):
        return 3
    if isinstance(value, str):
        return 4
    if isinstance(value, np.ndarray):
        if value.ndim == 1 and value.dtype.kind in "iu":
            return 5
        if value.ndim == 1 and value.dtype.kind == "f":
            return 6
    elif isinstance(value, (list, tuple)) and value:
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in value):
            return 5
        if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
               for v in value):
            return 6
    fail("malformed", "metadata %r: a value of type %s cannot be stored (bool, int, float, str, or a "
         "non-empty list / 1-D numpy array of ints or floats)" % (key, type(value).__name__))


def check_names(names, what):
    """Names as keys and series names must be: 1…255 UTF-8 bytes, no two canonically equivalent."""
    seen = {}
    for name in names:
        if not isinstance(name, str):
            fail("malformed", "%s %r is not a string" % (what, name))
        raw = name.encode("utf-8", errors="strict") if encodable(name) else None
        if raw is None:
            fail("malformed", "%s %r is not valid Unicode (a lone surrogate?)" % (what, name))
        if not 1 <= len(raw) <= MAX_NAME:
            fail("limitExceeded" if raw else "malformed", "%s %r is %d bytes long (1 to 255)" % (what, name, len(raw)))
        normal = nfc(name)
        if normal in seen:
            fail("malformed", "%s %r is canonically equivalent to %r" % (what, name, seen[normal]))
        seen[normal] = name


def encodable(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def check_metadata(metadata, what="metadata key", allow_empty=True):
    """Raise the format's error for metadata a file cannot hold (spec §8)."""
    if len(metadata) > MAX_ENTRIES:
        fail("limitExceeded", "%d %s entries (limit %d)" % (len(metadata), what.split()[0], MAX_ENTRIES))
    check_names(metadata, what)
    for key, value in metadata.items():
        kind = metadata_value_type(value, key)
        if kind == 2 and not INT64_MIN <= int(value) <= INT64_MAX:
            fail("malformed", "%s %r: %d does not fit in 64 bits" % (what, key, value))
        if kind == 4:
            if not encodable(value):
                fail("malformed", "%s %r: the string is not valid Unicode" % (what, key))
            if len(value.encode("utf-8")) > MAX_STRING:
                fail("limitExceeded", "%s %r: string of %d bytes (limit 2^20)" % (what, key, len(value.encode())))
        if kind in (5, 6):
            if len(value) > MAX_ARRAY:
                fail("limitExceeded", "%s %r: array of %d values (limit 2^20)" % (what, key, len(value)))
            if kind == 5 and any(not INT64_MIN <= int(v) <= INT64_MAX for v in value):
                fail("malformed", "%s %r: a value does not fit in 64 bits" % (what, key))


def same_metadata(a, b):
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        kind = metadata_value_type(x, key)
        if kind != metadata_value_type(y, key):
            return False
        if kind == 3 and f64_bits(x) != f64_bits(y):
            return False
        if kind == 5 and np.asarray(x, dtype=np.int64).tobytes() != np.asarray(y, dtype=np.int64).tobytes():
            return False
        if kind == 6 and np.asarray(x, dtype="<f8").tobytes() != np.asarray(y, dtype="<f8").tobytes():
            return False
        if kind in (1, 2, 4) and x != y:
            return False
    return True


def indexed_names(metadata, prefix):
    """The strings under ``prefix0``, ``prefix1``, …; None when absent or with a gap (the rules
    of NNM's ``ModelFile.indexedNames``: plain decimal suffixes of at most 4 digits)."""
    by_index = {}
    for key, value in metadata.items():
        suffix = key[len(prefix):] if key.startswith(prefix) else None
        if (not isinstance(value, str) or not suffix or len(suffix) > 4 or not suffix.isascii()
                or not suffix.isdigit() or (len(suffix) > 1 and suffix[0] == "0")):
            continue
        by_index[int(suffix)] = value
    if not by_index or sorted(by_index) != list(range(len(by_index))):
        return None
    return [by_index[i] for i in range(len(by_index))]
