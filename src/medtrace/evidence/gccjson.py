"""GCC's diagnostics as JSON (``-fdiagnostics-format=json``, GCC 10 to 12; GCC 13+ also writes
SARIF), for its static analyser (``-fanalyzer``) and its warnings.

GCC writes one JSON array per translation unit on standard error, so a report of several
sources is several arrays, one after the other: each is read. Each element has ``kind``
(``error``, ``warning``, ``note``, ``fatal error``...), ``message``, ``option`` (the
warning's option, used as the rule: ``-Wanalyzer-double-free``) and ``locations[].caret``
(``file``, ``line``, ``column``). A ``note`` and the ``children`` (notes on a diagnostic) are
not findings of their own.
"""

from __future__ import annotations

import json
from typing import Any

from medtrace.evidence import codes, jsonio
from medtrace.evidence.model import RawFinding, ReportData
from medtrace.evidence.registry import reader

__all__ = ["read_gcc_json"]

_LEVELS = {"error": "error", "fatal error": "error", "warning": "warning"}


def _sniff(head: bytes) -> bool:
    return head.startswith(b"[") and (b'"kind"' in head or not head.replace(b"[]", b"").strip())


# @implements SRS-127
@reader("gcc-json", "analysis", _sniff)
def read_gcc_json(data: bytes, source: str) -> ReportData:
    """The findings of GCC's JSON diagnostics (one or more arrays); never raises."""
    report = ReportData("gcc-json", "analysis")
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        report.diagnostics.append(codes.malformed(source, f"text that is not UTF-8 ({exc.reason})"))
        return report
    decoder, position = json.JSONDecoder(), 0
    while position < len(text.rstrip()):
        position = _skip_space(text, position)
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            report.diagnostics.append(jsonio.decode_error(text, source, exc))
            return report
        if not isinstance(value, list):
            found = "JSON that is not GCC's diagnostics (arrays of diagnostics)"
            report.diagnostics.append(codes.malformed(source, found))
            return report
        report.findings.extend(f for f in map(_finding, value) if f is not None)
    return report


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _finding(diagnostic: Any) -> RawFinding | None:
    if not isinstance(diagnostic, dict):
        return None
    level = _LEVELS.get(str(diagnostic.get("kind")))
    message = diagnostic.get("message")
    if level is None or not isinstance(message, str):
        return None
    caret = _caret(diagnostic.get("locations"))
    file, line, column = caret.get("file"), caret.get("line"), caret.get("column")
    return RawFinding(
        "gcc",
        str(diagnostic.get("option") or ""),
        level,
        " ".join(message.split()),
        file if isinstance(file, str) else None,
        line if isinstance(line, int) and line > 0 else 0,
        column if isinstance(column, int) and column > 0 else 0,
    )


def _caret(locations: Any) -> dict[str, Any]:
    first = locations[0] if isinstance(locations, list) and locations else None
    caret = first.get("caret") if isinstance(first, dict) else None
    return caret if isinstance(caret, dict) else {}
