"""Cobertura XML (coverage.py, jest), and XML that is bad in every way a report can be."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.evidence.cobertura import read_cobertura
from medtrace.evidence.model import MeasuredFile, ReportData

pytestmark = pytest.mark.verifies("SRS-120", "SRS-129")

SAMPLES = Path(__file__).parent / "samples"


def read(name: str) -> tuple[dict[str, MeasuredFile], ReportData]:
    report = read_cobertura((SAMPLES / name).read_bytes(), f"samples/{name}")
    return {f.name: f for f in report.files}, report


def test_coverage_py_report_gives_lines_and_branches_per_file() -> None:
    files, report = read("coveragepy-cloud.xml")
    assert report.diagnostics == []
    assert report.bases == ("/tmp/bolus-advisor",)
    calculator = files["cloud/src/bolus_cloud/calculator.py"]
    assert len(calculator.lines) == 41 and all(h > 0 for h in calculator.lines.values())
    validation = files["cloud/src/bolus_cloud/validation.py"]
    lines = validation.lines
    assert (sum(1 for h in lines.values() if h), len(lines)) == (96, 99)
    branches = validation.branches.values()
    assert (sum(t for t, _ in branches), sum(n for _, n in branches)) == (22, 24)
    assert "cloud/src/bolus_cloud/__main__.py" not in files  # omitted when it was measured


def test_jest_report_gives_functions_from_methods() -> None:
    files, report = read("jest-app-cobertura.xml")
    assert report.bases == ("/tmp/bolus-advisor/app",)
    alarms = files["src/alarms.ts"]
    assert alarms.functions == {
        "hypoAlarm": (38, 6),
        "isStale": (49, 7),
        "assessGlucose": (58, 5),
    }


def bad(data: bytes) -> list[tuple[str, str, int]]:
    report = read_cobertura(data, "cov.xml")
    assert report.files == []
    return [(d.code, d.found, d.line) for d in report.diagnostics]


def test_cut_short_is_located_and_says_so() -> None:
    data = (SAMPLES / "coveragepy-cloud.xml").read_bytes()[:2000]
    [(code, found, line)] = bad(data)
    assert code == "MT140" and found.startswith("malformed XML, cut short") and line > 10


def test_another_xml_root_is_not_coverage() -> None:
    assert bad(b"<testsuites><testsuite/></testsuites>") == [
        ("MT140", "a root element <testsuites>, not <coverage>", 1)
    ]


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE coverage [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<coverage><sources><source>&x;</source></sources><packages/></coverage>"
    ).encode()
    report = read_cobertura(data, "cov.xml")
    assert "TOP SECRET" not in repr(report)
    assert report.bases == ()


def test_entity_amplification_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    data = (
        f"<?xml version='1.0'?><!DOCTYPE coverage [{entities}]>"
        "<coverage><sources><source>&a9;</source></sources></coverage>"
    ).encode()
    report = read_cobertura(data, "cov.xml")
    assert len(repr(report)) < 10_000  # nothing was expanded


def test_bad_classes_and_lines_are_reported_and_the_rest_read() -> None:
    data = b"""<coverage>
<packages><package><classes>
<class name="a"><lines><line number="1" hits="1"/></lines></class>
<class filename="b.py"><lines>
<line number="x" hits="1"/>
<line number="2" hits="3"/>
</lines></class>
</classes></package></packages></coverage>"""
    report = read_cobertura(data, "cov.xml")
    assert [(f.name, f.lines) for f in report.files] == [("b.py", {2: 3})]
    assert [(d.line, d.found) for d in report.diagnostics] == [
        (3, "a <class> without a filename; it is left out"),
        (5, "a <line> without a valid number and hits in b.py; it is left out"),
    ]


def test_two_classes_of_one_file_are_merged() -> None:
    data = b"""<coverage><packages><package><classes>
<class filename="A.java"><lines><line number="1" hits="0"/></lines></class>
<class filename="A.java"><lines><line number="1" hits="2"/><line number="5" hits="0"/></lines></class>
</classes></package></packages></coverage>"""
    [only] = read_cobertura(data, "cov.xml").files
    assert only.lines == {1: 2, 5: 0}
