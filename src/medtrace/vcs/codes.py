"""Diagnostic codes of releases: a checklist item that refuses a release, a release folder
that no longer matches its manifest."""

from __future__ import annotations

from medtrace.diagnostics import Severity, define

__all__ = ["RELEASE_REFUSED", "RELEASE_TAMPERED"]

RELEASE_REFUSED = define(
    "MT223",
    "release-refused",
    Severity.ERROR,
    "An item of the release checklist fails: the release is not made.",
)

RELEASE_TAMPERED = define(
    "MT224",
    "release-tampered",
    Severity.ERROR,
    "A release folder differs from its manifest: a file changed, missing or added.",
)
