"""Which IDs a comment mentions without a tag.

An ID is mentioned when it stands as a word of its own: ``SRS-12``, ``(SRS-12)``, ``SRS-12:``
and ``SRS-12.`` at the end of a sentence are mentions; ``SRS-12a``, ``MYSRS-1``, ``SRS-12.3``,
``RW-SRS-1`` (when ``RW-SRS`` is no prefix of the project), the first ID of a range
(``SRS-1..3``) and any ID inside a URL are not, nor are IDs already in a tag (from the verb to
the end of its line). IDs in inline code (between backquotes), in double quotes or on a doctest
line (``>>>``, ``...``) are *quoted*: examples rather than references, reported but never
converted.

The forms come from the configured kinds: ``PREFIX-<number>`` for a kind with a prefix, else
the kind's own ``pattern`` when that cannot match an ordinary word (a software item's
``[a-z][a-z0-9-]*`` would match any word, so software items are never looked for).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from medtrace.config import Config
from medtrace.errors import UsageError
from medtrace.ids import closest_id
from medtrace.scanning.tags import NEEDLE

__all__ = ["DEFAULT_KINDS", "IdForms", "id_forms", "select_kinds"]

#: The kinds that tags trace (requirements and risks): what ``adopt`` converts by default.
DEFAULT_KINDS = ("system-requirement", "software-requirement", "risk")

_URL = re.compile(r"(?:\b[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>\"'`]*")
_QUOTED = re.compile(
    r"``[^\n]+?``|`[^`\n]+`|\"[^\"\n]*\"|“[^”\n]*”"
    r"|^[ \t]*(?:[#*/!]+[ \t]*)?(?:>>>|\.\.\.)(?:[ \t][^\n]*)?$",
    re.MULTILINE,
)
#: Ordinary words: a kind whose pattern matches one is not looked for in prose.
_WORDS = ("a", "the", "value", "requests", "pump-firmware", "x1", "TODO", "README")


@dataclass(frozen=True, slots=True)
class IdForms:
    """How the selected kinds' IDs look in comment text."""

    pattern: re.Pattern[str]
    data: re.Pattern[bytes]  # the same forms over raw bytes, to skip files quickly
    kinds: tuple[str, ...]

    def mentions(self, text: str) -> Iterator[tuple[int, str, bool]]:
        """Offset, ID and whether it is quoted (an example: in inline code, double quotes or
        a doctest line) of each ID that a comment's text mentions outside tags and URLs."""
        skipped = _not_mentions(text)
        quoted = _quoted(text)
        for match in self.pattern.finditer(text):
            start = match.start()
            if not _inside(skipped, start):
                yield start, match.group(), _inside(quoted, start)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


# @implements SRS-84
def select_kinds(config: Config, kinds: Collection[str], prefixes: Collection[str]) -> list[str]:
    """The kinds chosen with ``--kind`` and ``--prefix`` (default :data:`DEFAULT_KINDS`)."""
    chosen: list[str] = []
    for name in kinds:
        if name not in config.kinds:
            raise UsageError(_unknown("kind", name, config.kinds))
        chosen.append(name)
    by_prefix = config.kind_by_prefix
    for prefix in prefixes:
        if prefix not in by_prefix:
            raise UsageError(_unknown("ID prefix", prefix, by_prefix))
        chosen.append(by_prefix[prefix])
    if not kinds and not prefixes:
        chosen = [k for k in DEFAULT_KINDS if k in config.kinds]
    return list(dict.fromkeys(chosen))


def _unknown(what: str, name: str, known: Collection[str]) -> str:
    close = closest_id(name, known, pool=list(known))
    hint = f"; did you mean {close}?" if close else ""
    return f"no {what} {name!r} in this project (known: {', '.join(sorted(known))}){hint}"


# @implements SRS-82
def id_forms(config: Config, kinds: Collection[str]) -> IdForms:
    """The mention pattern of ``kinds``; a kind with no distinctive form is left out."""
    forms: list[str] = []
    used: list[str] = []
    for name in kinds:
        form = _form(config, name)
        if form is not None:
            forms.append(form)
            used.append(name)
    # Longest first, so that ``RW-SYS-3`` is read whole when both RW-SYS and SYS are forms.
    body = "|".join(sorted(forms, key=len, reverse=True)) or r"(?!)"
    text = rf"(?<![\w./\\@$-])(?:{body})(?![\w]|[-.][A-Za-z0-9_]|\.\.)"
    return IdForms(re.compile(text), re.compile(text.encode()), tuple(used))


def _form(config: Config, name: str) -> str | None:
    kind = config.kinds[name]
    if kind.prefix:
        return re.escape(kind.prefix) + r"-\d+"
    if kind.pattern and not any(re.fullmatch(kind.pattern, w) for w in _WORDS):
        return f"(?:{kind.pattern})"
    return None


# @implements SRS-82
def _not_mentions(text: str) -> list[tuple[int, int]]:
    """Tags (verb to end of line, or to the next tag) and URLs."""
    spans = [m.span() for m in _URL.finditer(text)]
    for match in NEEDLE.finditer(text):
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        following = NEEDLE.search(text, match.end(), end)
        spans.append((match.start(), end if following is None else following.start()))
    return spans


def _quoted(text: str) -> list[tuple[int, int]]:
    """Inline code, double-quoted text and doctest lines: examples, not references."""
    return [m.span() for m in _QUOTED.finditer(text)]
