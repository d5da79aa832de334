"""One-line messages from the failure, error and skip elements of a test case.

The ``message`` attribute is preferred, on one line; when it is missing or a mere placeholder
(go-junit-report's ``Failed``, pytest's ``skipped``), the first meaningful line of the element's
text is used instead. Go test framing lines (``=== RUN``, ``--- FAIL:``) are not meaningful;
pytest's ``E   ...`` lines, when present, are the message (also inside an attribute, where
XML has turned the line breaks into spaces). Messages are cut at :data:`LIMIT` characters.
"""

from __future__ import annotations

import re

__all__ = ["LIMIT", "summarize"]

LIMIT = 300

_PLACEHOLDERS = frozenset({"failed", "failure", "error", "skipped", "skip"})
_GO_FRAMING = re.compile(r"(?:=== (?:RUN|PAUSE|CONT|NAME)|--- (?:FAIL|SKIP|PASS):)")
_PYTEST_E = re.compile(r"E\s+(\S.*)")
# pytest's "E   " marker inside a message attribute, where XML turned the newlines into spaces
_PYTEST_E_INLINE = re.compile(r"(?:^|\s)E {3}(\S.*?)(?=\sE {3}\S|$)")
_SPACE = re.compile(r"\s+")


def summarize(attribute: str | None, text: str | None) -> str:
    """The message of a failure/error/skip element, shortened to one line."""
    attribute = (attribute or "").strip()
    if attribute and (attribute.lower() not in _PLACEHOLDERS or not _meaningful(text)):
        return shorten(" ".join(_lines(attribute)))
    lines = _lines(text or "")
    return shorten(lines[0]) if lines else ""


def shorten(text: str) -> str:
    """``text`` on one line with runs of white space collapsed, at most :data:`LIMIT` long."""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def _meaningful(text: str | None) -> bool:
    return bool(text) and bool(_lines(text or ""))


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not _GO_FRAMING.match(line)]
    errors = [m.group(1) for m in map(_PYTEST_E.fullmatch, lines) if m]
    if not errors and len(lines) == 1:
        errors = [m.group(1) for m in _PYTEST_E_INLINE.finditer(lines[0])]
    return errors or lines
