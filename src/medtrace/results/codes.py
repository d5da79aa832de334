"""Diagnostic codes of the test-results stage, and the diagnostics made of them."""

from __future__ import annotations

from medtrace.diagnostics import Diagnostic, Severity, define

__all__ = ["RESULTS_MALFORMED", "RESULTS_MISSING", "malformed", "missing"]

RESULTS_MALFORMED = define(
    "MT120",
    "results-malformed",
    Severity.ERROR,
    "A test-results file cannot be read or is not well-formed JUnit XML.",
)
RESULTS_MISSING = define(
    "MT121", "results-missing", Severity.WARNING, "A test-results pattern matches no file."
)

#: What every results file should be.
EXPECTED = "a JUnit XML file"

RUNNER_OPTIONS = (
    "`pytest --junitxml=FILE`, jest with the `jest-junit` reporter, Maven Surefire or Gradle "
    "(`TEST-*.xml`), `go-junit-report` or `gotestsum --junitfile FILE`, "
    "`ctest --output-junit FILE`, `--gtest_output=xml:FILE`, `dotnet test --logger junit`, "
    "`mocha --reporter mocha-junit-reporter`, `phpunit --log-junit FILE`"
)

MALFORMED_HINT = f"point `paths.results` at the JUnit XML your test runner writes: {RUNNER_OPTIONS}"
TRUNCATED_HINT = f"the file ends early: was the test run interrupted? {MALFORMED_HINT}"
ENCODING_HINT = (
    "write the file as UTF-8, or declare its encoding in the XML declaration "
    '(`<?xml version="1.0" encoding="...">`)'
)
MISSING_HINT = (
    f"run your tests with a JUnit XML report before medtrace ({RUNNER_OPTIONS}), "
    "or fix the pattern in `paths.results`"
)


def malformed(
    source: str, found: str, *, line: int = 0, column: int = 0, hint: str = MALFORMED_HINT
) -> Diagnostic:
    return RESULTS_MALFORMED(
        found, expected=EXPECTED, hint=hint, path=source, line=line, column=column
    )


def missing(pattern: str) -> Diagnostic:
    return RESULTS_MISSING(
        f"no test-results file matches `{pattern}`",
        expected="JUnit XML files from the latest test run",
        hint=MISSING_HINT,
    )
