"""The tag syntax: ``@implements ID[, ID...]`` and ``@verifies ID[, ID...]`` in comment text.

A tag runs from its verb to the end of the comment line (or to the next tag on that line). IDs
are separated by commas and/or white space; a trailing comment closer (``*/``, ``-->``) or
closing markup of a documentation comment (``</summary>``) is not part of the list. A verb in
inline code (right after a backquote) documents the syntax: it is not a tag.
"""

from __future__ import annotations

import re
from functools import cache

from medtrace.diagnostics import Diagnostic
from medtrace.scanning.codes import TAG_MALFORMED

__all__ = [
    "DEFAULT_ID_PATTERN",
    "ID_LIST",
    "ID_SHAPED",
    "NEEDLE",
    "PUNCTUATED",
    "VERBS",
    "TagReader",
    "TagTuple",
    "find_tags",
    "has_needle",
]

#: A tag verb: ``@implements`` or ``@verifies``, not inside a word, an e-mail or a dotted name,
#: nor right after a backquote (inline code: an example in documentation, not a tag). The
#: literal ``@`` comes first so that searching skips ahead in C.
NEEDLE = re.compile(r"@(?<![\w@.$`-]@)(implements|verifies|level)(?![\w-])")
#: The default shape of an ID: a letter, then letters, digits, ``_``, ``.`` or ``-``, not ending
#: in ``.`` or ``-`` (``SRS-12``, ``RISK-3``, ``bolus-calculator``, ``SOUP-requests``).
DEFAULT_ID_PATTERN = re.compile(r"[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
_NEEDLE_BYTES = (b"@implements", b"@verifies", b"@level")
#: An ID-shaped token, as near misses are told by: letters, a dash, digits (``SRS-12``).
ID_SHAPED = r"[A-Za-z][A-Za-z0-9_]*-[0-9][A-Za-z0-9_.-]*"
#: A list of ID-shaped tokens (group ``ids``).
ID_LIST = rf"(?P<ids>{ID_SHAPED}(?:[ \t]*,[ \t]*{ID_SHAPED}|[ \t]+{ID_SHAPED})*)(?![\w-])"
#: A verb followed by ``:`` or ``=`` and IDs (``@implements:SRS-1``): a near miss (``MT111``),
#: not a malformed tag.
PUNCTUATED = re.compile(rf"[ \t]*[:=][ \t]*{ID_LIST}")
_CLOSERS = re.compile(r"(?:\s*(?:\*+/|-->|</?[A-Za-z][\w.:-]*\s*/?>))+\s*$")
_SEPARATORS = re.compile(r"[\s,]+")
_EXAMPLE = "`@implements SRS-12, RISK-3`"
#: One string object per verb, so that cached tags share them.
VERBS = {"implements": "implements", "verifies": "verifies", "level": "level"}
#: ``@level unit|integration|system``: the test level (IEC 62304 5.5, 5.6, 5.7) of the test the
#: tag belongs to; its one value is kept as the tag's ID, whatever follows it on the line.
_LEVEL = re.compile(r"[ \t]+([A-Za-z][\w-]*)")

#: A tag as found: verb, IDs, 1-based line.
TagTuple = tuple[str, tuple[str, ...], int]


def has_needle(data: bytes) -> bool:
    """Whether ``data`` may hold a tag (a fast test before any parsing)."""
    return any(needle in data for needle in _NEEDLE_BYTES)


@cache
def _well_formed(id_pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A whole, well-formed tag line: the verb, a list of IDs, maybe a comment closer."""
    identifier = f"(?:{id_pattern.pattern})"
    try:
        return re.compile(
            rf"[ \t]+({identifier}(?:[ \t]*,[ \t]*{identifier}|[ \t]+{identifier})*)"
            r"[ \t,]*(?:\*+/[ \t]*)?\r?$",
            id_pattern.flags | re.MULTILINE,
        )
    except re.error:
        return None


def find_tags(
    text: str, first_line: int, path: str, id_pattern: re.Pattern[str]
) -> tuple[list[TagTuple], list[Diagnostic]]:
    """The tags in the comment or docstring ``text`` that starts on line ``first_line``."""
    return TagReader(id_pattern).read(text, first_line, path)


class TagReader:
    """Reads the tags of many comments with one ID pattern."""

    __slots__ = ("id_pattern", "simple")

    def __init__(self, id_pattern: re.Pattern[str]) -> None:
        self.id_pattern = id_pattern
        self.simple = _well_formed(id_pattern)

    def ids_at(self, text: str, offset: int) -> tuple[str, ...] | None:
        """The IDs of a well-formed tag whose verb ends at ``offset`` (``None``: not that)."""
        simple = self.simple
        whole = simple.match(text, offset) if simple is not None else None
        if whole is None or "@" in (listed := whole.group(1)):
            return None
        if "," not in listed and " " not in listed and "\t" not in listed:
            return (listed,)
        return tuple(_SEPARATORS.split(listed))

    def values_at(self, verb: str, text: str, offset: int) -> tuple[str, ...] | None:
        """What a well-formed tag whose ``verb`` ends at ``offset`` names: a level's one word
        (whatever follows it), else its IDs (:meth:`ids_at`); ``None``: not that."""
        if verb == "level":
            level = _LEVEL.match(text, offset)
            return None if level is None else (level.group(1),)
        return self.ids_at(text, offset)

    def read(
        self, text: str, first_line: int, path: str
    ) -> tuple[list[TagTuple], list[Diagnostic]]:
        """The tags in the comment or docstring ``text`` that starts on line ``first_line``."""
        tags: list[TagTuple] = []
        problems: list[Diagnostic] = []
        for match in NEEDLE.finditer(text):
            verb = VERBS[match.group(1)]
            ids = self.values_at(verb, text, match.end())
            if ids is not None:  # well formed, as most are: what _one would find, sooner
                tags.append((verb, ids, first_line + text.count("\n", 0, match.start())))
            else:
                self._one(text, match, first_line, path, tags, problems)
        return tags, problems

    def _one(
        self,
        text: str,
        match: re.Match[str],
        first_line: int,
        path: str,
        tags: list[TagTuple],
        problems: list[Diagnostic],
    ) -> None:
        line = first_line + text.count("\n", 0, match.start())
        verb = VERBS[match.group(1)]
        if verb == "level":
            level = self.values_at(verb, text, match.end())
            if level is not None:  # its value is checked where tags are used (MT104)
                tags.append((verb, level, line))
            else:
                problems.append(
                    TAG_MALFORMED(
                        "`@level` tag without a level",
                        expected="`@level unit`, `@level integration` or `@level system`",
                        hint="name the level of the test after the tag, or remove the tag",
                        path=path,
                        line=line,
                    )
                )
            return
        ids = self.ids_at(text, match.end())
        if ids is not None:
            tags.append((verb, ids, line))
            return
        if PUNCTUATED.match(text, match.end()):
            return  # `@implements: SRS-1` is a near miss, reported as such (MT111)
        id_pattern = self.id_pattern
        ids, bad = _split_ids(_tail(text, match.end()), id_pattern)
        if ids:
            tags.append((verb, ids, line))
        problems.extend(_malformed(verb, token, id_pattern, path, line) for token in bad)
        if not ids and not bad:
            problems.append(_missing(verb, path, line))


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
