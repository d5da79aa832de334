"""Diagnostic codes of the tag scanner, and the diagnostics made of them."""

from __future__ import annotations

from medtrace.diagnostics import Diagnostic, Severity, define

__all__ = [
    "FILE_ENCODING",
    "FILE_SKIPPED",
    "FILE_UNREADABLE",
    "TAG_MALFORMED",
    "encoding",
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
