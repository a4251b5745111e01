"""Canonical equivalence of keys and series names (spec §8) is that of Unicode 17.0.

Python's own ``unicodedata`` is older (14.0 in Python 3.11). When the PyPI package
``unicodedata2`` 17.0 is installed — ``pip install "./python[unicode17]"`` pins it, as the
reference reader does — it is used (a later one too: decompositions of assigned characters never
change, so it differs from 17.0 only on code points 17.0 does not have);
otherwise the standard library's data is, which agrees with Unicode 17.0 on every code point it
knows (the spec's note on older Unicode data): only keys made of code points added after it
(e.g. the Kirat Rai letters of 16.0) can then be judged differently. ``UNICODE_VERSION`` says
which data is in use."""

try:
    import unicodedata2 as _data
    if int(_data.unidata_version.split(".")[0]) < 17:
        raise ImportError("unicodedata2 %s is older than Unicode 17" % _data.unidata_version)
except ImportError:
    import unicodedata as _data

UNICODE_VERSION = _data.unidata_version


def nfc(text):
    """``text`` in Normalization Form C: two strings are canonically equivalent when equal here."""
    return _data.normalize("NFC", text)
