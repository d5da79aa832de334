"""What an auditor checks first (MT202, MT203, MT205-MT209), through ``check``."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_check, write_project

from medtrace.diagnostics import Diagnostic, Severity

pytestmark = pytest.mark.verifies("SRS-175", "SRS-177", "SRS-178", "SRS-179")

CASE = """\
- id: SYS-1
  title: Dose
- {id: SRS-1, title: Add, type: functional, parents: [SYS-1], verification: inspection,
   verification_record: reviews/SRS-1.md}
- id: TC-1
  kind: test-case
  title: Bench
  verifies: [SYS-1]
  steps: [Enter 60 g, Deliver]
  expected: 6 U
  result: pass
"""


def project(tmp_path: Path, extra: str = "", cls: str = "C") -> list[Diagnostic]:
    write_project(tmp_path, {"docs/items.yaml": CASE + extra}, cls=cls)
    return run_check(tmp_path).diagnostics


def of(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


@pytest.mark.verifies("SRS-175")
def test_mt202_class_c_record_needs_every_field(tmp_path: Path) -> None:
    [d] = of(project(tmp_path, "  tester: J. Moreau\n  actual: [Entered]\n"), "MT202")
    assert (d.severity, d.path, d.line, d.item) == (Severity.ERROR, "docs/items.yaml", 5, "TC-1")
    assert d.found == (
        "test case TC-1 records result 'pass' without version, configuration, tools, executed, "
        "deviations, an actual result for each of its 2 steps (it has 1)"
    )


@pytest.mark.verifies("SRS-175")
def test_mt202_class_b_needs_version_tester_and_date(tmp_path: Path) -> None:
    [d] = of(project(tmp_path, "  tester: J. Moreau\n", cls="B"), "MT202")
    assert d.severity is Severity.WARNING
    assert d.found == "test case TC-1 records result 'pass' without version, executed"


@pytest.mark.verifies("SRS-175")
def test_mt203_an_execution_date_in_the_future(tmp_path: Path) -> None:
    [d] = of(project(tmp_path, "  executed: 2031-01-01\n"), "MT203")
    assert (d.severity, d.line) == (Severity.ERROR, 12)
    assert d.found.startswith("test case TC-1 is recorded as executed on 2031-01-01, after today")


@pytest.mark.verifies("SRS-175")
def test_mt203_and_the_record_status_read_the_date_medtrace_today_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, {"docs/items.yaml": CASE + "  executed: 2031-01-01\n"})
    monkeypatch.setenv("MEDTRACE_TODAY", "2030-12-31")
    before = run_check(tmp_path, use_cache=True)
    [d] = of(before.diagnostics, "MT203")
    assert d.found.endswith("after today (2030-12-31)")
    monkeypatch.setenv("MEDTRACE_TODAY", "2031-01-02")  # the day after: nothing kept from before
    after = run_check(tmp_path, use_cache=True)
    assert of(after.diagnostics, "MT203") == []
    assert after.diagnostics == run_check(tmp_path).diagnostics
    assert after.statuses == run_check(tmp_path).statuses != before.statuses


@pytest.mark.verifies("SRS-177")
def test_mt205_and_mt206_requirements_without_parent_or_child(tmp_path: Path) -> None:
    extra = "- {id: SYS-2, title: Alarm}\n- {id: SRS-2, title: Beep, type: alarms}\n"
    found = project(tmp_path, extra)
    assert [(d.item, d.severity) for d in of(found, "MT205")] == [("SRS-2", Severity.WARNING)]
    assert [d.item for d in of(found, "MT206")] == ["SYS-2"]
    assert of(found, "MT205")[0].found == "software requirement SRS-2 has no parent"


@pytest.mark.verifies("SRS-178")
def test_mt207_open_severe_anomaly_and_mt208_closed_without_proof(tmp_path: Path) -> None:
    extra = """\
- {id: ANOM-1, title: Overdose, severity: critical, status: open}
- {id: ANOM-2, title: Slow, severity: low, status: closed}
- {id: ANOM-3, title: Fixed, severity: high, status: closed, fixed_in: 1.0.1, verified_by: [TC-1]}
- {id: ANOM-4, title: Gone, severity: low, status: closed, fixed_in: 1.0.1, verified_by: [t::x]}
"""
    found = project(tmp_path, extra)
    [open_] = of(found, "MT207")
    assert (open_.item, open_.severity) == ("ANOM-1", Severity.ERROR)
    assert open_.found == "anomaly ANOM-1 of critical severity is open"
    closed = {d.item: d.found for d in of(found, "MT208")}
    assert closed == {
        "ANOM-2": "closed anomaly ANOM-2: no fixing version ('fixed_in'); no test that shows the "
        "fix ('verified_by')",
        "ANOM-4": "closed anomaly ANOM-4: no passing result for t::x",
    }


@pytest.mark.verifies("SRS-179")
def test_mt209_verification_without_a_record(tmp_path: Path) -> None:
    extra = (
        "- {id: SRS-3, title: Label, type: usability, parents: [SYS-1], verification: analysis}\n"
    )
    [d] = of(project(tmp_path, extra), "MT209")
    assert (d.item, d.severity) == ("SRS-3", Severity.ERROR)  # class C
    assert d.found == "SRS-3 is verified by analysis, but names no record of it"
