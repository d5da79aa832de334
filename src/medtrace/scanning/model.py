"""What the scanner returns: tags, tests and the files they were found in."""

from __future__ import annotations

from collections.abc import Iterable
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
    test_files: list[str] = field(default_factory=list)  # the files matched by the tests globs


# Building many tags and tests without a frozen dataclass's per-field ``__setattr__`` calls: the
# slots' own descriptors set the fields (what ``object.__setattr__`` does), in about half the time.
_TAG_FIELDS = tuple(getattr(Tag, name).__set__ for name in Tag.__slots__)
_TEST_FIELDS = tuple(getattr(TestSymbol, name).__set__ for name in TestSymbol.__slots__)


def make_tags(
    rows: Iterable[tuple[str, tuple[str, ...], int, str | None, int | None]],
    path: str,
    language: str,
) -> list[Tag]:
    """``Tag(verb, ids, path, line, symbol, symbol_line, language)`` for each row."""
    new = Tag.__new__
    verb_, ids_, path_, line_, symbol_, symbol_line_, language_ = _TAG_FIELDS
    made = []
    for verb, ids, line, symbol, symbol_line in rows:
        tag = new(Tag)
        verb_(tag, verb)
        ids_(tag, ids)
        path_(tag, path)
        line_(tag, line)
        symbol_(tag, symbol)
        symbol_line_(tag, symbol_line)
        language_(tag, language)
        made.append(tag)
    return made


def make_tests(rows: Iterable[tuple[str, int]], path: str, language: str) -> list[TestSymbol]:
    """``TestSymbol(path, name, line, language)`` for each row."""
    new = TestSymbol.__new__
    path_, name_, line_, language_ = _TEST_FIELDS
    made = []
    for name, line in rows:
        test = new(TestSymbol)
        path_(test, path)
        name_(test, name)
        line_(test, line)
        language_(test, language)
        made.append(test)
    return made
