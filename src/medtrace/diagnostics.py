"""Diagnostics are data: every problem medtrace finds is a :class:`Diagnostic`.

Stages return diagnostics; they never print. Renderers in :mod:`medtrace.render` turn them
into text, JSON, SARIF, GitHub annotations or JUnit.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CODES",
    "Code",
    "Diagnostic",
    "Severity",
    "count",
    "define",
    "sentence",
    "sort_key",
]


class Severity(enum.Enum):
    """How serious a finding is. ``OFF`` rules are not run."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    OFF = "off"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2, Severity.OFF: 3}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding.

    ``found`` says what was found, ``expected`` what was expected and ``hint`` how to fix it.
    ``path`` is relative to the project root (POSIX separators); ``line`` is 1-based, 0 when the
    finding concerns a whole file or the project.
    """

    code: str
    rule: str
    severity: Severity
    found: str
    expected: str = ""
    hint: str = ""
    path: str = ""
    line: int = 0
    column: int = 0
    item: str = ""
    related: tuple[str, ...] = field(default=())

    def to_tuple(self) -> tuple[Any, ...]:
        """Plain data, for fast caches."""
        return (
            self.code,
            self.rule,
            self.severity.value,
            self.found,
            self.expected,
            self.hint,
            self.path,
            self.line,
            self.column,
            self.item,
            self.related,
        )

    @classmethod
    def from_tuple(cls, data: tuple[Any, ...]) -> Diagnostic:
        return cls(data[0], data[1], Severity(data[2]), *data[3:])

    @property
    def location(self) -> str:
        if not self.path:
            return "<project>"
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def message(self) -> str:
        """One sentence: what was found and, when known, what was expected."""
        if self.expected:
            return f"{self.found}; expected {self.expected}"
        return self.found


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.code, d.found)


def count(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Code:
    """A stable diagnostic code (``MT010``) with its name, default severity and summary.

    Calling a code makes a :class:`Diagnostic` of it.
    """

    code: str
    name: str
    severity: Severity
    summary: str

    def __call__(
        self,
        found: str,
        *,
        expected: str = "",
        hint: str = "",
        path: str = "",
        line: int = 0,
        column: int = 0,
        item: str = "",
        related: tuple[str, ...] = (),
    ) -> Diagnostic:
        return Diagnostic(
            self.code,
            self.name,
            self.severity,
            found,
            expected,
            sentence(hint),
            path,
            line,
            column,
            item,
            related,
        )


#: Every code medtrace can report, by code. Filled by :func:`define` at import time.
CODES: dict[str, Code] = {}


def define(code: str, name: str, severity: Severity, summary: str) -> Code:
    """Register a diagnostic code; codes and names are unique and never reused."""
    known = CODES.get(code)
    if known is not None:
        if known.name != name:
            raise ValueError(f"diagnostic code {code} is already {known.name}")
        return known
    made = Code(code, name, severity, summary)
    CODES[code] = made
    return made


_FIRST_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*(?=[\s,;:.!?]|$)")


# @implements SRS-75
def sentence(text: str) -> str:
    """``text`` as a sentence: a first word in lower case capitalised (not a path, an ID or a
    quoted name), and a full stop unless it ends with one, ``?`` or ``!``."""
    text = text.strip()
    if not text:
        return text
    if _FIRST_WORD.match(text):
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
