"""Turning a mention into a tag: where the tag goes, the new text, its bytes, the diff.

A tag is added at the end of the comment line that mentions the ID (before a block comment's
closer or a docstring's closing quotes when the comment ends on that line), so no line is added
or moved: line numbers stay right, indentation and line endings are untouched. The new text is
encoded back in the file's own encoding (a byte-order mark kept); a file that would not come
back byte for byte outside the edits is not rewritten.
"""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Iterable

from medtrace.adopt.comments import CommentSpan

__all__ = [
    "Insertion",
    "apply",
    "docstring_quotes",
    "encode_like",
    "insertion_point",
    "line_bounds",
    "unified_diff",
]

#: Where to insert and what: (offset in the decoded text, text).
Insertion = tuple[int, str]

_TRAILING = " \t\r\f\v"
_CODECS = (("utf-8", b""), ("cp1252", b""), ("latin-1", b""))


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end (before its line break) of the line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


# @implements SRS-83
def insertion_point(text: str, comment: CommentSpan, offset: int) -> int:
    """Where a tag for a mention at ``offset`` goes: the end of that line's comment text."""
    start, end = line_bounds(text, offset)
    end = min(end, comment.end)
    if end == comment.end:
        end -= _closer(text, comment)
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return end


def _closer(text: str, comment: CommentSpan) -> int:
    """The length of the comment's closer: ``*/`` (after any stars), or a docstring's quotes."""
    body = text[comment.start : comment.end]
    if comment.docstring:
        return docstring_quotes(body)[1]
    if body.startswith("/*") and body.endswith("*/") and len(body) >= 4:
        stripped = body[2:-2].rstrip("*")
        return len(body) - 2 - len(stripped)
    return 0


def docstring_quotes(body: str) -> tuple[int, int]:
    """The lengths of a string literal's opening (prefix and quotes) and closing quotes."""
    closing = 3 if body.endswith(('"""', "'''")) and len(body) >= 6 else 1
    quote = body[-1:]
    opening = body.find(quote * closing) + closing if quote else 0
    return opening, closing


def apply(text: str, insertions: Iterable[Insertion]) -> str:
    """``text`` with each insertion made (offsets refer to the original text)."""
    parts: list[str] = []
    at = 0
    for offset, added in sorted(insertions):
        parts += [text[at:offset], added]
        at = offset
    parts.append(text[at:])
    return "".join(parts)


# @implements SRS-83
def encode_like(original: bytes, old_text: str, new_text: str) -> bytes | None:
    """``new_text`` in the encoding of ``original`` (whose decoded text is ``old_text``), or
    ``None`` when ``old_text`` does not encode back to ``original`` exactly in that encoding."""
    for codec, bom in _candidates(original):
        try:
            if bom + old_text.encode(codec) != original:
                continue
            return bom + new_text.encode(codec)
        except UnicodeEncodeError:
            continue
    return None


def _candidates(original: bytes) -> list[tuple[str, bytes]]:
    if original.startswith(codecs.BOM_UTF8):
        return [("utf-8", codecs.BOM_UTF8)]
    if original.startswith(codecs.BOM_UTF16_LE):
        return [("utf-16-le", codecs.BOM_UTF16_LE)]
    if original.startswith(codecs.BOM_UTF16_BE):
        return [("utf-16-be", codecs.BOM_UTF16_BE)]
    return list(_CODECS)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff (``a/path``, ``b/path``) of two texts; line endings shown as ``\\n``."""
    return "".join(
        difflib.unified_diff(_lines(before), _lines(after), f"a/{path}", f"b/{path}", n=1)
    )


def _lines(text: str) -> list[str]:
    rows = text.split("\n")
    if rows[-1] == "":
        rows.pop()
    return [row.rstrip("\r") + "\n" for row in rows]
