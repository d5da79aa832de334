"""GCC's JSON diagnostics (gcc 12 -fanalyzer), one array per source."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.evidence.gccjson import read_gcc_json

pytestmark = pytest.mark.verifies("SRS-127", "SRS-129")

SAMPLES = Path(__file__).parent / "samples"
FIXTURE = Path(__file__).parents[1] / "corpus" / "projects" / "class-c-evidence"


def test_a_clean_run_of_five_sources_has_no_findings() -> None:
    data = (SAMPLES / "gcc-firmware.json").read_bytes()
    assert data.count(b"[]") == 5
    report = read_gcc_json(data, "gcc.json")
    assert (report.findings, report.diagnostics) == ([], [])


def test_the_analyser_finding_with_its_option_and_place() -> None:
    report = read_gcc_json((FIXTURE / "reports/analysis/gcc.json").read_bytes(), "gcc.json")
    assert report.diagnostics == []
    [finding] = report.findings
    assert (finding.tool, finding.rule, finding.level) == (
        "gcc",
        "-Wanalyzer-double-free",
        "warning",
    )
    assert (finding.uri, finding.line, finding.column) == ("src/motor.c", 14, 9)
    assert "double-'free'" in finding.message or "free" in finding.message


def test_notes_are_not_findings_and_errors_are() -> None:
    data = (
        b'[{"kind": "note", "message": "n", "locations": []}]\n'
        b'[{"kind": "error", "message": "e", "option": "-Werror=x", '
        b'"locations": [{"caret": {"file": "a.c", "line": 2, "column": 3}}]}]\n'
    )
    [finding] = read_gcc_json(data, "gcc.json").findings
    assert (finding.level, finding.uri, finding.line, finding.message) == ("error", "a.c", 2, "e")


def test_output_cut_short_is_reported_after_what_was_read() -> None:
    data = b'[]\n[{"kind": "warning", "message": "w", "locations": [{"caret": {"file": "a'
    report = read_gcc_json(data, "gcc.json")
    [problem] = report.diagnostics
    assert problem.code == "MT140" and problem.found.startswith("malformed JSON, cut short")
    assert problem.line == 2
