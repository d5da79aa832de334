"""Near-miss tags: what a person meant as a tag but that is not one, reported (``MT111``).

In a comment (or a Python docstring), followed by an ID-shaped token (letters, a dash, digits:
``SRS-12``, ``RISK-3``):

- a misspelt or wrongly cased verb (that starts with the verb's first letter): ``@implement``,
  ``@Implements``, ``@IMPLEMENTS``, ``@verify``, ``@verfies``, ``@verifes``, ``@verified``...;
- a verb with a colon or an equals sign: ``@implements:SRS-1``, ``@verifies = SRS-1``;
- a verb without its ``@`` but with a colon: ``implements: SRS-1``, ``Verifies: SRS-1``;
- a verb with Doxygen's backslash: ``\\implements SRS-1``.

Prose is left alone: "this implements the spec" has no ID after the verb, a verb in inline code
(after a backquote) documents the syntax, and a verb without its ``@`` counts only when its
first ID has one of the project's prefixes ("Verifies: RFC-7231" cites a standard). Each near
miss is a warning with the exact text to write instead.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Collection, Iterator

from medtrace.diagnostics import Diagnostic
from medtrace.scanning import pylex
from medtrace.scanning.codes import near_miss
from medtrace.scanning.tags import ID_LIST

__all__ = ["near_misses"]

#: A verb that starts a well-formed tag (white space after it, no ``:`` nor ``=``): not a near
#: miss, so not even matched (most verbs in a file are that; no other match can start inside one:
#: a match starts with an ``@``, and its IDs hold none).
_WELL_FORMED = r"(?:implements|verifies)[ \t]+(?![ \t]*[:=])"
#: ``@word`` (with or without ``:``/``=``), then IDs; the literal ``@`` first, so that the search
#: skips ahead in C.
_AT_WORD = re.compile(
    rf"@(?<![\w@.$`\\-]@)(?!{_WELL_FORMED})(?P<word>[IiVv][A-Za-z]{{3,13}})"
    rf"(?P<punct>[ \t]*[:=][ \t]*|[ \t]+){ID_LIST}"
)
#: A verb without its ``@`` but with a colon or an equals sign, or with Doxygen's backslash
#: instead of the ``@``, then IDs.
_BARE = re.compile(
    rf"(?:(?<![\w@.$`\\-])(?P<bare>[Ii]mplements|IMPLEMENTS|[Vv]erifies|VERIFIES)[ \t]*[:=][ \t]*"
    rf"|(?<![`\\])\\(?P<slash>implements|verifies)[ \t]+){ID_LIST}"
)
_VERBS = ("implements", "verifies")
#: Every bare near miss holds one of these, after its first letter; with the tag that holds each
#: right after an ``@`` and a letter (where no near miss can start, see :func:`_candidates`).
_BARE_NEEDLES = (
    ("mplements", "@implements"),
    ("erifies", "@verifies"),
    ("MPLEMENTS", "@IMPLEMENTS"),
    ("ERIFIES", "@VERIFIES"),
)
_C_COMMENTS = re.compile(
    r"(//[^\n]*|/\*.*?(?:\*/|\Z)|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')", re.DOTALL
)


# @implements SRS-44
def near_misses(
    text: str, path: str, python: bool, prefixes: Collection[str] | None = None
) -> list[Diagnostic]:
    """The near-miss tags in the comments of ``text`` (``python``: ``#`` comments and
    docstrings, else C-style comments), each as an ``MT111`` warning.

    A verb without its ``@`` (``implements: X-1``, ``\\implements X-1``) may be prose citing a
    standard (``Verifies: RFC-7231``): with ``prefixes`` (the project's ID prefixes), it is a
    near miss only when its first ID has one of them.
    """
    candidates = list(_candidates(text))
    if not candidates:
        return []
    spans = _comment_spans(text, python)
    found = []
    for start, shown, fix in candidates:
        if (
            prefixes is not None
            and shown[0] != "@"
            and fix.split()[1].split("-")[0] not in prefixes
        ):
            continue
        if _inside(spans, start):
            line = text.count("\n", 0, start) + 1
            found.append(near_miss(path, line, shown, fix))
    return found


# @implements SRS-356
def _candidates(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, text found, fix) of each near-miss candidate, in or out of comments."""
    matches = list(_AT_WORD.finditer(text)) if "@" in text else []
    for needle, tagged in _BARE_NEEDLES:  # a literal search skips ahead in C; the pattern is slow
        at = text.find(needle)
        if at > 0 and text.count(needle) == text.count(tagged):
            continue  # each one is a tag's, after its ``@`` and a letter: skipped below (C counts)
        while at >= 0:
            # at 0 no verb's first letter is before it; after an ``@`` (a tag), neither a bare
            # verb nor a backslash can start at either
            if at > 0 and (at < 2 or text[at - 2] != "@"):
                found = _BARE.match(text, at - 1) or _BARE.match(text, at - 2)
                if found is not None:
                    matches.append(found)
            at = text.find(needle, at + 1)
    for match in sorted(matches, key=lambda m: m.start()):
        verb = _verb(match)
        if verb is not None:
            ids = ", ".join(re.split(r"[ \t,]+", match["ids"]))
            yield match.start(), match.group().strip(), f"@{verb} {ids}"


def _verb(match: re.Match[str]) -> str | None:
    """The verb meant, or ``None`` if this is a well-formed tag or no tag at all."""
    if "bare" in match.re.groupindex:
        return (match["bare"] or match["slash"]).lower()
    word = match["word"]
    if word in _VERBS:
        return word if match["punct"].strip() else None  # `@implements SRS-1` is a tag
    lowered = word.lower()
    for verb in _VERBS:
        if lowered == verb or lowered.startswith(verb[:5]):
            return verb
        if difflib.SequenceMatcher(None, lowered, verb).ratio() >= 0.8:
            return verb
    return None


def _comment_spans(text: str, python: bool) -> list[tuple[int, int]]:
    if python:
        return pylex.comment_spans(text)
    return [m.span() for m in _C_COMMENTS.finditer(text) if m.group()[0] == "/"]


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect_right(spans, (offset, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]
