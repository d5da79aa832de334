"""Text that shows what it holds: control characters made visible, hints made sentences.

A file name or an ID may hold a newline or a terminal escape sequence (``x.md:12: error MT000
fake\\n...``); printed raw, it would forge a finding line or recolour the terminal. Every text
output escapes them as Python does: ``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\u202e``.
"""

from __future__ import annotations

import re

from medtrace.diagnostics import sentence

__all__ = ["sentence", "visible"]

#: C0 and C1 controls, DEL, and the bidirectional overrides and isolates ("Trojan Source").
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# @implements SRS-76, SRS-92
def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character escaped, but those in ``keep`` (``"\\n\\t"`` for
    a body of text). A backslash is left as it is, so Windows paths stay readable."""
    if not _CONTROL.search(text):
        return text
    if keep:
        return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _CONTROL.sub(_escape, text)
