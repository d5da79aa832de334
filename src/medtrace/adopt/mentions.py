"""Which IDs a comment mentions without a tag.

An ID is mentioned when it stands as a word of its own: ``SRS-12``, ``(SRS-12)``, ``SRS-12:``
and ``SRS-12.`` at the end of a sentence are mentions; ``SRS-12a``, ``MYSRS-1``, ``SRS-12.3``,
``RW-SRS-1`` (when ``RW-SRS`` is no prefix of the project) and any ID inside a URL are not. IDs
already in a tag (from the verb to the end of its line), and IDs in inline code (between
backquotes: an example in documentation, not a reference) are not mentions either.

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
_INLINE_CODE = re.compile(r"``[^\n]+?``|`[^`\n]+`")
#: Ordinary words: a kind whose pattern matches one is not looked for in prose.
_WORDS = ("a", "the", "value", "requests", "pump-firmware", "x1", "TODO", "README")


@dataclass(frozen=True, slots=True)
class IdForms:
    """How the selected kinds' IDs look in comment text."""

    pattern: re.Pattern[str]
    data: re.Pattern[bytes]  # the same forms over raw bytes, to skip files quickly
    kinds: tuple[str, ...]

    def mentions(self, text: str) -> Iterator[tuple[int, str]]:
        """Offsets and IDs of the bare mentions in a comment's text."""
        excluded = _excluded_spans(text)
        for match in self.pattern.finditer(text):
            start = match.start()
            if not any(a <= start < b for a, b in excluded):
                yield start, match.group()


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
    text = rf"(?<![\w./\\@$-])(?:{body})(?![\w]|[-.][A-Za-z0-9_])"
    return IdForms(re.compile(text), re.compile(text.encode()), tuple(used))


def _form(config: Config, name: str) -> str | None:
    kind = config.kinds[name]
    if kind.prefix:
        return re.escape(kind.prefix) + r"-\d+"
    if kind.pattern and not any(re.fullmatch(kind.pattern, w) for w in _WORDS):
        return f"(?:{kind.pattern})"
    return None


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    """Tags (verb to end of line, or to the next tag), URLs and inline code."""
    spans = [m.span() for m in _URL.finditer(text)]
    spans += [m.span() for m in _INLINE_CODE.finditer(text)]
    for match in NEEDLE.finditer(text):
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        following = NEEDLE.search(text, match.end(), end)
        spans.append((match.start(), end if following is None else following.start()))
    return spans
