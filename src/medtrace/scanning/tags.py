"""The tag syntax: ``@implements ID[, ID...]`` and ``@verifies ID[, ID...]`` in comment text.

A tag runs from its verb to the end of the comment line (or to the next tag on that line). IDs
are separated by commas and/or white space; a trailing comment closer (``*/``, ``-->``) or
closing markup of a documentation comment (``</summary>``) is not part of the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrace.diagnostics import Diagnostic
from medtrace.scanning.codes import TAG_MALFORMED

__all__ = ["DEFAULT_ID_PATTERN", "NEEDLE", "RawTag", "find_tags", "has_needle"]

VERBS = ("implements", "verifies")
#: A tag verb: ``@implements`` or ``@verifies``, not inside a word, an e-mail or a dotted name.
NEEDLE = re.compile(r"@(?<![\w@.$-]@)(implements|verifies)(?![\w-])")
#: The default shape of an ID: a letter, then letters, digits, ``_``, ``.`` or ``-``, not ending
#: in ``.`` or ``-`` (``SRS-12``, ``RISK-3``, ``bolus-calculator``, ``SOUP-requests``).
DEFAULT_ID_PATTERN = re.compile(r"[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
_NEEDLE_BYTES = (b"@implements", b"@verifies")
_CLOSERS = re.compile(r"(?:\s*(?:\*+/|-->|</?[A-Za-z][\w.:-]*\s*/?>))+\s*$")
_SEPARATORS = re.compile(r"[\s,]+")
_EXAMPLE = "`@implements SRS-12, RISK-3`"


@dataclass(frozen=True, slots=True)
class RawTag:
    """A tag as found in a comment: its verb, its well-formed IDs and its 1-based line."""

    verb: str
    ids: tuple[str, ...]
    line: int


def has_needle(data: bytes) -> bool:
    """Whether ``data`` may hold a tag (a fast test before any parsing)."""
    return any(needle in data for needle in _NEEDLE_BYTES)


def find_tags(
    text: str, first_line: int, path: str, id_pattern: re.Pattern[str]
) -> tuple[list[RawTag], list[Diagnostic]]:
    """The tags in the comment or docstring ``text`` that starts on line ``first_line``."""
    tags: list[RawTag] = []
    problems: list[Diagnostic] = []
    for match in NEEDLE.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        verb = match.group(1)
        ids, bad = _split_ids(_tail(text, match.end()), id_pattern)
        if ids:
            tags.append(RawTag(verb, ids, line))
        problems.extend(_malformed(verb, token, id_pattern, path, line) for token in bad)
        if not ids and not bad:
            problems.append(_missing(verb, path, line))
    return tags, problems


def _tail(text: str, start: int) -> str:
    """The text after a verb, up to the end of its line or the next tag."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    following = NEEDLE.search(text, start, end)
    if following is not None:
        end = following.start()
    return _CLOSERS.sub("", text[start:end])


def _split_ids(tail: str, id_pattern: re.Pattern[str]) -> tuple[tuple[str, ...], list[str]]:
    tokens = [token for token in _SEPARATORS.split(tail) if token]
    good = tuple(token for token in tokens if id_pattern.fullmatch(token))
    bad = [token for token in tokens if not id_pattern.fullmatch(token)]
    return good, bad


def _malformed(
    verb: str, token: str, id_pattern: re.Pattern[str], path: str, line: int
) -> Diagnostic:
    return TAG_MALFORMED(
        f"`@{verb}` tag with a malformed ID `{token}`",
        expected=f"IDs matching `{id_pattern.pattern}`, separated by commas or spaces, as in "
        f"{_EXAMPLE}",
        hint="a tag runs to the end of its comment line: write each ID as in its item file and "
        "put any description on another line",
        path=path,
        line=line,
    )


def _missing(verb: str, path: str, line: int) -> Diagnostic:
    return TAG_MALFORMED(
        f"`@{verb}` tag without any ID",
        expected=f"at least one ID after the tag, on the same line, as in {_EXAMPLE}",
        hint="add the ID of the requirement or risk this code "
        + ("implements" if verb == "implements" else "verifies")
        + ", or remove the tag",
        path=path,
        line=line,
    )
