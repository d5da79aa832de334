"""Reading JSON reports: located diagnostics for what ``json`` refuses."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from medtrace.diagnostics import Diagnostic
from medtrace.evidence import codes

__all__ = ["GZIP_MAGIC", "load", "unzip"]

GZIP_MAGIC = b"\x1f\x8b"
#: The most a compressed report may grow to when unzipped (a zip bomb stops here).
MAX_UNZIPPED = 512 * 1024 * 1024


# @implements SRS-129
def unzip(data: bytes, source: str) -> tuple[bytes | None, Diagnostic | None]:
    """``data`` unzipped when it is gzip (gcov's ``.gcov.json.gz``), else as it is."""
    if not data.startswith(GZIP_MAGIC):
        return data, None
    try:
        out = zlib.decompressobj(wbits=31)
        plain = out.decompress(data, MAX_UNZIPPED)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        return None, codes.malformed(source, f"a gzip file that cannot be unzipped ({exc})")
    if out.unconsumed_tail:
        return None, codes.malformed(source, "a gzip file that unzips to more than 512 MB")
    if not out.eof:
        found = "a gzip file cut short"
        return None, codes.malformed(source, found, hint=codes.TRUNCATED_HINT)
    return plain, None


def load(data: bytes, source: str) -> tuple[Any, Diagnostic | None]:
    """The JSON value in ``data``, or a located diagnostic."""
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, codes.malformed(source, f"text that is not UTF-8 ({exc.reason})")
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, decode_error(text, source, exc)
    except RecursionError:
        return None, codes.malformed(source, "JSON nested too deeply to read")


def decode_error(text: str, source: str, exc: json.JSONDecodeError) -> Diagnostic:
    cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
    found = f"malformed JSON{', cut short' if cut else ''}: {exc.msg}"
    hint = codes.TRUNCATED_HINT if cut else codes.MALFORMED_HINT
    return codes.malformed(source, found, line=exc.lineno, column=exc.colno, hint=hint)
