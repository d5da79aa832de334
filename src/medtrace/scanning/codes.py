"""Diagnostic codes of the tag scanner, and the diagnostics made of them."""

from __future__ import annotations

from medtrace.diagnostics import Diagnostic, Severity, define

__all__ = [
    "FILE_ENCODING",
    "FILE_SKIPPED",
    "FILE_UNREADABLE",
    "NOT_ANALYSED",
    "TAG_MALFORMED",
    "TAG_NEAR_MISS",
    "encoding",
    "near_miss",
    "not_analysed",
    "skipped",
    "unreadable",
]

TAG_MALFORMED = define(
    "MT107", "tag-malformed", Severity.ERROR, "A tag in code has no ID or a malformed ID."
)
FILE_ENCODING = define(
    "MT108",
    "file-encoding",
    Severity.WARNING,
    "A scanned file is not UTF-8; it was decoded with another encoding.",
)
FILE_SKIPPED = define(
    "MT109", "file-skipped", Severity.NOTE, "A file was not scanned: binary, too large or unknown."
)
FILE_UNREADABLE = define(
    "MT110", "code-unreadable", Severity.WARNING, "A file to scan for tags cannot be read."
)

TAG_NEAR_MISS = define(
    "MT111",
    "tag-near-miss",
    Severity.WARNING,
    "A comment holds what looks like a tag, misspelt or mispunctuated, that is not read as one.",
)
NOT_ANALYSED = define(
    "MT112",
    "code-not-analysed",
    Severity.WARNING,
    "A source file could not be parsed in its time budget; its tags belong to the whole file.",
)


def encoding(path: str, used: str) -> Diagnostic:
    return FILE_ENCODING(
        f"the file is not valid UTF-8; it was read as {used}",
        expected="source files encoded as UTF-8",
        hint="save the file as UTF-8 (tags and IDs are found either way; other text may be "
        "shown wrongly)",
        path=path,
    )


def skipped(path: str, reason: str) -> Diagnostic:
    return FILE_SKIPPED(
        f"not scanned for tags: {reason}",
        expected="a text source file in a known language",
        hint="if this file holds tags, fix the reason above; otherwise add it to paths.exclude "
        "to silence this note",
        path=path,
    )


def unreadable(path: str, reason: str) -> Diagnostic:
    return FILE_UNREADABLE(
        f"cannot read: {reason}",
        expected="a readable file",
        hint="fix the path or its permissions, or add it to paths.exclude",
        path=path,
    )


def near_miss(path: str, line: int, found: str, fix: str) -> Diagnostic:
    return TAG_NEAR_MISS(
        f"`{found}` looks like a tag but is not one: it is ignored",
        expected="`@implements ID` or `@verifies ID`, lower case, with a space before the IDs",
        hint=f"write '{fix}' (or reword the comment if it is not meant as a tag)",
        path=path,
        line=line,
    )


def not_analysed(path: str, seconds: float) -> Diagnostic:
    return NOT_ANALYSED(
        f"not analysed: parsing took more than {seconds:g} s and was abandoned",
        expected="a file the parser reads within its time budget",
        hint="look for an unterminated comment or string, or a generated file that should be "
        "in paths.exclude; its tags are still read but belong to the whole file",
        path=path,
    )
