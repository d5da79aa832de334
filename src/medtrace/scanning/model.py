"""What the scanner returns: tags, tests and the files they were found in."""

from __future__ import annotations

from dataclasses import dataclass, field

from medtrace.diagnostics import Diagnostic

__all__ = ["ScanResult", "Tag", "TestSymbol"]


@dataclass(frozen=True, slots=True)
class Tag:
    """One ``@implements`` or ``@verifies`` tag.

    ``symbol`` is the qualified name of the function, class or test the tag belongs to
    (``Class.method``, ``outer.inner``, ``describe title > test title``); ``None`` when it
    belongs to the whole file. ``symbol_line`` is the line of that symbol's name.
    """

    verb: str
    ids: tuple[str, ...]
    path: str
    line: int
    symbol: str | None
    symbol_line: int | None
    language: str


@dataclass(frozen=True, slots=True)
class TestSymbol:
    """An automated test found in a test file, tagged or not."""

    __test__ = False  # not a pytest test class, whatever its name

    path: str
    name: str
    line: int
    language: str


@dataclass(slots=True)
class ScanResult:
    """Everything one scan found, sorted by path and line."""

    tags: list[Tag] = field(default_factory=list)
    tests: list[TestSymbol] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
