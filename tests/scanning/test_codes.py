"""The scanner's diagnostic codes."""

from __future__ import annotations

import pytest

from medtrace.diagnostics import CODES, Severity
from medtrace.scanning import codes

pytestmark = pytest.mark.verifies("SRS-19", "SRS-44", "SRS-46")


def test_the_codes_are_registered_with_their_names_and_severities() -> None:
    expected = {
        "MT107": ("tag-malformed", Severity.ERROR),
        "MT108": ("file-encoding", Severity.WARNING),
        "MT109": ("file-skipped", Severity.NOTE),
        "MT110": ("code-unreadable", Severity.WARNING),
        "MT111": ("tag-near-miss", Severity.WARNING),
        "MT112": ("code-not-analysed", Severity.WARNING),
    }
    for code, (name, severity) in expected.items():
        assert (CODES[code].name, CODES[code].severity) == (name, severity)


def test_every_diagnostic_says_what_was_found_expected_and_how_to_fix_it() -> None:
    for made in (
        codes.encoding("a.c", "cp1252"),
        codes.skipped("a.c", "binary file"),
        codes.unreadable("a.c", "Permission denied"),
        codes.near_miss("a.c", 3, "@implement SRS-1", "@implements SRS-1"),
        codes.not_analysed("a.c", 10.0),
    ):
        assert made.found and made.expected and made.hint
        assert made.path == "a.c"
