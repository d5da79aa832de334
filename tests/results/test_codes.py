"""The diagnostic codes of the results stage."""

from __future__ import annotations

import pytest

from medtrace.diagnostics import CODES, Severity
from medtrace.results import RESULTS_MALFORMED, RESULTS_MISSING
from medtrace.results.codes import malformed, missing

pytestmark = pytest.mark.verifies("SRS-20")


def test_codes_are_registered() -> None:
    assert CODES["MT120"] is RESULTS_MALFORMED
    assert (RESULTS_MALFORMED.name, RESULTS_MALFORMED.severity) == (
        "results-malformed",
        Severity.ERROR,
    )
    assert CODES["MT121"] is RESULTS_MISSING
    assert (RESULTS_MISSING.name, RESULTS_MISSING.severity) == ("results-missing", Severity.WARNING)


def test_malformed_says_where_what_and_how() -> None:
    found = malformed("build/r.xml", "malformed XML: x", line=3, column=9)
    assert (found.path, found.line, found.column) == ("build/r.xml", 3, 9)
    assert found.message == "malformed XML: x; expected a JUnit XML file"
    for option in ("pytest --junitxml=FILE", "jest-junit", "ctest --output-junit FILE"):
        assert option in found.hint


def test_missing_is_about_the_project() -> None:
    found = missing("build/*.xml")
    assert found.location == "<project>" and "`build/*.xml`" in found.found
    assert found.hint.startswith("Run your tests with a JUnit XML report")
