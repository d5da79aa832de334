"""Diagnostic codes of finding and reading files, shared by every path setting.

Messages here never quote a file's content: a skipped file may be anyone's (a link to
``~/.git-credentials``), so only its path in the project is shown.
"""

from __future__ import annotations

from medtrace.diagnostics import Diagnostic, Severity, define

__all__ = [
    "IGNORE_SKIPPED",
    "LINK_EXTERNAL",
    "LINK_LOOP",
    "SPECIAL_FILE",
    "ignore_file_skipped",
    "ignore_line_invalid",
    "link_external",
    "link_loop",
    "special_file",
]

LINK_EXTERNAL = define(
    "MT130",
    "link-external",
    Severity.WARNING,
    "A symbolic link leads out of the project root; it was not followed.",
)
SPECIAL_FILE = define(
    "MT131",
    "file-special",
    Severity.WARNING,
    "A named pipe, device or socket where a file was expected; it was not read.",
)
LINK_LOOP = define(
    "MT132",
    "link-loop",
    Severity.WARNING,
    "A symbolic link leads back to a folder above it; it was not followed.",
)
IGNORE_SKIPPED = define(
    "MT134",
    "ignore-skipped",
    Severity.NOTE,
    "An ignore file, or a line of one, cannot be used (unreadable, not a regular file, too "
    "large, not a valid pattern); it was skipped.",
)


def link_external(rel: str, setting: str) -> Diagnostic:
    return LINK_EXTERNAL(
        "symbolic link to a file or folder outside the project root: not followed",
        expected=f"files of {setting} inside the project",
        hint="copy the file into the project, remove the link, or set "
        "follow_external_symlinks = true in [paths] if you trust every link",
        path=rel,
    )


def special_file(rel: str, kind: str, setting: str) -> Diagnostic:
    return SPECIAL_FILE(
        f"{kind}, not a regular file: not read",
        expected=f"a regular file in {setting}",
        hint="remove it, or add it to paths.exclude",
        path=rel,
    )


def link_loop(rel: str) -> Diagnostic:
    return LINK_LOOP(
        "symbolic link loop: this folder leads back to one of its parents",
        expected="a folder tree without cycles",
        hint="remove the link or add it to paths.exclude",
        path=rel,
    )


def ignore_file_skipped(shown: str, reason: str) -> Diagnostic:
    return IGNORE_SKIPPED(
        f"ignore file not read: {reason}",
        expected="a readable regular file of git ignore patterns",
        hint="fix or remove it; until then the files it would ignore are scanned",
        path=shown,
    )


def ignore_line_invalid(shown: str, line: int) -> Diagnostic:
    return IGNORE_SKIPPED(
        "not a valid ignore pattern; skipped, as git skips it",
        expected="a pattern as described in git's gitignore documentation",
        hint="fix or delete the line (a '!' needs a pattern after it; a trailing '\\' escapes "
        "nothing)",
        path=shown,
        line=line,
    )
