"""The header (spec §4) and the section walk (spec §5): framing, order, size limits, CRCs."""

import struct
import zlib

from . import _wire as w
from .errors import error_class, fail
from .fileinfo import Section


def parse_header(data, real_length):
    """spec §4, steps 2–8 (the signature has been checked). ``data`` holds at least the first
    32 bytes when the file has them; ``real_length`` is the file's length."""
    if real_length < w.HEADER_LENGTH:
        fail("truncated", "the file has %d bytes, fewer than the 32-byte signature and header" % real_length)
    major, minor, flags, file_length, section_count, header_crc = struct.unpack_from("<HHIQII", data, 8)
    if major != w.MAJOR:
        fail("unsupportedVersion", "the file is .nnm %d.%d; this reader supports 1.x only" % (major, minor))
    crc = zlib.crc32(data[:28])
    if crc != header_crc:
        fail("headerChecksumMismatch", "header CRC-32 is 0x%08x, bytes 0-27 give 0x%08x" % (header_crc, crc))
    if flags != 0:
        fail("unsupportedFlags", "header flags 0x%08x are not defined in 1.x" % flags)
    if file_length > w.MAX_FILE:
        fail("limitExceeded", "header file_length %d is above the limit 2^31" % file_length)
    if file_length != real_length:
        fail("fileLengthMismatch", "the header says %d bytes, the file has %d (%s)" % (
            file_length, real_length, "truncated" if real_length < file_length else "bytes appended"))
    if section_count > w.MAX_SECTIONS:
        fail("limitExceeded", "header section_count %d is above the limit %d" % (section_count, w.MAX_SECTIONS))
    return minor, section_count


def _is_letter(byte):
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def _check_order(sections, stype, critical, known, where, state):
    """spec §5 step 5: unknown critical first, then the order rules."""
    if critical and not known:
        fail("unknownCriticalSection", "unknown critical %s: this reader cannot use the file" % where)
    if state["tail"]:
        fail("sectionOrder", "%s follows TAIL, which must be the last section" % where)
    if not sections and stype != b"LAYR":
        fail("sectionOrder", "%s: the first section must be LAYR" % where)
    if len(sections) == 1 and stype != b"TENS":
        fail("sectionOrder", "%s: TENS must directly follow LAYR" % where)
    if state["wght"] and stype != b"TAIL":
        fail("sectionOrder", "%s: only TAIL may follow WGHT" % where)
    if known:
        stage = w.STAGES[stype]
        if stage <= state["stage"]:
            fail("sectionOrder", "%s is duplicated or out of order" % where)
        if stype == b"TAIL" and sections[-1].type != "WGHT":
            fail("sectionOrder", "%s: TAIL must directly follow WGHT" % where)
        state["stage"] = stage
    elif not state["tens"] or state["wght"]:
        fail("sectionOrder", "unknown ancillary %s must lie after TENS and before WGHT" % where)


def walk(data, section_count, warn):
    """spec §5: every section's framing, order, size limit and CRC (not WGHT's)."""
    file_length = len(data)
    pos = w.HEADER_LENGTH
    sections = []
    state = {"stage": -1, "tens": False, "wght": False, "tail": False}
    while pos < file_length:
        if len(sections) >= w.MAX_SECTIONS:
            fail("limitExceeded", "more than %d sections (at file offset %d)" % (w.MAX_SECTIONS, pos))
        if file_length - pos < 16:
            fail("truncated", "only %d bytes left at file offset %d; a section needs at least 16" % (file_length - pos, pos))
        stype = bytes(data[pos:pos + 4])
        for index, byte in enumerate(stype):
            if not _is_letter(byte):
                fail("invalidSectionType", "section type %r at file offset %d: byte %d (0x%02x) is not an ASCII letter"
                     % (stype, pos, index, byte))
        name = stype.decode("ascii")
        length = w.u64_at(data, pos + 4)
        if length > file_length - pos - 16:
            fail("truncated", "section '%s' at file offset %d declares %d payload bytes, only %d remain"
                 % (name, pos, length, file_length - pos - 16))
        critical = not stype[0] & 0x20
        known = stype in w.STAGES
        where = "section '%s' at file offset %d" % (name, pos)
        _check_order(sections, stype, critical, known, where, state)
        section = Section(name, pos, length, critical, known)
        if stype != b"WGHT":
            if length > w.MAX_SECTION_PAYLOAD:
                fail("limitExceeded", "%s has a %d-byte payload (limit 16 MiB)" % (where, length))
            end = pos + 12 + length
            stored, computed = w.u32_at(data, end), zlib.crc32(data[pos:end])
            if stored != computed:
                message = "CRC-32 mismatch in %s: stored 0x%08x, computed 0x%08x" % (where, stored, computed)
                if critical:
                    fail("sectionChecksumMismatch", message)
                section.drop_error = _error("sectionChecksumMismatch", message)
                warn("dropped damaged ancillary %s" % message)
        sections.append(section)
        state["tens"] |= stype == b"TENS"
        state["wght"] |= stype == b"WGHT"
        state["tail"] |= stype == b"TAIL"
        pos += 16 + length
    if not sections or sections[-1].type != "TAIL":
        fail("sectionOrder", "the last section is %s, not TAIL" % ("'%s'" % sections[-1].type if sections else "missing"))
    if len(sections) != section_count:
        fail("sectionCountMismatch", "the header says %d sections, the file has %d" % (section_count, len(sections)))
    return sections


def _error(identifier, message):
    return error_class(identifier)(message)
