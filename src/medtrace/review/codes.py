"""The diagnostic codes of reviews and approvals (the rules are in :mod:`medtrace.checks.review`)."""

from medtrace.diagnostics import Severity, define

__all__ = ["LOCK_INVALID"]

LOCK_INVALID = define(
    "MT214",
    "lock-invalid",
    Severity.ERROR,
    "The lock file of reviews and approvals cannot be read, or an entry in it is malformed.",
)
