"""Diagnostic codes of reading lockfiles, SBOMs and vulnerability reports."""

from __future__ import annotations

from medtrace.diagnostics import Severity, define

__all__ = ["SOUP_INPUT"]

SOUP_INPUT = define(
    "MT150",
    "soup-input-unreadable",
    Severity.ERROR,
    "A lockfile, SBOM or vulnerability report cannot be read (broken, truncated, unknown format "
    "or version).",
)
