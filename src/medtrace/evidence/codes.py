"""Diagnostic codes of the evidence stage (reading coverage and analysis reports)."""

from __future__ import annotations

from medtrace.diagnostics import Diagnostic, Severity, define

__all__ = ["EVIDENCE_MALFORMED", "EVIDENCE_MISSING", "EVIDENCE_UNMAPPED", "malformed", "missing"]

EVIDENCE_MALFORMED = define(
    "MT140",
    "evidence-malformed",
    Severity.ERROR,
    "A coverage or static-analysis report cannot be read or is not of a known format.",
)
EVIDENCE_MISSING = define(
    "MT141",
    "evidence-missing",
    Severity.WARNING,
    "A coverage or analysis pattern matches no file.",
)
EVIDENCE_UNMAPPED = define(
    "MT142",
    "evidence-unmapped",
    Severity.WARNING,
    "A report names a file that cannot be mapped to exactly one file of the project.",
)

EXPECTED = (
    "a coverage report (Cobertura XML, lcov, gcovr or gcov JSON) or a static-analysis report "
    "(SARIF 2.1.0, GCC JSON diagnostics)"
)
TOOL_OPTIONS = (
    "`coverage xml` or `coverage lcov` (coverage.py), jest `--coverageReporters=cobertura lcov`, "
    "`gcovr --json` or `--cobertura`, `gcov --json-format`; `ruff check --output-format sarif`, "
    "gcc 13+ `-fdiagnostics-format=sarif-file`, gcc `-fdiagnostics-format=json`"
)
MALFORMED_HINT = (
    f"point `paths.coverage` or `paths.analysis` at a report one of these writes: {TOOL_OPTIONS}"
)
BUG_HINT = (
    "this is a bug in medtrace: report it with the report file, and check the file meanwhile "
    "by other means"
)
TRUNCATED_HINT = (
    "the file ends early: was the run interrupted? Run the tool again to write the whole report"
)


def malformed(
    source: str, found: str, *, line: int = 0, column: int = 0, hint: str = MALFORMED_HINT
) -> Diagnostic:
    return EVIDENCE_MALFORMED(
        found, expected=EXPECTED, hint=hint, path=source, line=line, column=column
    )


def missing(pattern: str, key: str) -> Diagnostic:
    return EVIDENCE_MISSING(
        f"no report matches `{pattern}` (paths.{key})",
        expected="the reports of the latest coverage or analysis run",
        hint=f"produce the reports before medtrace ({TOOL_OPTIONS}), or fix the pattern in "
        f"`paths.{key}`",
    )
