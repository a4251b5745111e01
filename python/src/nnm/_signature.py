"""The signature check of spec §3, with transfer damage and named impostors."""

from ._wire import SIGNATURE
from .errors import fail

# spec §3's table, tried in this order; the first match names the file.
_IMPOSTOR_PREFIXES = [
    (b"version https://git-lfs", "a Git LFS pointer (run `git lfs pull`)"),
    (None, "an HTML page (a download error page?)"),
    (b"PK\x03\x04", "a zip archive (a .npz or a PyTorch .pt file?)"),
    (b"\x1f\x8b", "gzip data"),
    (b"GGUF", "a GGUF file"),
    (b"\x93NUMPY", "a NumPy .npy file"),
    (b"\x89PNG", "a PNG image"),
]


def _impostor(head):
    """What ``head`` (the file's first bytes) looks like, or None."""
    for prefix, what in _IMPOSTOR_PREFIXES:
        if prefix is None:
            text = head[:16].decode("utf-8", errors="replace").lower()
            if text.startswith("<!doctype") or text.startswith("<html"):
                return what
        elif head.startswith(prefix):
            return what
    if len(head) >= 9 and head[6] == 0 and head[7] == 0 and head[8:9] == b"{":
        return "a safetensors file"
    if head[:1] in (b"{", b"["):
        return "a JSON document"
    return None


def check_signature(head, file_length):
    """Raise ``notNNM``, ``transferDamaged`` or ``truncated`` unless ``head`` (the file's first
    bytes, at least 32 of them when the file has that many) starts with the signature."""
    head = bytes(head[:32])
    if file_length == 0:
        fail("notNNM", "not an .nnm file: the file is empty")
    if head[:8] == SIGNATURE:
        return
    if file_length < 8:
        if SIGNATURE.startswith(head):
            fail("truncated", "the file has only %d bytes, a prefix of the .nnm signature" % file_length)
        what = _impostor(head)
        fail("notNNM", "not an .nnm file: %s" % (what or "%d bytes %s" % (file_length, head.hex(" "))))
    if head[0] == 0x0E and head[1:4] == b"NNM":
        fail("transferDamaged", "damaged .nnm signature: byte 0 is 0x0e, not 0x8e (bit 7 was stripped in transfer)")
    if head[:7] == b"\x8eNNM\n\x1a\n":
        fail("transferDamaged", "damaged .nnm signature: CR LF became LF (a text-mode transfer)")
    if head[:8] in (b"\x8eNNM\r\n\x1a\r", b"\x8eNNM\r\r\n\x1a"):
        fail("transferDamaged", "damaged .nnm signature: LF became CR LF (a text-mode transfer)")
    what = _impostor(head)
    if what:
        fail("notNNM", "not an .nnm file: this is %s" % what)
    fail("notNNM", "not an .nnm file: it starts %s, not 8e 4e 4e 4d 0d 0a 1a 0a" % head[:8].hex(" "))
