"""Typed errors, one class per error identifier of the format (spec/nnm-format.md §12).

Every error raised for a file (and every refusal of the writer) is an :class:`NNMError`; its
``identifier`` is the spec's name (``"truncated"``, ``"digestMismatch"``, …), so programs can
branch on it or on the subclass, and tools can print it as the conformance kit expects::

    try:
        model = nnm.load(path, verify=True)
    except nnm.DigestMismatchError:
        ...                              # the file is damaged
    except nnm.NNMError as error:
        print(error.identifier, error)   # e.g. "notNNM not an .nnm file: ..."
"""

__all__ = [
    "NNMError", "NotNNMError", "TransferDamagedError", "UnsupportedVersionError",
    "UnsupportedFlagsError", "HeaderChecksumMismatchError", "FileLengthMismatchError",
    "TruncatedError", "LimitExceededError", "InvalidSectionTypeError",
    "SectionChecksumMismatchError", "UnknownCriticalSectionError", "SectionOrderError",
    "SectionCountMismatchError", "MalformedError", "UnknownLayerKindError",
    "UnsupportedTensorEncodingError", "InconsistentModelError", "TensorLayoutError",
    "BlobCorruptError", "TensorChecksumMismatchError", "DigestMismatchError",
    "NNMWarning", "error_class",
]


class NNMError(ValueError):
    """A file (or a model given to the writer) breaks a rule of the format.

    ``identifier`` is the spec's error name; ``message`` says where (offset, section, layer or
    tensor). ``str(error)`` is the one-line message.
    """

    identifier = "nnmError"

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __reduce__(self):
        return (type(self), (self.message,))


class NNMWarning(UserWarning):
    """Something was dropped or skipped while reading (a damaged ancillary section)."""


class NotNNMError(NNMError):
    """Not an .nnm file (empty, or another format; impostors are named)."""

    identifier = "notNNM"


class TransferDamagedError(NNMError):
    """The signature was damaged by a text-mode transfer."""

    identifier = "transferDamaged"


class UnsupportedVersionError(NNMError):
    """The file's major version is not 1."""

    identifier = "unsupportedVersion"


class UnsupportedFlagsError(NNMError):
    """Header flags are set; none is defined in 1.x."""

    identifier = "unsupportedFlags"


class HeaderChecksumMismatchError(NNMError):
    """The header CRC is wrong."""

    identifier = "headerChecksumMismatch"


class FileLengthMismatchError(NNMError):
    """The header's file length is not the real one."""

    identifier = "fileLengthMismatch"


class TruncatedError(NNMError):
    """A structure runs past the end of its file, section or payload."""

    identifier = "truncated"


class LimitExceededError(NNMError):
    """A value is beyond the limits of spec §12."""

    identifier = "limitExceeded"


class InvalidSectionTypeError(NNMError):
    """A section type byte is not an ASCII letter."""

    identifier = "invalidSectionType"


class SectionChecksumMismatchError(NNMError):
    """A section's CRC-32 is wrong."""

    identifier = "sectionChecksumMismatch"


class UnknownCriticalSectionError(NNMError):
    """A critical section of unknown type."""

    identifier = "unknownCriticalSection"


class SectionOrderError(NNMError):
    """A section is missing, duplicated or out of order."""

    identifier = "sectionOrder"


class SectionCountMismatchError(NNMError):
    """The header's section count is wrong."""

    identifier = "sectionCountMismatch"


class MalformedError(NNMError):
    """A field holds a value 1.x forbids."""

    identifier = "malformed"


class UnknownLayerKindError(NNMError):
    """A layer kind id this reader does not know."""

    identifier = "unknownLayerKind"


class UnsupportedTensorEncodingError(NNMError):
    """Unknown dtype, codec or filter id."""

    identifier = "unsupportedTensorEncoding"


class InconsistentModelError(NNMError):
    """Chain rule, shapes or the tensor set violated."""

    identifier = "inconsistentModel"


class TensorLayoutError(NNMError):
    """Tensor offsets do not tile the WGHT payload."""

    identifier = "tensorLayout"


class BlobCorruptError(NNMError):
    """A zlib block does not inflate exactly."""

    identifier = "blobCorrupt"


class TensorChecksumMismatchError(NNMError):
    """A tensor's raw CRC-32 is wrong."""

    identifier = "tensorChecksumMismatch"


class DigestMismatchError(NNMError):
    """The SHA-256 content digest is wrong."""

    identifier = "digestMismatch"


_BY_IDENTIFIER = {cls.identifier: cls for cls in NNMError.__subclasses__()}

IDENTIFIERS = tuple(_BY_IDENTIFIER)


def error_class(identifier):
    """The :class:`NNMError` subclass of a spec identifier (``KeyError`` for an unknown one)."""
    return _BY_IDENTIFIER[identifier]


def fail(identifier, message):
    """Raise the error of ``identifier`` with ``message`` (internal helper)."""
    raise _BY_IDENTIFIER[identifier](message)
