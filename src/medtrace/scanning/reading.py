"""Reading a file to scan: binary files are told apart, and any text is decoded.

The bytes come from :func:`medtrace.fs.read_regular` (regular files only, at most the limit).

UTF-8 (with or without a byte-order mark) is read as is. UTF-16 with a byte-order mark is
decoded exactly. Any other bytes are read as Windows-1252, else Latin-1 (which never fails),
and reported (``MT108``): tags and IDs are ASCII, so they are found whichever encoding was meant.
"""

from __future__ import annotations

import codecs

from medtrace.diagnostics import Diagnostic
from medtrace.scanning.codes import encoding
from medtrace.scanning.languages import Source

__all__ = ["BINARY_PROBE", "binary", "decode"]

#: How much of a file is looked at for NUL bytes to tell a binary file.
BINARY_PROBE = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_FALLBACKS = ("cp1252", "latin-1")


def binary(data: bytes) -> bool:
    """Whether ``data`` looks binary: a NUL byte early on, and no UTF-16 byte-order mark."""
    return b"\0" in data[:BINARY_PROBE] and not data.startswith(_UTF16_BOMS)


def decode(data: bytes, path: str) -> tuple[Source, Diagnostic | None]:
    """The text of ``data``, and a diagnostic when it was not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.isascii():
        return Source(data.decode("ascii"), data), None
    try:
        return Source(data.decode("utf-8"), data), None
    except UnicodeDecodeError:
        text, used = _fallback(data)
    return Source(text, text.encode("utf-8")), encoding(path, used)


def _fallback(data: bytes) -> tuple[str, str]:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "UTF-16 (from its byte-order mark)"
        except UnicodeDecodeError:
            pass
    for name in _FALLBACKS:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace"), "UTF-8 with replacement characters"
