"""lcov tracefiles: jest's, coverage.py's (lcov 2 function records), and broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.evidence.lcov import read_lcov

pytestmark = pytest.mark.verifies("SRS-120", "SRS-129")

SAMPLES = Path(__file__).parent / "samples"
FIXTURE = Path(__file__).parents[1] / "corpus" / "projects" / "class-c-evidence"


def test_jest_lcov_gives_lines_branches_and_functions() -> None:
    report = read_lcov((SAMPLES / "jest-app-lcov.info").read_bytes(), "lcov.info")
    assert report.diagnostics == []
    files = {f.name: f for f in report.files}
    assert sorted(files) == [
        "src/alarms.ts",
        "src/confirmation.ts",
        "src/pumpCommand.ts",
        "src/units.ts",
        "src/validation.ts",
    ]
    alarms = files["src/alarms.ts"]
    assert len(alarms.lines) == 18 and alarms.lines[39] == 6
    assert alarms.functions["isStale"] == (49, 7)
    taken = sum(t for t, _ in alarms.branches.values())
    assert (taken, sum(n for _, n in alarms.branches.values())) == (10, 11)
    assert alarms.branches[76] == (1, 2)  # BRDA:76,6,0,0 and BRDA:76,6,1,1


def test_coverage_py_lcov_with_function_end_lines() -> None:
    report = read_lcov((FIXTURE / "reports/coverage/vendor.info").read_bytes(), "vendor.info")
    [helper] = report.files
    assert (helper.name, helper.lines, helper.functions) == (
        "helper.py",
        {1: 1, 2: 1, 4: 1},
        {"helper": (2, 1)},
    )


def test_lcov2_indexed_functions_and_checksums() -> None:
    data = b"""SF:/src/a.c
FNL:0,3,9
FNA:0,4,main
DA:3,4,cSk1Ws2Nv2mJMJA3DLzRdQ
DA:4,0
BRDA:4,0,0,-
BRDA:4,0,1,2
end_of_record
"""
    [measured] = read_lcov(data, "a.info").files
    assert measured.functions == {"main": (3, 4)}
    assert measured.checksums == {3: "cSk1Ws2Nv2mJMJA3DLzRdQ"}
    assert measured.branches == {4: (1, 2)}


def test_bad_lines_are_located_and_skipped() -> None:
    data = b"""TN:
SF:a.py
DA:1,1
DA:two,1
XYZ:1
end_of_record
DA:5,1
"""
    report = read_lcov(data, "a.info")
    assert [(f.name, f.lines) for f in report.files] == [("a.py", {1: 1})]
    assert [(d.code, d.line, d.found) for d in report.diagnostics] == [
        ("MT140", 4, "a malformed `DA:` record `DA:two,1`; it is skipped"),
        ("MT140", 5, "an unknown lcov record `XYZ:1`; it is skipped"),
        ("MT140", 7, "a `DA:` record outside a file record (no SF: before it)"),
    ]


def test_a_record_cut_short_is_left_out_and_reported() -> None:
    data = (SAMPLES / "jest-app-lcov.info").read_bytes()
    start = data.index(b"SF:src/confirmation.ts")
    cut = data[: data.rindex(b"\n", 0, start + 200) + 1]  # ends with a whole line
    report = read_lcov(cut, "lcov.info")
    assert [f.name for f in report.files] == ["src/alarms.ts"]
    [problem] = report.diagnostics
    assert problem.code == "MT140" and "cut short" in problem.found
    assert problem.line == cut.count(b"\n", 0, start) + 1
