"""The exception tree, in one place.

``MedtraceError``
    ``UsageError``: the command line or the configuration is wrong (exit code 2).
        ``ConfigError``: the configuration has problems; carries every diagnostic at once.
        ``OutputError``: an output cannot or must not be written there (a user's file, a
        symbolic link, a folder, an unwritable place).
        ``PdfError``: no headless Chromium to print a PDF with, or it failed or ran past its
        time budget.
    ``RevisionNotFound``: ``impact`` for a git revision the clone does not have (exit code 2).
    ``ItemNotFound``: ``show``/``history`` for an ID the project does not have (exit code 2).
    ``ParseAbandoned``: a source file's parse ran past its time budget (the scanner reports
    the file as not analysed and goes on).
    ``WatchUnavailable``: inotify cannot be used here (not Linux, no inotify, the instance
    limit); a resident process then walks without kept folder listings.
    ``LayoutError``: the diagram layout engine (Graphviz) is missing, failed or ran past its
    time budget (exit code 2 when a diagram that needs it was asked for).

Anything else escaping a command is a bug: the CLI prints one line with a bug-report hint and
exits with code 2, never a traceback (set ``MEDTRACE_DEBUG=1`` to see it).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from medtrace.diagnostics import Diagnostic

__all__ = [
    "ConfigError",
    "ExitCode",
    "ItemNotFound",
    "LayoutError",
    "MedtraceError",
    "OutputError",
    "ParseAbandoned",
    "PdfError",
    "RevisionNotFound",
    "UsageError",
    "WatchUnavailable",
]


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


class MedtraceError(Exception):
    """Base of every error medtrace raises on purpose."""


class UsageError(MedtraceError):
    """Bad command-line use or configuration. Printed as one line; exit code 2."""


class ConfigError(UsageError):
    """The configuration has one or more problems, all reported at once."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0].message if self.diagnostics else "invalid configuration"
        super().__init__(first)


class OutputError(UsageError):
    """An output that cannot or must not be written where it was asked; nothing was written."""


class PdfError(UsageError):
    """No Chromium to print a PDF with, or it failed or ran past its time budget."""


class ItemNotFound(UsageError):
    """An ID given on the command line names no item."""


class ParseAbandoned(MedtraceError):
    """A parse ran past its time budget of ``seconds`` and was abandoned."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"parsing took more than {seconds:g} s")


class LayoutError(MedtraceError):
    """Graphviz is not installed, failed on a graph, or ran past its time budget."""


class RevisionNotFound(UsageError):
    """A git revision given on the command line is not in the clone (a typo, or history a
    shallow clone has not fetched); the message says which and how to fetch it."""


class WatchUnavailable(MedtraceError):
    """inotify cannot be used in this process; the message says why."""
